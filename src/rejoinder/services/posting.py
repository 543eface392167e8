"""Posting a comment: validate, gate, moderate, then write everything in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.domain.decision import Decision, Submission, Verdict
from rejoinder.domain.site import Site
from rejoinder.domain.states import CommentState
from rejoinder.domain.thread import Thread, normalize_uri
from rejoinder.errors import forbidden, invalid
from rejoinder.live.bus import Bus, channel_for
from rejoinder.moderation.pipeline import REJECTED_MESSAGE
from rejoinder.render import render
from rejoinder.services.serialize import owner_comment, public_comment
from rejoinder.services.signin import reader_author_key
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.tokens import Signer, author_key, avatar_seed
from rejoinder.services.validation import (
    Limits,
    clean_email,
    clean_optional,
    clean_text,
    clean_website,
)
from rejoinder.store import authors as author_store
from rejoinder.store import comments as comment_store
from rejoinder.store import threads as thread_store
from rejoinder.store.comment_records import CommentRecords, record_new_comment
from rejoinder.store.comments import NewCommentRow, StoredComment
from rejoinder.store.engine import Database
from rejoinder.store.threads import with_blanks_filled


@dataclass(frozen=True, slots=True)
class NewComment:
    site: str
    uri: str
    text: str
    parent: int | None = None
    name: str | None = None
    email: str | None = None
    website: str | None = None
    title: str | None = None
    url: str | None = None
    notify: bool = False
    honeypot: str | None = None
    form_loaded_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Client:
    ip: str | None
    origin: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True, slots=True)
class Posted:
    comment: dict[str, Any]
    edit_token: str
    editable_until: datetime
    held: bool


class Gate(Protocol):
    """Cheap admission checks (rate limits) that run before anything touches the database."""

    async def admit(self, site: Site, submission: Submission) -> None: ...


class NewCommentHook(Protocol):
    """Runs inside the posting transaction, so notifications commit with the comment."""

    async def enqueue_for_new_comment(
        self, conn: AsyncConnection, site: Site, comment_id: int, *, reasons: Sequence[str] = (),
        comment: StoredComment | None = None, thread: Thread | None = None,
    ) -> int: ...


class EmbeddingHook(Protocol):
    async def vector_for(self, site_key: str, text: str) -> bytes | None: ...


class Moderator(Protocol):
    def prepare(self, submission: Submission) -> None:
        """Start slow checks (the classifiers) early; ``decide`` picks their results up."""

    async def decide(self, site: Site, submission: Submission) -> Decision: ...


class Reader(Protocol):
    """A signed-in reader (``rejoinder.store.identity.Account``): their comments carry a badge."""

    @property
    def id(self) -> int: ...
    @property
    def site_id(self) -> int: ...
    @property
    def author_id(self) -> int: ...
    @property
    def provider(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def website(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def avatar_url(self) -> str | None: ...


class GuestCheck(Protocol):
    """The site's sign-in rules for guests: required fields, sign-in required, reserved names."""

    async def check_guest(self, site: Site, name: str | None, email: str | None) -> None: ...


class PostingService:
    def __init__(
        self,
        db: Database,
        sites: SiteDirectory,
        signer: Signer,
        bus: Bus,
        moderator: Moderator,
        gate: Gate,
        *,
        notifications: NewCommentHook | None = None,
        embeddings: EmbeddingHook | None = None,
        limits: Limits,
        edit_window: int,
        max_depth: int,
        allow_images: bool = False,
        guests: GuestCheck | None = None,
    ) -> None:
        self.db = db
        self.sites = sites
        self.signer = signer
        self.bus = bus
        self.moderator = moderator
        self.gate = gate
        self.notifications = notifications
        self.embeddings = embeddings
        self.limits = limits
        self.edit_window = edit_window
        self.max_depth = max_depth
        self.allow_images = allow_images
        self.guests = guests

    async def post(self, new: NewComment, client: Client, reader: Reader | None = None) -> Posted:
        site = await self.sites.require(new.site)
        text = clean_text(new.text, self.limits)
        name = clean_optional(new.name, self.limits.name, "name")
        email = clean_email(new.email, self.limits)
        website = clean_website(new.website, self.limits)
        title = clean_optional(new.title, 500, "title")
        uri = self._check_page(site, new, client)
        if reader is not None:
            name, email, website = reader.display_name, reader.email, reader.website
            key = reader_author_key(self.signer, reader.provider, reader.subject)
        else:
            if self.guests is not None:
                await self.guests.check_guest(site, name, email)
            key = author_key(self.signer, email, name, client.ip)
        submission = Submission(
            site_key=site.key, thread_uri=uri, text=text, author_name=name, author_email=email,
            author_website=website, ip=client.ip, author_key=key, parent_id=new.parent,
            honeypot=new.honeypot, form_loaded_at=new.form_loaded_at,
            submitted_at=datetime.now(UTC), user_agent=client.user_agent,
        )
        await self.gate.admit(site, submission)
        # admitted: the forward pass starts now and runs while the thread is read
        self.moderator.prepare(submission)
        async with self.db.read() as conn:
            thread = await thread_store.thread_by_uri(conn, site.id, uri)
            parent = None
            if new.parent is not None:
                parent = await comment_store.comment_by_id(conn, new.parent)
        if thread is not None and thread.closed:
            raise forbidden("thread_closed", "This discussion is closed to new comments.")
        if new.parent is not None and (
            parent is None
            or thread is None
            or parent.thread_id != thread.id
            or parent.state in (CommentState.SPAM, CommentState.REJECTED)
        ):
            raise invalid(
                "parent_not_in_thread",
                "The comment you are replying to is not part of this discussion.",
                "parent",
            )
        decision = await self.moderator.decide(site, submission)
        if decision.verdict is Verdict.REJECT:
            raise forbidden("comment_rejected", REJECTED_MESSAGE)
        state = CommentState.PENDING if decision.verdict is Verdict.HOLD else CommentState.PUBLISHED
        html = render(text, allow_images=self.allow_images)
        vector = await self.embeddings.vector_for(site.key, text) if self.embeddings else None
        created = datetime.now(UTC)
        known = thread  # as read above; the write re-reads it when bumping its version

        # every statement below is one round trip inside the write lock: keep them few
        # (tests/services/test_posting_statements.py counts them). It runs on the writer thread
        # (Database.run_write): touch nothing here but ``conn`` and plain values.
        async def write(conn: AsyncConnection) -> StoredComment:
            # author row before thread row: other writers lock them in that order too
            author_id = reader.author_id if reader is not None else (
                await author_store.upsert_author(conn, site.id, key, name, email, website)
            )
            # A known thread's row is updated (version bump, which locks it until COMMIT) last,
            # so concurrent posts to it queue for as short a time as possible; a new thread
            # has to exist before its first comment.
            target = known if known is not None else await self._touch_thread(
                conn, site, uri, title, new, exists=False)
            attach, depth, parent_path = None, 0, None
            if parent is not None:
                attach, depth, parent_path = parent.id, parent.depth + 1, parent.path
                if depth > self.max_depth:
                    # attach to the deepest allowed ancestor; reply_to keeps who was answered
                    segments = parent.path.split(".")[: self.max_depth]
                    attach, depth = int(segments[-1]), self.max_depth
                    parent_path = ".".join(segments)
            stored = await comment_store.add_comment(
                conn,
                NewCommentRow(
                    thread_id=target.id, parent_id=attach, parent_path=parent_path,
                    reply_to_id=parent.id if parent else None, depth=depth,
                    author_id=author_id, state=state, text=text, html=html, author_name=name,
                    author_website=website,
                    avatar=key[:16] if reader else avatar_seed(self.signer, email, name, client.ip),
                    ip=client.ip, notify=bool(new.notify and email), created=created,
                ),
            )
            await record_new_comment(conn, CommentRecords(
                comment_id=stored.id, site_id=site.id, verdict=decision.verdict.value,
                signals=decision_signals(decision), state=state.value,
                reason="; ".join(decision.reasons) or None, vector=vector,
            ))
            if self.notifications is not None:
                # before the thread's row is locked, as the thread will be after the bump
                await self.notifications.enqueue_for_new_comment(
                    conn, site, stored.id, reasons=decision.reasons, comment=stored,
                    thread=target if known is None else with_blanks_filled(known, title, new.url),
                )
            if known is not None:  # threads are never deleted, so it is still the same one
                await self._touch_thread(conn, site, uri, title, new, exists=True)
            return stored

        stored = await self.db.run_write(write)
        comment_id = stored.id
        if state is CommentState.PUBLISHED:
            reply_name = parent.author_name if parent else None
            event = public_comment(stored, reply_name)
            with_badge(event, reader)
            await self.bus.publish(
                channel_for(site.key, uri), {"type": "comment", "comment": event}
            )
        expires = created.timestamp() + self.edit_window
        return Posted(
            comment=with_badge(owner_comment(stored), reader),
            edit_token=self.signer.edit_token(comment_id, expires),
            editable_until=datetime.fromtimestamp(expires, UTC),
            held=state is CommentState.PENDING,
        )

    @staticmethod
    async def _touch_thread(conn: AsyncConnection, site: Site, uri: str, title: str | None,
                            new: NewComment, *, exists: bool) -> Thread:
        """Create the thread or bump its version; refuses a closed one (the transaction then
        rolls back, bump included)."""
        thread = await thread_store.thread_for_comment(conn, site.id, uri, title, new.url,
                                                       exists=exists)
        if thread.closed:
            raise forbidden("thread_closed", "This discussion is closed to new comments.")
        return thread

    def _check_page(self, site: Site, new: NewComment, client: Client) -> str:
        if not new.uri or not new.uri.strip():
            raise invalid("uri_missing", "Say which page the comment belongs to.", "uri")
        if len(new.uri) > 1000:
            raise invalid("uri_too_long", "The page address is too long.", "uri")
        for candidate in (new.uri, new.url, client.origin):
            if not candidate:
                continue
            parts = urlsplit(candidate.strip())
            if parts.scheme and parts.netloc and not site.allows_origin(
                f"{parts.scheme}://{parts.netloc}"
            ):
                raise forbidden(
                    "uri_not_allowed",
                    "This page is not one of the site's allowed origins.",
                )
        return normalize_uri(new.uri)


def with_badge(comment: dict[str, Any], reader: Reader | None) -> dict[str, Any]:
    if reader is not None and comment.get("author"):
        comment["author"]["badge"] = "verified"
        if reader.avatar_url:
            comment["author"]["avatar_url"] = f"/api/v1/avatars/{reader.id}"
    return comment


def decision_signals(decision: Decision) -> list[dict[str, Any]]:
    return [
        {
            "signal": r.signal,
            "score": round(r.score, 4),
            "suggests": r.suggests.value,
            "reason": r.reason,
            "related": r.related_comment_id,
        }
        for r in decision.results
    ]

