"""What the moderation dashboard shows: queues with context, the audit log, stats, settings."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from rejoinder.domain.site import Site
from rejoinder.domain.states import CommentState
from rejoinder.errors import invalid, not_found
from rejoinder.moderation.settings import ModerationSettings, site_settings
from rejoinder.services.accounts import Moderator
from rejoinder.services.sites import SiteDirectory
from rejoinder.store import audit as audit_store
from rejoinder.store import moderation_queries as mq
from rejoinder.store.comments import StoredComment
from rejoinder.store.engine import Database

QUEUES = mq.QUEUES
PAGE_SIZE = 25
REVIEW_ACTIONS = ("approve", "reject", "spam", "delete")


@dataclass(slots=True)
class Signal:
    signal: str
    reason: str
    score: float
    suggests: str


@dataclass(slots=True)
class AuthorHistory:
    approved: int = 0
    rejected: int = 0
    pending: int = 0
    earlier: list[StoredComment] = field(default_factory=list)


@dataclass(slots=True)
class QueueItem:
    row: mq.QueueRow
    parent: StoredComment | None
    verdict: str | None
    signals: list[Signal]
    flags: list[tuple[str, str | None]]
    history: AuthorHistory

    @property
    def comment(self) -> StoredComment:
        return self.row.comment

    @property
    def article_link(self) -> str:
        return self.row.thread_url or self.row.thread_uri

    def as_dict(self) -> dict[str, Any]:
        c, r = self.comment, self.row
        return {
            "id": c.id, "state": c.state.value, "html": c.html, "text": c.text,
            "created": c.created.isoformat(), "pinned": c.pinned,
            "author": {"id": c.author_id, "name": c.author_name, "website": c.author_website,
                       "trusted": r.trusted, "always_hold": r.always_hold,
                       "approved": self.history.approved, "rejected": self.history.rejected},
            "thread": {"id": c.thread_id, "uri": r.thread_uri, "title": r.thread_title,
                       "url": r.thread_url, "closed": r.thread_closed},
            "parent": None if self.parent is None else {
                "id": self.parent.id, "author_name": self.parent.author_name,
                "html": self.parent.html,
            },
            "verdict": self.verdict,
            "signals": [{"signal": s.signal, "reason": s.reason, "score": s.score,
                         "suggests": s.suggests} for s in self.signals],
            "flags": [{"reason": reason, "note": note} for reason, note in self.flags],
        }


@dataclass(slots=True)
class Stats:
    days: list[tuple[date, int]]
    total: int
    held: int
    median_minutes_to_decision: float | None

    @property
    def held_share(self) -> float:
        return self.held / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "per_day": [{"date": d.isoformat(), "comments": n} for d, n in self.days],
            "total": self.total, "held": self.held, "held_share": round(self.held_share, 4),
            "median_minutes_to_decision": self.median_minutes_to_decision,
        }


class DashboardService:
    def __init__(self, db: Database, sites: SiteDirectory) -> None:
        self.db = db
        self.sites = sites

    async def sites_for(self, actor: Moderator) -> list[Site]:
        return [s for s in await self.sites.all() if actor.can_act_on(s.id)]

    async def site_for(self, actor: Moderator, site_key: str) -> Site:
        site = await self.sites.require(site_key)
        actor.require_site(site.id)
        return site

    async def queue(
        self, actor: Moderator, site_key: str, queue: str, *, text: str | None = None,
        author: str | None = None, thread: str | None = None, page: int = 1,
        page_size: int = PAGE_SIZE,
    ) -> list[QueueItem]:
        if queue not in QUEUES:
            raise not_found("unknown_queue", f"There is no queue {queue!r}.")
        site = await self.site_for(actor, site_key)
        page = max(1, page)
        async with self.db.read() as conn:
            rows = await mq.queue_comments(
                conn, site.id, queue, text=text or None, author=author or None,
                thread=thread or None, limit=page_size, offset=(page - 1) * page_size,
            )
            return await self._items(conn, rows)

    async def item(self, actor: Moderator, site_key: str, comment_id: int) -> QueueItem:
        site = await self.site_for(actor, site_key)
        async with self.db.read() as conn:
            row = await mq.queue_row(conn, comment_id)
            if row is None or row.site_id != site.id:
                raise not_found("comment_not_found", "There is no such comment on this site.")
            return (await self._items(conn, [row]))[0]

    async def _items(self, conn: Any, rows: list[mq.QueueRow]) -> list[QueueItem]:
        ids = [r.comment.id for r in rows]
        decisions = await mq.latest_decisions(conn, ids)
        flags = await mq.open_flags(conn, ids)
        parents = await mq.comments_by_ids(
            conn, [r.comment.parent_id for r in rows if r.comment.parent_id is not None]
        )
        author_ids = sorted({r.comment.author_id for r in rows if r.comment.author_id})
        counts = await mq.author_state_counts(conn, author_ids)
        items = []
        for r in rows:
            verdict, raw = decisions.get(r.comment.id, (None, []))
            history = AuthorHistory()
            if r.comment.author_id is not None:
                by_state = counts.get(r.comment.author_id, {})
                history = AuthorHistory(
                    approved=by_state.get(CommentState.PUBLISHED.value, 0),
                    rejected=by_state.get(CommentState.REJECTED.value, 0)
                    + by_state.get(CommentState.SPAM.value, 0),
                    pending=by_state.get(CommentState.PENDING.value, 0),
                    earlier=await mq.earlier_comments(conn, r.comment.author_id, r.comment.id),
                )
            items.append(QueueItem(
                row=r,
                parent=parents.get(r.comment.parent_id) if r.comment.parent_id else None,
                verdict=verdict,
                signals=[_signal(s) for s in raw if s.get("suggests") != "publish"],
                flags=flags.get(r.comment.id, []),
                history=history,
            ))
        return items

    async def counts(self, actor: Moderator, site_key: str) -> dict[str, int]:
        site = await self.site_for(actor, site_key)
        async with self.db.read() as conn:
            return await mq.queue_counts(conn, site.id)

    async def audit(
        self, actor: Moderator, site_key: str, *, page: int = 1, page_size: int = 50
    ) -> list[mq.AuditRow]:
        site = await self.site_for(actor, site_key)
        async with self.db.read() as conn:
            return await mq.audit_entries(
                conn, site.id, limit=page_size, offset=(max(1, page) - 1) * page_size
            )

    async def stats(self, actor: Moderator, site_key: str, *, days: int = 14) -> Stats:
        site = await self.site_for(actor, site_key)
        today = datetime.now(UTC).date()
        since = datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), UTC)
        async with self.db.read() as conn:
            created = await mq.created_since(conn, site.id, since)
            reviews = await mq.first_reviews(conn, site.id, since, REVIEW_ACTIONS)
        per_day = Counter(stamp.date() for _, stamp, _ in created)
        held = [(cid, stamp) for cid, stamp, verdict in created if verdict == "hold"]
        waits = [
            (reviews[cid] - stamp).total_seconds() / 60
            for cid, stamp in held if cid in reviews and reviews[cid] >= stamp
        ]
        return Stats(
            days=[(today - timedelta(days=i), per_day.get(today - timedelta(days=i), 0))
                  for i in reversed(range(days))],
            total=len(created),
            held=len(held),
            median_minutes_to_decision=round(statistics.median(waits), 1) if waits else None,
        )

    async def settings(self, actor: Moderator, site_key: str) -> tuple[Site, ModerationSettings]:
        site = await self.site_for(actor, site_key)
        return site, site_settings(site)

    async def save_settings(
        self, actor: Moderator, site_key: str, form: Mapping[str, str]
    ) -> tuple[Site, ModerationSettings]:
        """Validate the settings form, store it where ``site_settings`` reads it, log it."""
        site = await self.site_for(actor, site_key)
        values = parse_settings_form(form)
        try:
            parsed = ModerationSettings.from_mapping(values)
        except (ValueError, TypeError, KeyError) as exc:
            raise invalid("invalid_settings", f"A setting is not valid: {exc}") from None
        stored = parsed.to_mapping()
        if isinstance(site.settings.get("moderation"), Mapping):
            changes: dict[str, Any] = {"moderation": {**site.settings["moderation"], **stored}}
        else:
            changes = stored
        origins = form.get("origins")
        updated = await self.sites.update(
            site.key, settings=changes, origins=None if origins is None else origins.split()
        )
        async with self.db.write() as conn:
            await audit_store.record_action(
                conn, site_id=site.id, comment_id=None, actor=actor.username,
                action="settings", reason=f"mode {parsed.mode.value}",
            )
        return updated, site_settings(updated)


def _signal(raw: Mapping[str, Any]) -> Signal:
    return Signal(
        signal=str(raw.get("signal", "")), reason=str(raw.get("reason", "")),
        score=float(raw.get("score") or 0.0), suggests=str(raw.get("suggests", "")),
    )


RULES = ("post_per_ip", "post_per_author", "post_per_thread", "flag_per_ip")
INTEGERS = ("new_commenter_threshold", "max_links", "flags_to_hide")
WORD_LISTS = ("banned_words", "suspect_words", "blocked_domains")


def parse_settings_form(form: Mapping[str, str]) -> dict[str, Any]:
    """The settings page's fields as a mapping ``ModerationSettings.from_mapping`` accepts."""
    values: dict[str, Any] = {"mode": form.get("mode", "post")}
    try:
        for name in INTEGERS:
            if form.get(name, "").strip():
                values[name] = int(form[name])
        for name in WORD_LISTS:
            values[name] = [w.strip() for w in form.get(name, "").splitlines() if w.strip()]
        for name in RULES:
            limit, window = form.get(f"{name}_limit", ""), form.get(f"{name}_window", "")
            if limit.strip() and window.strip():
                values[name] = [int(limit), float(window)]
        thresholds: dict[str, dict[str, float | None]] = {}
        for line in form.get("score_thresholds", "").splitlines():
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 3:
                raise ValueError(f"{line!r}: write 'signal hold reject' ('-' for none)")
            thresholds[parts[0]] = {
                "hold": None if parts[1] == "-" else float(parts[1]),
                "reject": None if parts[2] == "-" else float(parts[2]),
            }
        values["score_thresholds"] = thresholds
    except ValueError as exc:
        raise invalid("invalid_settings", f"A setting is not valid: {exc}") from None
    if values["mode"] not in ("post", "pre", "pre_new"):
        raise invalid("invalid_settings", "The mode is post, pre or pre_new.", "mode")
    return values


def thresholds_text(settings: ModerationSettings) -> str:
    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:g}"

    return "\n".join(
        f"{name} {fmt(t.hold)} {fmt(t.reject)}" for name, t in settings.score_thresholds.items()
    )

