"""Likes: one per voter per comment, on published comments only."""

from __future__ import annotations

from typing import Any

from rejoinder.domain.states import CommentState
from rejoinder.errors import not_found
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.tokens import Signer, voter_key
from rejoinder.store import comments as comment_store
from rejoinder.store import threads as thread_store
from rejoinder.store import votes as vote_store
from rejoinder.store.engine import Database


class VotingService:
    def __init__(self, db: Database, signer: Signer, sites: SiteDirectory) -> None:
        self.db = db
        self.signer = signer
        self.sites = sites

    async def set_like(
        self, comment_id: int, voter: str | None, ip: str | None, *, liked: bool,
        origin: str | None = None,
    ) -> dict[str, Any]:
        key = voter_key(self.signer, voter, ip)
        if origin is not None:
            async with self.db.read() as conn:
                located = await comment_store.site_of_comment(conn, comment_id)
            if located is None:
                raise not_found("comment_not_found", "There is no such comment.")
            await self.sites.check_origin(located[1], origin)
        async with self.db.write() as conn:
            comment = await comment_store.comment_by_id(conn, comment_id)
            if comment is None or comment.state is not CommentState.PUBLISHED:
                raise not_found("comment_not_found", "There is no such comment.")
            if liked:
                changed = await vote_store.add_vote(conn, comment_id, key)
            else:
                changed = await vote_store.remove_vote(conn, comment_id, key)
            if changed:
                await thread_store.bump_version(conn, comment.thread_id)
            likes = await vote_store.like_count(conn, comment_id)
        return {"id": comment_id, "likes": likes, "liked": liked}
