"""SQLite write transactions on a thread and event loop of their own.

A write transaction holds SQLite's one-writer lock from BEGIN IMMEDIATE to COMMIT. Run on the
server's event loop, each statement of the transaction would wait its turn behind whatever else
the loop is doing (parsing requests, moderation, rendering), and the lock would be held through
all of that waiting, so under load the lock, not the database, would limit writing. On the
writer's loop, which does nothing else, the statements run back to back on a synchronous
connection and the lock is held only as long as SQLite needs.

PostgreSQL writes stay on the server's loop (see ``Database.run_write``): there every statement
is a network round trip, and a second thread would wait for the GIL after each one.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.inline import InlineConnection

T = TypeVar("T")

Work = Callable[[AsyncConnection], Awaitable[T]]


class SqliteWriter:
    """One transaction at a time (SQLite has one writer), on a synchronous connection: the
    store's awaits on an ``InlineConnection`` complete at once, so BEGIN IMMEDIATE … COMMIT runs
    without the thread ever waiting for anything but the database."""

    def __init__(self, make_engine: Callable[[], Engine]) -> None:
        self._make_engine = make_engine
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever,
                                        name="rejoinder-sqlite-writer", daemon=True)
        self._thread.start()
        self._engine: Engine | None = None  # made on the writer's loop, the only one using it
        self._lock: asyncio.Lock | None = None  # belongs to the writer's loop

    async def run(self, work: Work[T]) -> T:
        """``work(conn)`` in a transaction on the writer thread; rolls back if it raises.
        Cancelling the caller cancels (and rolls back) the transaction."""
        future = asyncio.run_coroutine_threadsafe(self._transaction(work), self._loop)
        return await asyncio.wrap_future(future)

    async def _transaction(self, work: Work[T]) -> T:
        if self._engine is None:
            self._engine = self._make_engine()
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            with self._engine.connect() as sync:
                sync.execution_options(rejoinder_write=True)
                with sync.begin():
                    return await work(cast(AsyncConnection, InlineConnection(sync)))

    async def close(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            await asyncio.to_thread(self._thread.join, 10)
        if self._engine is not None:  # its connections allow use from any thread
            self._engine.dispose()
        if not self._loop.is_running():
            self._loop.close()
