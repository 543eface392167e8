"""A signed-in reader's own things: profile, comments, claimed guest comments, avatar, erasure."""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from rejoinder.domain.states import CommentState
from rejoinder.errors import RejoinderError, invalid, not_found
from rejoinder.identity.names import skeleton
from rejoinder.live.bus import Bus, channel_for
from rejoinder.services.signin import SigninService
from rejoinder.services.tokens import Signer
from rejoinder.services.validation import Limits, clean_optional, clean_website
from rejoinder.store import audit
from rejoinder.store import comments as comment_store
from rejoinder.store import identity as store
from rejoinder.store import threads as thread_store
from rejoinder.store.engine import Database
from rejoinder.store.identity import Account
from rejoinder.store.rows import now
from rejoinder.store.tables import authors

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
AVATAR_DAYS = 1


@dataclass(frozen=True, slots=True)
class Avatar:
    content_type: str
    body: bytes


def profile_json(account: Account) -> dict[str, Any]:
    """What the reader's own widget shows; the email only to its owner."""
    return {
        "id": account.id,
        "name": account.display_name,
        "website": account.website,
        "email": account.email,
        "provider": account.provider,
        "avatar_url": f"/api/v1/avatars/{account.id}" if account.avatar_url else None,
        "badge": "verified",
    }


class ProfileService:
    def __init__(
        self, db: Database, signer: Signer, bus: Bus, signin: SigninService, *, limits: Limits,
        avatar_max_bytes: int = 262_144, http: httpx.AsyncClient | None = None,
        plain_http_avatars: bool = False,
    ) -> None:
        self.db = db
        self.signer = signer
        self.bus = bus
        self.signin = signin
        self.limits = limits
        self.avatar_max_bytes = avatar_max_bytes
        self.http = http
        self.plain_http_avatars = plain_http_avatars

    async def update(
        self, account: Account, *, name: str | None, website: str | None
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if name is not None:
            cleaned = clean_optional(name, self.limits.name, "name")
            if not cleaned or not skeleton(cleaned):
                raise invalid("name_required", "Give a display name.", "name")
            if await self.signin.name_reserved(account.site_id, cleaned, account.id):
                raise RejoinderError(409, "name_reserved",
                                     "Another reader uses that name; choose another.")
            values.update(display_name=cleaned, name_key=skeleton(cleaned))
        if website is not None:
            values["website"] = clean_website(website, self.limits) if website else None
        if values:
            async with self.db.write() as conn:
                await store.update_account(conn, account.id, **values)
                await conn.execute(authors.update().where(authors.c.id == account.author_id)
                                   .values(name=values.get("display_name", account.display_name),
                                           website=values.get("website", account.website)))
                fresh = await store.account_by_id(conn, account.id)
            assert fresh is not None
            account = fresh
        return profile_json(account)

    async def my_comments(self, account: Account) -> list[dict[str, Any]]:
        async with self.db.read() as conn:
            return await store.comments_of_author(conn, account.author_id)

    async def delete_comment(self, account: Account, comment_id: int) -> dict[str, Any]:
        async with self.db.write() as conn:
            comment = await comment_store.comment_by_id(conn, comment_id)
            if comment is None or comment.author_id != account.author_id:
                raise not_found("comment_not_found", "You have no such comment.")
            await comment_store.update_comment(
                conn, comment_id, state=CommentState.DELETED, text="", html="",
                author_name=None, author_website=None, notify=False,
            )
            await thread_store.bump_version(conn, comment.thread_id)
            await audit.record_action(
                conn, site_id=account.site_id, comment_id=comment_id, actor="author",
                action="delete", from_state=comment.state.value,
                to_state=CommentState.DELETED.value,
            )
            thread = await thread_store.thread_by_id(conn, comment.thread_id)
            site = await comment_store.site_of_comment(conn, comment_id)
        assert thread is not None and site is not None
        await self.bus.publish(channel_for(site[1], thread.uri),
                               {"type": "delete", "id": comment_id})
        return {"id": comment_id, "state": CommentState.DELETED.value}

    async def claim(self, account: Account, edit_tokens: list[str]) -> list[int]:
        """Move guest comments whose edit tokens the reader holds (window over or not)."""
        ids: list[int] = []
        for token in edit_tokens[:200]:
            parts = token.split(".")
            if len(parts) != 3 or not parts[0].isdigit():
                continue
            if hmac.compare_digest(self.signer.mac("edit", f"{parts[0]}.{parts[1]}"), parts[2]):
                ids.append(int(parts[0]))
        async with self.db.write() as conn:
            moved = await store.move_comments(conn, ids, account.site_id, account.author_id,
                                              account.display_name, account.website)
            for thread_id in await _threads_of(conn, moved):
                await thread_store.bump_version(conn, thread_id)
        return moved

    async def delete_account(self, account: Account) -> None:
        """Personal data goes; comments stay as "[deleted]" placeholders in their threads."""
        async with self.db.write() as conn:
            for thread_id in await store.erase_author_comments(conn, account.author_id):
                await thread_store.bump_version(conn, thread_id)
            await audit.record_action(conn, site_id=account.site_id, comment_id=None,
                                      actor="author", action="erase_account")
            await store.delete_account(conn, account.id)

    async def avatar(self, account_id: int) -> Avatar:
        async with self.db.read() as conn:
            account = await store.account_by_id(conn, account_id)
            cached = await store.cached_avatar(conn, account_id,
                                               now() - timedelta(days=AVATAR_DAYS))
        if account is None or not account.avatar_url:
            raise not_found("avatar_not_found", "This reader has no avatar.")
        if cached is not None:
            return Avatar(*cached)
        avatar = await self._fetch(account.avatar_url)
        async with self.db.write() as conn:
            await store.store_avatar(conn, account_id, avatar.content_type, avatar.body)
        return avatar

    async def _fetch(self, url: str) -> Avatar:
        allowed = ("https", "http") if self.plain_http_avatars else ("https",)
        parts = urlsplit(url)
        if parts.scheme not in allowed or not parts.hostname:
            raise not_found("avatar_not_found", "This avatar cannot be fetched.")
        if not self.plain_http_avatars and await _reaches_private_network(parts.hostname):
            # a provider-supplied address must not make this server probe its own network
            raise not_found("avatar_not_found", "This avatar cannot be fetched.")
        http = self.http or httpx.AsyncClient(timeout=5.0, follow_redirects=False)
        try:
            async with http.stream("GET", url, headers={"Accept": ", ".join(IMAGE_TYPES)}) as r:
                kind = r.headers.get("content-type", "").split(";")[0].strip().lower()
                if r.status_code != 200 or kind not in IMAGE_TYPES:
                    raise not_found("avatar_not_found", "The avatar is not an image.")
                body = bytearray()
                async for chunk in r.aiter_bytes():
                    body += chunk
                    if len(body) > self.avatar_max_bytes:
                        raise not_found("avatar_too_large", "The avatar is too large.")
        except httpx.HTTPError:
            raise RejoinderError(502, "avatar_unavailable",
                                 "The avatar could not be fetched.") from None
        finally:
            if self.http is None:
                await http.aclose()
        return Avatar(kind, bytes(body))


async def _reaches_private_network(host: str) -> bool:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, 443)
    except OSError:
        return True
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return True
    return False


async def _threads_of(conn: Any, comment_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for comment_id in comment_ids:
        comment = await comment_store.comment_by_id(conn, comment_id)
        if comment is not None:
            found.add(comment.thread_id)
    return found
