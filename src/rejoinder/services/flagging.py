"""Reader flags: recorded once per reader; enough distinct readers hide the comment for review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from rejoinder.domain.site import Site
from rejoinder.domain.states import CommentState, FlagReason
from rejoinder.errors import not_found
from rejoinder.live.bus import Bus, channel_for
from rejoinder.moderation.flags import should_hide
from rejoinder.moderation.settings import site_settings
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.tokens import Signer, voter_key
from rejoinder.store import audit
from rejoinder.store import comments as comment_store
from rejoinder.store import flags as flag_store
from rejoinder.store import threads as thread_store
from rejoinder.store.engine import Database


class FlagGate(Protocol):
    async def check_flag(self, site_key: str, ip: str | None) -> None: ...


class FlagHook(Protocol):
    async def enqueue_for_state_change(
        self, conn: Any, site: Site, comment_id: int, event: str, *, reasons: Sequence[str] = ()
    ) -> int: ...


class FlaggingService:
    def __init__(
        self, db: Database, sites: SiteDirectory, signer: Signer, bus: Bus, gate: FlagGate,
        on_flag: FlagHook | None = None,
    ) -> None:
        self.db = db
        self.sites = sites
        self.signer = signer
        self.bus = bus
        self.gate = gate
        self.on_flag = on_flag

    async def flag(
        self, comment_id: int, reason: FlagReason, note: str | None, voter: str | None,
        ip: str | None, origin: str | None = None,
    ) -> dict[str, Any]:
        async with self.db.read() as conn:
            located = await comment_store.site_of_comment(conn, comment_id)
            comment = await comment_store.comment_by_id(conn, comment_id)
        if located is None or comment is None or comment.state is not CommentState.PUBLISHED:
            raise not_found("comment_not_found", "There is no such comment.")
        site = await self.sites.require(located[1])
        await self.sites.check_origin(site.key, origin)
        await self.gate.check_flag(site.key, ip)
        settings = site_settings(site)
        reporter = voter_key(self.signer, voter, ip)
        hidden = False
        async with self.db.write() as conn:
            added = await flag_store.add_flag(conn, comment_id, reporter, reason.value, note)
            if added:
                flaggers = await flag_store.open_flaggers(conn, comment_id)
                current = await comment_store.comment_by_id(conn, comment_id)
                if (
                    current is not None
                    and current.state is CommentState.PUBLISHED
                    and should_hide(flaggers, settings.flags_to_hide)
                ):
                    hidden = True
                    await comment_store.update_comment(
                        conn, comment_id, state=CommentState.PENDING
                    )
                    await thread_store.bump_version(conn, comment.thread_id)
                    await audit.record_action(
                        conn, site_id=site.id, comment_id=comment_id, actor="readers",
                        action="hide", from_state=CommentState.PUBLISHED.value,
                        to_state=CommentState.PENDING.value,
                        reason=f"flagged by {len(set(flaggers))} readers",
                    )
                if self.on_flag is not None:
                    reasons = [f"reader flag: {reason.value}"]
                    if hidden:
                        reasons.append(f"hidden after {len(set(flaggers))} flags")
                    await self.on_flag.enqueue_for_state_change(
                        conn, site, comment_id, "flagged", reasons=reasons
                    )
            thread = await thread_store.thread_by_id(conn, comment.thread_id)
        if hidden and thread is not None:
            await self.bus.publish(channel_for(site.key, thread.uri),
                                   {"type": "delete", "id": comment_id})
        return {"id": comment_id, "flagged": True}
