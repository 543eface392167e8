"""A post's write transaction stays a handful of statements: each one is a round trip made while
the write lock (SQLite) or the thread's row lock (PostgreSQL) is held."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.services.notifications import WebhookDirectory
from rejoinder.store import comments as comment_store
from rejoinder.store.engine import Database
from tests.helpers import post

# thread (update or insert), author upsert, comment, decision, audit entry, webhooks of the site
MOST = 6


@contextmanager
def write_statements(db: Database) -> Iterator[list[str]]:
    """The SQL run inside ``db.write()`` and ``db.run_write()`` transactions while the block
    runs (on SQLite the latter use the writer thread's own engine)."""
    seen: list[str] = []
    writing: set[int] = set()
    original = db.write
    original_run = db.run_write

    async def run_write(work: Any) -> Any:
        async def tracked(conn: AsyncConnection) -> Any:
            writing.add(id(conn.sync_connection))
            try:
                return await work(conn)
            finally:
                writing.discard(id(conn.sync_connection))

        return await original_run(tracked)

    @asynccontextmanager
    async def write() -> AsyncIterator[AsyncConnection]:
        async with original() as conn:
            writing.add(id(conn.sync_connection))
            try:
                yield conn
            finally:
                writing.discard(id(conn.sync_connection))

    def before(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if id(conn) in writing and not statement.startswith("BEGIN"):
            seen.append(" ".join(statement.split()))

    db.write = write  # type: ignore[method-assign]
    db.run_write = run_write  # type: ignore[method-assign]
    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", before)
        del db.write
        del db.run_write


def _reads_comments(statements: list[str]) -> list[str]:
    return [s for s in statements if s.startswith("SELECT") and " FROM comments" in s]


async def test_a_post_writes_in_a_few_statements_and_never_re_reads_the_comment(client):
    db = client.services.db
    cases: list[tuple[str, dict[str, Any]]] = [
        ("new thread", {"uri": "/new", "name": "Ann", "email": "ann@example.org"}),
        ("known thread, known author", {"uri": "/new", "name": "Ann", "email": "ann@example.org"}),
        ("new author", {"uri": "/new", "name": "Bob"}),
    ]
    ids: list[int] = []
    for label, fields in [*cases, ("reply", {"uri": "/new", "name": "Cy"})]:
        if label == "reply":
            fields["parent"] = ids[0]
        with write_statements(db) as statements:
            response = await post(client, f"Comment: {label}", **fields)
        assert response.status_code == 201, response.text
        ids.append(response.json()["comment"]["id"])
        assert statements, "the counter saw nothing"
        assert len(statements) <= MOST, (label, statements)
        assert not _reads_comments(statements), (label, statements)


async def test_the_posted_comment_is_answered_as_stored(client):
    """Built from the INSERT's RETURNING, the answer still matches a fresh read of the row."""
    site = await client.services.sites.require("test")
    await WebhookDirectory(client.services.db).add(site, "https://hooks.example.org/in")
    first = (await post(client, "First", name="Ann")).json()["comment"]
    response = await post(client, "A *reply*", name="Bob", website="https://bob.example.org",
                          parent=first["id"])
    answered = response.json()["comment"]
    async with client.services.db.read() as conn:
        stored = await comment_store.comment_by_id(conn, answered["id"])
    assert stored is not None
    from rejoinder.services.serialize import owner_comment

    assert answered == owner_comment(stored)
    assert answered["html"] == "<p>A <em>reply</em></p>"
    assert answered["author"]["website"] == "https://bob.example.org"
    assert stored.path.endswith(str(answered["id"]).zfill(10))
    assert stored.path.startswith(str(first["id"]).zfill(10) + ".")


async def test_a_webhook_adds_one_statement_and_no_thread_lookup(client):
    site = await client.services.sites.require("test")
    await WebhookDirectory(client.services.db).add(site, "https://hooks.example.org/in")
    await post(client, "opens the thread")
    with write_statements(client.services.db) as statements:
        assert (await post(client, "hooked")).status_code == 201
    assert len(statements) <= MOST + 1, statements  # + the outbox row
    assert [s for s in statements if s.startswith("INSERT INTO outbox")]
    assert not [s for s in statements if s.startswith("SELECT") and " FROM threads" in s]


async def test_the_lock_on_the_thread_row_is_taken_last(client):
    """Concurrent posts to one thread queue on its row from the version bump to COMMIT, so
    nothing else runs after the bump; on PostgreSQL the decision, the audit entry and the
    embedding go in one statement."""
    site = await client.services.sites.require("test")
    await WebhookDirectory(client.services.db).add(site, "https://hooks.example.org/in")
    await post(client, "opens the thread")
    with write_statements(client.services.db) as statements:
        assert (await post(client, "a second comment")).status_code == 201
    assert statements[-1].startswith("UPDATE threads"), statements
    together = [s for s in statements if s.startswith("WITH new_decision")]
    if client.services.db.is_sqlite:
        assert not together
        assert [s for s in statements if s.startswith("INSERT INTO decisions")]
    else:
        assert len(together) == 1 and "INSERT INTO audit_log" in together[0], statements
