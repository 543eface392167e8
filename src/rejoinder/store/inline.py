"""A synchronous SQLAlchemy connection behind the part of ``AsyncConnection`` the store uses.

SQLite answers an indexed read from memory in microseconds; through an async driver the same
read costs two thread hops and a future, which is more than the query. An ``InlineConnection``
runs each statement at once on the calling thread, so the store's ``async`` functions work on it
unchanged (their awaits complete without suspending).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, CursorResult, Dialect, Executable

T = TypeVar("T")


class InlineConnection:
    def __init__(self, sync_connection: Connection) -> None:
        self.sync_connection = sync_connection

    @property
    def dialect(self) -> Dialect:
        return self.sync_connection.dialect

    async def execute(
        self, statement: Executable, parameters: Any = None, **kwargs: Any
    ) -> CursorResult[Any]:
        return self.sync_connection.execute(statement, parameters, **kwargs)

    async def scalar(self, statement: Executable, parameters: Any = None, **kwargs: Any) -> Any:
        return self.sync_connection.scalar(statement, parameters, **kwargs)

    async def run_sync(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return fn(self.sync_connection, *args, **kwargs)

    @asynccontextmanager
    async def begin_nested(self) -> AsyncIterator[None]:
        with self.sync_connection.begin_nested():
            yield
