"""Engine creation, SQLite pragmas and transactions that never fail with "database is locked"."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from rejoinder.errors import StoreUnavailable
from rejoinder.store.inline import InlineConnection
from rejoinder.store.writer import SqliteWriter, T, Work

SQLITE_BUSY_TIMEOUT_MS = 30_000


def async_url(url: str) -> str:
    """Accept plain ``sqlite:///`` and ``postgresql://`` URLs and pick the async driver."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif backend in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+asyncpg")
    else:
        raise ValueError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")
    return parsed.render_as_string(hide_password=False)


class Database:
    """The engine plus the write discipline of its backend."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = async_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        if not self.is_sqlite:
            kwargs.update(pool_size=10, max_overflow=20)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        # One writer at a time inside this process; across processes SQLite's own lock and the
        # busy timeout queue writers (BEGIN IMMEDIATE takes the lock up front, so no upgrade
        # deadlock can happen).
        self._write_lock = asyncio.Lock()
        # Counts write transactions of this process: caches stamped with it know when a local
        # write may have changed what they hold (other processes are covered by a short TTL).
        self.generation = 0
        self._writer: SqliteWriter | None = None
        self._inline: Engine | None = None
        if self.is_sqlite:
            _install_sqlite_pragmas(self.engine.sync_engine)
            self._inline = self._sqlite_engine()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A read-only connection. On SQLite it is an ``InlineConnection``: reads run on the
        calling thread, which is cheaper than handing them to a driver thread."""
        try:
            if self._inline is not None:
                with self._inline.connect() as sync:
                    # duck-typed: the store uses execute, scalar, dialect and begin_nested only
                    yield cast(AsyncConnection, InlineConnection(sync))
            else:
                async with self.engine.connect() as conn:
                    # one round trip per statement: no BEGIN and ROLLBACK around it
                    await conn.execution_options(isolation_level="AUTOCOMMIT")
                    yield conn
        except (OperationalError, OSError, DBAPIError) as exc:
            if _is_connection_error(exc):
                raise StoreUnavailable(str(exc)) from exc
            raise

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A transaction that commits on success and is durable once the block exits."""
        try:
            if self.is_sqlite:
                async with self._write_lock:
                    conn = await self.engine.connect()
                    try:
                        conn = await conn.execution_options(rejoinder_write=True)
                        async with conn.begin():
                            yield conn
                    finally:
                        self.generation += 1
                        await conn.close()
            else:
                try:
                    async with self.engine.begin() as conn:
                        yield conn
                finally:
                    self.generation += 1
        except (OperationalError, OSError, DBAPIError) as exc:
            if _is_connection_error(exc):
                raise StoreUnavailable(str(exc)) from exc
            raise

    async def run_write(self, work: Work[T]) -> T:
        """``await work(conn)`` in a write transaction, like ``async with write()``, for hot
        paths. On SQLite it runs on a writer thread that does nothing else (see ``writer``), so
        the one-writer lock is held only as long as the statements take; ``work`` must touch
        nothing but ``conn`` and plain values, as it may run on another thread's event loop.

        On PostgreSQL it runs on the calling loop. A writer thread there would hand the GIL
        back and forth for every round trip of the transaction; under load those handoffs
        stretched a 6 ms post write to a p99 of 180–240 ms, against 40 ms on the server's loop
        (``bench/bench_posting.py --backend postgres --rates 25``)."""
        if not self.is_sqlite:
            async with self.write() as conn:
                return await work(conn)
        if self._writer is None:
            self._writer = SqliteWriter(self._sqlite_engine)
        try:
            return await self._writer.run(work)
        except (OperationalError, OSError, DBAPIError) as exc:
            if _is_connection_error(exc):
                raise StoreUnavailable(str(exc)) from exc
            raise
        finally:
            self.generation += 1

    def _sqlite_engine(self) -> Engine:
        """A synchronous engine on the same file, for inline reads and the writer thread."""
        url = make_url(self.url).set(drivername="sqlite+pysqlite")
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _install_sqlite_pragmas(engine)
        return engine

    async def ping(self) -> None:
        async with self.read() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        if self._writer is not None:
            await self._writer.close()
            self._writer = None
        if self._inline is not None:
            self._inline.dispose()
        await self.engine.dispose()


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("rejoinder_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


_CONNECTION_HINTS = (
    "connection refused",
    "could not connect",
    "connection was closed",
    "connection is closed",
    "cannot connect",
    "terminating connection",
    "the database system is",
    "unable to open database",
    "connection reset",
    "server closed the connection",
    "name or service not known",
    "does not exist",
)


def _is_connection_error(exc: BaseException) -> bool:
    if isinstance(exc, OSError | ConnectionError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    message = str(exc).lower()
    return any(hint in message for hint in _CONNECTION_HINTS)
