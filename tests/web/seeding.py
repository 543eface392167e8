"""Comments, flags and decisions written straight into the store for dashboard tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rejoinder.domain.states import CommentState
from rejoinder.render import render
from rejoinder.services.sites import SiteDirectory
from rejoinder.store import audit
from rejoinder.store import authors as author_store
from rejoinder.store import comments as comment_store
from rejoinder.store import threads as thread_store
from rejoinder.store.comments import NewCommentRow
from rejoinder.store.engine import Database
from rejoinder.store.flags import add_flag

HELD_SIGNALS = [
    {"signal": "links", "score": 0.8, "suggests": "hold", "reason": "3 links", "related": None},
    {"signal": "words", "score": 0.6, "suggests": "hold", "reason": "suspect word: idiot",
     "related": None},
    {"signal": "toxicity", "score": 0.93, "suggests": "hold", "reason": "toxicity 0.93",
     "related": None},
]


async def seed_comment(
    db: Database,
    text: str,
    *,
    site: str = "test",
    uri: str = "/post/1",
    state: CommentState = CommentState.PENDING,
    signals: list[dict[str, Any]] | None = None,
    author: str = "Mallory",
    email: str | None = "mallory@mail.spam.example",
    ip: str | None = "198.51.100.23",
    parent: int | None = None,
    flags: int = 0,
) -> int:
    found = await SiteDirectory(db).require(site)
    async with db.write() as conn:
        thread = await thread_store.get_or_create_thread(
            conn, found.id, uri, f"Article at {uri}", f"https://blog.example.org{uri}"
        )
        author_id = await author_store.upsert_author(
            conn, found.id, f"key-{author.lower()}", author, email, None
        )
        parent_row = await comment_store.comment_by_id(conn, parent) if parent else None
        comment_id, _ = await comment_store.insert_comment(conn, NewCommentRow(
            thread_id=thread.id, parent_id=parent, parent_path=parent_row.path if parent_row
            else None, reply_to_id=parent, depth=1 if parent else 0, author_id=author_id,
            state=state, text=text, html=render(text), author_name=author, author_website=None,
            avatar="a" * 16, ip=ip, notify=False, created=datetime.now(UTC),
        ))
        verdict = "hold" if state is CommentState.PENDING else "publish"
        await audit.record_decision(conn, comment_id, verdict,
                                    signals if signals is not None else [])
        await audit.record_action(conn, site_id=found.id, comment_id=comment_id,
                                  actor="author", action="create", to_state=state.value)
        for n in range(flags):
            await add_flag(conn, comment_id, f"reader-{n}", "harassment", None)
        await thread_store.bump_version(conn, thread.id)
    return comment_id
