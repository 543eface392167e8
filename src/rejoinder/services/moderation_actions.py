"""What a moderator does to comments, threads, authors and bans.

Every change runs in one transaction with its audit entry and, when it can change a listing, the
thread's version bump. Approve, reject and spam also resolve the comment's open flags and keep a
``moderation_labels`` row (the comment's text and the verdict) for the classifiers to learn from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.domain.site import Site
from rejoinder.domain.states import CommentState
from rejoinder.errors import RejoinderError, invalid, not_found
from rejoinder.live.bus import Bus, channel_for
from rejoinder.moderation.signals.bans import Ban, BanKind, IpRules, email_domains
from rejoinder.render import render
from rejoinder.services.accounts import Moderator
from rejoinder.services.serialize import public_comment
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.validation import Limits, clean_text
from rejoinder.store import audit
from rejoinder.store import bans as ban_store
from rejoinder.store import comments as comment_store
from rejoinder.store import moderation_queries as mq
from rejoinder.store import threads as thread_store
from rejoinder.store.engine import Database


class Action(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    SPAM = "spam"
    DELETE = "delete"
    PIN = "pin"
    UNPIN = "unpin"
    CLOSE = "close"  # the comment's thread
    REOPEN = "reopen"
    TRUST = "trust"  # the comment's author
    UNTRUST = "untrust"
    ALWAYS_HOLD = "always_hold"
    UNHOLD = "unhold"


BULK_ACTIONS = frozenset({Action.APPROVE, Action.REJECT, Action.SPAM, Action.DELETE})
_TARGET_STATE = {
    Action.APPROVE: CommentState.PUBLISHED,
    Action.REJECT: CommentState.REJECTED,
    Action.SPAM: CommentState.SPAM,
    Action.DELETE: CommentState.DELETED,
}
_AUTHOR_FLAGS = {
    Action.TRUST: {"trusted": True},
    Action.UNTRUST: {"trusted": False},
    Action.ALWAYS_HOLD: {"always_hold": True},
    Action.UNHOLD: {"always_hold": False},
}


@dataclass(frozen=True, slots=True)
class Outcome:
    comment_id: int
    action: str
    state: str
    resolved_flags: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.comment_id, "action": self.action, "state": self.state,
                "resolved_flags": self.resolved_flags}


class StateChangeHook(Protocol):
    """Queues notifications inside the moderation transaction."""

    async def enqueue_for_state_change(
        self, conn: Any, site: Site, comment_id: int, event: str, *, reasons: Sequence[str] = ()
    ) -> int: ...


_STATE_EVENTS = {Action.APPROVE: "approved", Action.REJECT: "rejected", Action.SPAM: "rejected"}


class ModerationActions:
    def __init__(
        self, db: Database, sites: SiteDirectory, bus: Bus, *, limits: Limits,
        allow_images: bool = False, notifications: StateChangeHook | None = None,
    ) -> None:
        self.notifications = notifications
        self.db = db
        self.sites = sites
        self.bus = bus
        self.limits = limits
        self.allow_images = allow_images

    async def site_for(self, actor: Moderator, site_key: str) -> Site:
        site = await self.sites.require(site_key)
        actor.require_site(site.id)
        return site

    async def _row(self, conn: AsyncConnection, site: Site, comment_id: int) -> mq.QueueRow:
        row = await mq.queue_row(conn, comment_id)
        if row is None or row.site_id != site.id:
            raise not_found("comment_not_found", "There is no such comment on this site.")
        return row

    async def act(
        self, actor: Moderator, site_key: str, comment_id: int, action: Action | str,
        reason: str | None = None,
    ) -> Outcome:
        site = await self.site_for(actor, site_key)
        return await self._act(actor, site, comment_id, Action(action), _reason(reason))

    async def bulk(
        self, actor: Moderator, site_key: str, comment_ids: Sequence[int], action: Action | str,
        reason: str | None = None,
    ) -> list[Outcome]:
        """Each comment in its own transaction; comments not on the site are skipped."""
        action = Action(action)
        if action not in BULK_ACTIONS:
            raise invalid("invalid_action", f"{action.value!r} cannot be applied in bulk.",
                          "action")
        site = await self.site_for(actor, site_key)
        done = []
        for comment_id in dict.fromkeys(comment_ids):
            try:
                done.append(await self._act(actor, site, comment_id, action, _reason(reason)))
            except RejoinderError as exc:
                if exc.status != 404:
                    raise
        return done

    async def _act(
        self, actor: Moderator, site: Site, comment_id: int, action: Action, reason: str | None
    ) -> Outcome:
        event: dict[str, Any] | None = None
        resolved = 0
        async with self.db.write() as conn:
            row = await self._row(conn, site, comment_id)
            comment = row.comment
            before = comment.state
            if before is CommentState.DELETED and action is not Action.DELETE:
                raise RejoinderError(409, "comment_deleted", "The comment has been deleted.")
            after = _TARGET_STATE.get(action, before)
            values: dict[str, Any] = {}
            if action in _TARGET_STATE:
                values["state"] = after
                resolved = await mq.resolve_open_flags(conn, comment_id)
                if action is not Action.DELETE:
                    await mq.add_label(conn, comment_id=comment_id, site_id=site.id,
                                       label=action.value, text=comment.text)
                if resolved and action is not Action.APPROVE:
                    await mq.add_label(conn, comment_id=comment_id, site_id=site.id,
                                       label="flag_confirmed", text=comment.text)
                if action is Action.DELETE:
                    values.update(text="", html="", author_name=None, author_website=None,
                                  notify=False)
            elif action in (Action.PIN, Action.UNPIN):
                values["pinned"] = action is Action.PIN
            elif action in (Action.CLOSE, Action.REOPEN):
                await thread_store.set_closed(conn, comment.thread_id, action is Action.CLOSE)
            elif comment.author_id is not None:
                await mq.set_author_flags(conn, comment.author_id, **_AUTHOR_FLAGS[action])
            else:
                raise invalid("no_author", "The comment has no author record.")
            if values:
                await comment_store.update_comment(conn, comment_id, **values)
                await thread_store.bump_version(conn, comment.thread_id)
            await audit.record_action(
                conn, site_id=site.id, comment_id=comment_id, actor=actor.username,
                action=action.value, from_state=before.value, to_state=after.value,
                reason=reason,
            )
            notice = _STATE_EVENTS.get(action)
            if self.notifications is not None and notice and before is not after:
                await self.notifications.enqueue_for_state_change(
                    conn, site, comment_id, notice, reasons=[reason] if reason else []
                )
            stored = await comment_store.comment_by_id(conn, comment_id)
        assert stored is not None
        if after is CommentState.PUBLISHED and action in (
            Action.APPROVE, Action.PIN, Action.UNPIN
        ):
            event = {"type": "comment" if before is not after else "edit",
                     "comment": public_comment(stored)}
        elif before is CommentState.PUBLISHED and after is not CommentState.PUBLISHED:
            event = {"type": "delete", "id": comment_id}
        if event is not None:
            await self.bus.publish(channel_for(site.key, row.thread_uri), event)
        return Outcome(comment_id, action.value, after.value, resolved)

    async def edit(
        self, actor: Moderator, site_key: str, comment_id: int, text: str
    ) -> Outcome:
        site = await self.site_for(actor, site_key)
        cleaned = clean_text(text, self.limits)
        async with self.db.write() as conn:
            row = await self._row(conn, site, comment_id)
            if row.comment.state is CommentState.DELETED:
                raise RejoinderError(409, "comment_deleted", "The comment has been deleted.")
            await comment_store.update_comment(
                conn, comment_id, text=cleaned,
                html=render(cleaned, allow_images=self.allow_images), edited=datetime.now(UTC),
            )
            await thread_store.bump_version(conn, row.comment.thread_id)
            await audit.record_action(
                conn, site_id=site.id, comment_id=comment_id, actor=actor.username,
                action="edit", from_state=row.comment.state.value,
                to_state=row.comment.state.value,
            )
            stored = await comment_store.comment_by_id(conn, comment_id)
        assert stored is not None
        if stored.state is CommentState.PUBLISHED:
            await self.bus.publish(channel_for(site.key, row.thread_uri),
                                   {"type": "edit", "comment": public_comment(stored)})
        return Outcome(comment_id, "edit", stored.state.value)

    async def ban(
        self, actor: Moderator, site_key: str, *, kind: BanKind | str, value: str | None = None,
        comment_id: int | None = None, reason: str | None = None,
        duration: timedelta | None = None,
    ) -> ban_store.BanRow:
        """Ban a value given outright, or the author / IP / email domain of a comment."""
        site = await self.site_for(actor, site_key)
        try:
            kind = BanKind(kind)
        except ValueError:
            raise invalid("invalid_ban_kind", "Ban an author, an ip or an email_domain.",
                          "kind") from None
        expires = datetime.now(UTC) + duration if duration else None
        async with self.db.write() as conn:
            if comment_id is not None:
                value = _ban_value(kind, await self._row(conn, site, comment_id))
            value = (value or "").strip()
            if not value or len(value) > 320:
                raise invalid("invalid_ban_value", "There is nothing to ban.", "value")
            ban_id = await ban_store.add_ban(
                conn, site_id=site.id, kind=kind.value, value=value, reason=_reason(reason),
                created_by=actor.username, expires=expires,
            )
            until = f" until {expires.isoformat(timespec='minutes')}" if expires else ""
            await audit.record_action(
                conn, site_id=site.id, comment_id=comment_id, actor=actor.username,
                action="ban", reason=f"{kind.value} {value}{until}"
                + (f": {reason}" if reason else ""),
            )
            created = await ban_store.ban_by_id(conn, ban_id)
        assert created is not None
        return created

    async def unban(self, actor: Moderator, site_key: str, ban_id: int) -> None:
        site = await self.site_for(actor, site_key)
        async with self.db.write() as conn:
            found = await ban_store.ban_by_id(conn, ban_id)
            if found is None or found.site_id != site.id:
                raise not_found("ban_not_found", "There is no such ban on this site.")
            await ban_store.delete_ban(conn, ban_id)
            await audit.record_action(
                conn, site_id=site.id, comment_id=None, actor=actor.username, action="unban",
                reason=f"{found.kind} {found.value}",
            )

    async def bans(self, actor: Moderator, site_key: str) -> list[ban_store.BanRow]:
        site = await self.site_for(actor, site_key)
        async with self.db.read() as conn:
            return await ban_store.site_bans(conn, site.id, active_at=datetime.now(UTC))


def _reason(reason: str | None) -> str | None:
    reason = (reason or "").strip()
    return reason[:1000] or None


def _ban_value(kind: BanKind, row: mq.QueueRow) -> str | None:
    if kind is BanKind.AUTHOR:
        return row.author_key
    if kind is BanKind.IP:
        return row.ip
    domains = email_domains(row.author_email)
    return domains[0] if domains else None


class StoreBanList:
    """The moderation pipeline's ``BanList`` over the ``bans`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def find(
        self, site_key: str, *, author_key: str, email_domains: Sequence[str]
    ) -> list[Ban]:
        found, _ = await self.lookup(site_key, author_key=author_key,
                                     email_domains=email_domains, with_ip=False)
        return found

    async def ip_rules(self, site_key: str) -> list[Ban]:
        async with self.db.read() as conn:
            rows = await ban_store.bans_of_kind(conn, site_key, BanKind.IP.value)
        return [_as_ban(r) for r in rows]

    async def lookup(
        self, site_key: str, *, author_key: str, email_domains: Sequence[str], with_ip: bool
    ) -> tuple[list[Ban], list[Ban]]:
        wanted = [(BanKind.AUTHOR.value, author_key)]
        wanted += [(BanKind.EMAIL_DOMAIN.value, d.lower()) for d in email_domains]
        async with self.db.read() as conn:  # one round trip for both
            rows = await ban_store.find_bans(
                conn, site_key, kinds_values=wanted,
                with_kind=BanKind.IP.value if with_ip else None)
        found = [_as_ban(r) for r in rows]
        return ([b for b in found if b.kind is not BanKind.IP],
                [b for b in found if b.kind is BanKind.IP])

    async def is_banned(
        self, site_key: str, author_key: str, ip: str | None, email: str | None
    ) -> Ban | None:
        """The first active ban that matches, or None."""
        stamp = datetime.now(UTC)
        found, rules = await self.lookup(site_key, author_key=author_key,
                                         email_domains=email_domains(email), with_ip=bool(ip))
        if ip:
            found += IpRules(rules).matching(ip)
        return next((b for b in found if b.active(stamp)), None)


def _as_ban(row: ban_store.BanRow) -> Ban:
    return Ban(kind=BanKind(row.kind), value=row.value, expires_at=row.expires, id=row.id,
               note=row.reason)
