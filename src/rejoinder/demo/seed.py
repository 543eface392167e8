"""Writes the demo site and its sample discussion straight into the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rejoinder.demo.discussion import ARTICLE_TITLE, ARTICLE_URI, DISCUSSION
from rejoinder.domain.site import Site
from rejoinder.domain.states import CommentState
from rejoinder.render import render
from rejoinder.services.tokens import Signer, author_key, avatar_seed
from rejoinder.store import authors as author_store
from rejoinder.store import comments as comment_store
from rejoinder.store import threads as thread_store
from rejoinder.store.comments import NewCommentRow
from rejoinder.store.engine import Database
from rejoinder.store.votes import add_vote


async def seed_discussion(db: Database, site: Site, signer: Signer, base_url: str) -> int:
    start = datetime.now(UTC) - timedelta(days=2)
    ids: dict[str, tuple[int, str, int]] = {}
    async with db.write() as conn:
        thread = await thread_store.get_or_create_thread(
            conn, site.id, ARTICLE_URI, ARTICLE_TITLE, base_url + ARTICLE_URI
        )
        for n, (local, parent_key, name, text, likes) in enumerate(DISCUSSION):
            author_id = await author_store.upsert_author(
                conn, site.id, author_key(signer, None, name, "demo"), name, None, None
            )
            parent = ids.get(parent_key) if parent_key else None
            comment_id, path = await comment_store.insert_comment(
                conn,
                NewCommentRow(
                    thread_id=thread.id,
                    parent_id=parent[0] if parent else None,
                    parent_path=parent[1] if parent else None,
                    reply_to_id=parent[0] if parent else None,
                    depth=parent[2] + 1 if parent else 0,
                    author_id=author_id, state=CommentState.PUBLISHED, text=text,
                    html=render(text), author_name=name, author_website=None,
                    avatar=avatar_seed(signer, None, name, "demo"), ip=None, notify=False,
                    created=start + timedelta(minutes=37 * n),
                ),
            )
            ids[local] = (comment_id, path, parent[2] + 1 if parent else 0)
            for voter in range(likes):
                await add_vote(conn, comment_id, f"demo-voter-{voter}")
        await thread_store.bump_version(conn, thread.id)
    return len(ids)
