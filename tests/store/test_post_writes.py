"""The single-statement writes a post uses give what the longer select-then-write forms gave."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.domain.comment import child_path
from rejoinder.domain.states import CommentState
from rejoinder.domain.thread import Thread
from rejoinder.store import authors as author_store
from rejoinder.store import comments as comment_store
from rejoinder.store import threads as thread_store
from rejoinder.store.comments import NewCommentRow
from rejoinder.store.engine import Database
from rejoinder.store.tables import authors, threads


async def _site(db: Database) -> int:
    from rejoinder.store import sites as site_store

    async with db.write() as conn:
        site = await site_store.create_site(conn, "s", "S", ["https://example.org"], {})
    return site.id


async def _new_thread(conn: AsyncConnection, site_id: int, uri: str) -> Thread:
    return await thread_store.thread_for_comment(conn, site_id, uri, None, None, exists=False)


def _row(thread_id: int, parent: comment_store.StoredComment | None = None) -> NewCommentRow:
    return NewCommentRow(
        thread_id=thread_id, parent_id=parent.id if parent else None,
        parent_path=parent.path if parent else None, reply_to_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0, author_id=None, state=CommentState.PUBLISHED,
        text="hi", html="<p>hi</p>", author_name="Ann", author_website=None, avatar="abc",
        ip="203.0.113.9", notify=True, created=datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC),
    )


async def test_added_comment_is_what_a_re_read_gives(db: Database):
    site_id = await _site(db)
    async with db.write() as conn:
        thread = await _new_thread(conn, site_id, "/a")
        top = await comment_store.add_comment(conn, _row(thread.id))
        reply = await comment_store.add_comment(conn, _row(thread.id, top))
        deeper = await comment_store.add_comment(conn, _row(thread.id, reply))
    async with db.read() as conn:
        for added in (top, reply, deeper):
            assert added == await comment_store.comment_by_id(conn, added.id)
    assert top.path == child_path(None, top.id)
    assert reply.path == child_path(top.path, reply.id)
    assert deeper.path == child_path(reply.path, deeper.id)
    assert top.created == datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)


async def test_comment_ids_past_the_path_width_are_not_cut(db: Database):
    site_id = await _site(db)
    async with db.write() as conn:
        thread = await thread_store.thread_for_comment(conn, site_id, "/a", None, None)
        first = await comment_store.add_comment(conn, _row(thread.id))
        big = 123_456_789_012
        if conn.dialect.name == "postgresql":
            await conn.execute(text(f"SELECT setval(pg_get_serial_sequence('comments', 'id'), "
                                    f"{big - 1})"))
        else:
            await conn.execute(text(f"UPDATE comments SET id = {big - 1} WHERE id = {first.id}"))
        added = await comment_store.add_comment(conn, _row(thread.id))
    assert added.id == big
    assert added.path == child_path(None, big) == str(big)


async def test_thread_for_comment_creates_bumps_and_fills_blanks(db: Database):
    site_id = await _site(db)
    async def version(thread_id: int) -> int:
        async with db.read() as conn:
            return int((await conn.execute(
                select(threads.c.version).where(threads.c.id == thread_id))).scalar_one())

    for guess in (True, False):  # a wrong guess costs a statement, never a wrong answer
        uri = f"/guess-{guess}"
        async with db.write() as conn:
            made = await thread_store.thread_for_comment(conn, site_id, uri, None, "",
                                                         exists=guess)
        assert (made.title, made.url, made.closed) == (None, "", False)
        assert await version(made.id) == 1
        async with db.write() as conn:
            again = await thread_store.thread_for_comment(conn, site_id, uri, "Title", None,
                                                          exists=not guess)
        assert again.id == made.id and await version(made.id) == 2
        # a given title fills both blanks, as get_or_create_thread does: url "" becomes None
        assert (again.title, again.url) == ("Title", None)
        async with db.write() as conn:
            kept = await thread_store.thread_for_comment(conn, site_id, uri, "Other",
                                                         "https://example.org/x")
        assert (kept.title, kept.url) == ("Title", "https://example.org/x")
        async with db.write() as conn:
            await thread_store.set_closed(conn, made.id, True)
            closed = await thread_store.thread_for_comment(conn, site_id, uri, None, None)
        assert closed.closed


async def test_upsert_author_keeps_what_a_later_post_leaves_out(db: Database):
    site_id = await _site(db)
    async with db.write() as conn:
        first = await author_store.upsert_author(conn, site_id, "k", "Ann", "a@x.org", None)
        same = await author_store.upsert_author(conn, site_id, "k", None, "", "https://a.org")
        other = await author_store.upsert_author(conn, site_id, "k2", "Bob", None, None)
        renamed = await author_store.upsert_author(conn, site_id, "k", "Annie", None, None)
    assert first == same == renamed != other
    async with db.read() as conn:
        row = (await conn.execute(
            select(authors.c.name, authors.c.email, authors.c.website, authors.c.trusted)
            .where(authors.c.id == first))).one()
    assert tuple(row) == ("Annie", "a@x.org", "https://a.org", False)


async def test_with_blanks_filled_predicts_what_the_bump_leaves(db: Database):
    """Notifications are queued before the thread's row is bumped, with the thread as the bump
    will leave it: the Python rule has to agree with the SQL one in every case."""
    site_id = await _site(db)
    values = (None, "", "Kept")
    cases = [(t, u, gt, gu) for t in values for u in values
             for gt in (None, "", "Given") for gu in (None, "", "https://example.org/g")]
    for n, (title, url, given_title, given_url) in enumerate(cases):
        async with db.write() as conn:
            made = await _new_thread(conn, site_id, f"/fill-{n}")
            await conn.execute(threads.update().where(threads.c.id == made.id)
                               .values(title=title, url=url))
        before = replace(made, title=title, url=url)
        async with db.write() as conn:
            after = await thread_store.thread_for_comment(conn, site_id, made.uri, given_title,
                                                          given_url)
        predicted = thread_store.with_blanks_filled(before, given_title, given_url)
        assert (predicted.title, predicted.url) == (after.title, after.url), (
            title, url, given_title, given_url)


async def test_a_new_comments_records_are_written_alike_on_each_backend(db: Database):
    from rejoinder.store.comment_records import CommentRecords, record_new_comment
    from rejoinder.store.tables import audit_log, comment_embeddings, decisions

    site_id = await _site(db)
    async with db.write() as conn:
        thread = await _new_thread(conn, site_id, "/r")
        first = await comment_store.add_comment(conn, _row(thread.id))
        second = await comment_store.add_comment(conn, _row(thread.id))
        signals = [{"signal": "links", "score": 0.5, "suggests": "hold", "reason": "2 links",
                    "related": None}]
        await record_new_comment(conn, CommentRecords(
            comment_id=first.id, site_id=site_id, verdict="hold", signals=signals,
            state="pending", reason="2 links", vector=b"\x01\x02" * 384))
        await record_new_comment(conn, CommentRecords(
            comment_id=second.id, site_id=site_id, verdict="publish", signals=[],
            state="published", reason=None))
    async with db.read() as conn:
        decided = (await conn.execute(select(decisions.c.comment_id, decisions.c.verdict,
                                             decisions.c.signals)
                                      .order_by(decisions.c.comment_id))).all()
        logged = (await conn.execute(
            select(audit_log.c.site_id, audit_log.c.comment_id, audit_log.c.actor,
                   audit_log.c.action, audit_log.c.from_state, audit_log.c.to_state,
                   audit_log.c.reason).order_by(audit_log.c.comment_id))).all()
        vectors = (await conn.execute(select(comment_embeddings.c.comment_id,
                                             comment_embeddings.c.vector))).all()
    assert [tuple(r) for r in decided] == [(first.id, "hold", signals),
                                           (second.id, "publish", [])]
    assert [tuple(r) for r in logged] == [
        (site_id, first.id, "author", "create", None, "pending", "2 links"),
        (site_id, second.id, "author", "create", None, "published", None),
    ]
    assert [(r[0], bytes(r[1])) for r in vectors] == [(first.id, b"\x01\x02" * 384)]
