"""Authors editing and deleting their own comments inside the edit window."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rejoinder.domain.states import CommentState
from rejoinder.errors import RejoinderError, not_found
from rejoinder.live.bus import Bus, channel_for
from rejoinder.render import render
from rejoinder.services.serialize import owner_comment, public_comment
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.tokens import Signer
from rejoinder.services.validation import Limits, clean_optional, clean_text, clean_website
from rejoinder.store import audit
from rejoinder.store import comments as comment_store
from rejoinder.store import threads as thread_store
from rejoinder.store.comments import StoredComment
from rejoinder.store.engine import Database


class EditingService:
    def __init__(
        self, db: Database, signer: Signer, bus: Bus, sites: SiteDirectory, *, limits: Limits,
        allow_images: bool = False,
    ) -> None:
        self.sites = sites
        self.db = db
        self.signer = signer
        self.bus = bus
        self.limits = limits
        self.allow_images = allow_images

    async def _owned(
        self, comment_id: int, token: str | None, origin: str | None
    ) -> StoredComment:
        async with self.db.read() as conn:
            comment = await comment_store.comment_by_id(conn, comment_id)
            located = await comment_store.site_of_comment(conn, comment_id)
        if comment is None or located is None or comment.state is CommentState.DELETED:
            raise not_found("comment_not_found", "There is no such comment.")
        await self.sites.check_origin(located[1], origin)
        self.signer.check_edit_token(token, comment_id)
        return comment

    async def view(self, comment_id: int, token: str | None) -> dict[str, Any]:
        """Public comments for everyone; held ones only for the holder of a valid edit token."""
        async with self.db.read() as conn:
            comment = await comment_store.comment_by_id(conn, comment_id)
        if comment is None:
            raise not_found("comment_not_found", "There is no such comment.")
        if token:
            try:
                self.signer.check_edit_token(token, comment_id)
            except RejoinderError:
                pass
            else:
                return owner_comment(comment)
        if comment.state not in (CommentState.PUBLISHED, CommentState.DELETED):
            raise not_found("comment_not_found", "There is no such comment.")
        return public_comment(comment)

    async def edit(
        self,
        comment_id: int,
        token: str | None,
        *,
        text: str | None,
        name: str | None = None,
        website: str | None = None,
        origin: str | None = None,
    ) -> dict[str, Any]:
        comment = await self._owned(comment_id, token, origin)
        values: dict[str, Any] = {"edited": datetime.now(UTC)}
        if text is not None:
            cleaned = clean_text(text, self.limits)
            values.update(text=cleaned, html=render(cleaned, allow_images=self.allow_images))
        if name is not None:
            values["author_name"] = clean_optional(name, self.limits.name, "name")
        if website is not None:
            values["author_website"] = clean_website(website, self.limits)
        async with self.db.write() as conn:
            await comment_store.update_comment(conn, comment_id, **values)
            await thread_store.bump_version(conn, comment.thread_id)
            site = await comment_store.site_of_comment(conn, comment_id)
            assert site is not None
            await audit.record_action(
                conn, site_id=site[0], comment_id=comment_id, actor="author", action="edit",
                from_state=comment.state.value, to_state=comment.state.value,
            )
            stored = await comment_store.comment_by_id(conn, comment_id)
            thread = await thread_store.thread_by_id(conn, comment.thread_id)
        assert stored is not None and thread is not None
        if stored.state is CommentState.PUBLISHED:
            await self.bus.publish(
                channel_for(site[1], thread.uri),
                {"type": "edit", "comment": public_comment(stored)},
            )
        return owner_comment(stored)

    async def delete(
        self, comment_id: int, token: str | None, origin: str | None = None
    ) -> dict[str, Any]:
        """Soft delete: the row stays, emptied, so replies keep their place in the thread."""
        comment = await self._owned(comment_id, token, origin)
        async with self.db.write() as conn:
            await comment_store.update_comment(
                conn, comment_id, state=CommentState.DELETED, text="", html="",
                author_name=None, author_website=None, notify=False,
            )
            await thread_store.bump_version(conn, comment.thread_id)
            site = await comment_store.site_of_comment(conn, comment_id)
            assert site is not None
            await audit.record_action(
                conn, site_id=site[0], comment_id=comment_id, actor="author", action="delete",
                from_state=comment.state.value, to_state=CommentState.DELETED.value,
            )
            thread = await thread_store.thread_by_id(conn, comment.thread_id)
        assert thread is not None
        await self.bus.publish(
            channel_for(site[1], thread.uri), {"type": "delete", "id": comment_id}
        )
        return {"id": comment_id, "state": CommentState.DELETED.value}
