"""``Database.run_write`` (a writer thread of its own on SQLite) and inline SQLite reads."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store import sites as site_store
from rejoinder.store.engine import Database
from rejoinder.store.inline import InlineConnection
from rejoinder.store.tables import sites


async def add(conn: AsyncConnection, key: str) -> int:
    site = await site_store.create_site(conn, key, key, ["https://example.com"], {})
    return site.id


async def keys(db: Database) -> set[str]:
    async with db.read() as conn:
        return {s.key for s in await site_store.all_sites(conn)}


async def test_commits_and_returns_the_work_result(db: Database) -> None:
    before = db.generation
    site_id = await db.run_write(lambda conn: add(conn, "written"))
    assert site_id > 0
    assert "written" in await keys(db)
    assert db.generation == before + 1


async def test_a_failing_transaction_leaves_nothing(db: Database) -> None:
    async def half_done(conn: AsyncConnection) -> None:
        await add(conn, "half")
        raise ValueError("changed my mind")

    with pytest.raises(ValueError, match="changed my mind"):
        await db.run_write(half_done)
    assert "half" not in await keys(db)
    await db.run_write(lambda conn: add(conn, "after"))  # the writer is still usable
    assert "after" in await keys(db)


async def test_sqlite_writes_run_off_the_event_loop_thread_postgres_ones_on_it(
    db: Database,
) -> None:
    threads: list[int] = []

    async def where(conn: AsyncConnection) -> None:
        threads.append(threading.get_ident())
        await add(conn, f"t{len(threads)}")

    await db.run_write(where)
    await db.run_write(where)
    assert threads[0] == threads[1]
    assert (threads[0] != threading.get_ident()) is db.is_sqlite


async def test_writer_and_ordinary_writes_interleave_without_losing_any(db: Database) -> None:
    async def ordinary(n: int) -> None:
        async with db.write() as conn:
            await add(conn, f"ordinary-{n}")

    await asyncio.gather(
        *(db.run_write(lambda conn, n=n: add(conn, f"hot-{n}")) for n in range(25)),
        *(ordinary(n) for n in range(25)),
    )
    found = await keys(db)
    assert {f"hot-{n}" for n in range(25)} <= found
    assert {f"ordinary-{n}" for n in range(25)} <= found


async def test_dispose_stops_the_writer_thread(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    seen: list[threading.Thread] = []

    async def note_thread(conn: AsyncConnection) -> None:
        seen.append(threading.current_thread())
        await add(conn, "once")

    await db.run_write(note_thread)
    await db.dispose()
    assert seen[0].name.endswith("-writer") and not seen[0].is_alive()


async def test_sqlite_reads_run_on_the_calling_thread(db: Database) -> None:
    await db.run_write(lambda conn: add(conn, "visible"))
    async with db.read() as conn:
        assert isinstance(conn, InlineConnection) is db.is_sqlite
        assert await conn.scalar(select(func.count()).select_from(sites)) >= 1
    assert "visible" in await keys(db)
