"""SQLite write transactions run on a thread of their own, statement after statement.

SQLite admits one writer at a time, so a write transaction holds a lock from BEGIN to COMMIT.
Run on the server's event loop, every statement of that transaction waits its turn behind
whatever else the loop is doing (parsing requests, moderation, rendering), and the lock is held
for all of that waiting: under load the lock, not the database, limits posting. Here the
transaction runs on a synchronous connection on a thread that does nothing else, so the lock is
held only as long as the database needs.
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
    def __init__(self, make_engine: Callable[[], Engine]) -> None:
        self._make_engine = make_engine
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="rejoinder-sqlite-writer", daemon=True
        )
        self._thread.start()
        self._engine: Engine | None = None
        self._lock: asyncio.Lock | None = None  # belongs to the writer's loop

    async def run(self, work: Work[T]) -> T:
        """``work(conn)`` inside BEGIN IMMEDIATE … COMMIT on the writer thread; rolls back if it
        raises. Cancelling the caller cancels (and rolls back) the transaction."""
        future = asyncio.run_coroutine_threadsafe(self._transaction(work), self._loop)
        return await asyncio.wrap_future(future)

    async def _transaction(self, work: Work[T]) -> T:
        if self._engine is None or self._lock is None:
            self._engine = self._make_engine()
            self._lock = asyncio.Lock()
        async with self._lock:
            with self._engine.connect() as sync:
                sync.execution_options(rejoinder_write=True)
                with sync.begin():
                    # the store's awaits on an inline connection complete at once: the whole
                    # transaction runs here without giving the thread up
                    return await work(cast(AsyncConnection, InlineConnection(sync)))

    async def close(self) -> None:
        if self._thread.is_alive():
            if self._engine is not None:
                self._loop.call_soon_threadsafe(self._engine.dispose)
            self._loop.call_soon_threadsafe(self._loop.stop)
            await asyncio.to_thread(self._thread.join, 10)
        if not self._loop.is_running():
            self._loop.close()
