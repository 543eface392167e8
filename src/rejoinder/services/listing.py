"""Reading threads: pages of the comment tree, replies, counts and recent comments.

Listings are served from a per-thread snapshot keyed by the thread's version number, which every
write bumps in its own transaction; one indexed query per request tells whether the snapshot is
current, so this stays correct with many processes on one database. Response bodies are cached
as bytes per (version, query), so a hot thread costs one small query and a dictionary lookup.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.domain.states import SortOrder
from rejoinder.domain.thread import normalize_uri
from rejoinder.errors import invalid, not_found
from rejoinder.services.serialize import public_comment
from rejoinder.services.single_flight import SingleFlight
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.snapshot import ThreadSnapshot, after, build_snapshot, nest, sort_key
from rejoinder.store import comments as comment_store
from rejoinder.store import threads as thread_store
from rejoinder.store.engine import Database
from rejoinder.store.threads import ThreadHead


@dataclass(frozen=True, slots=True)
class Page:
    etag: str
    body: bytes


class _Lru(OrderedDict[Any, Any]):
    """Least recently used entries go first once there are more than ``size`` of them, or
    (with ``weigh``) once their total weight passes ``max_weight``."""

    def __init__(self, size: int, max_weight: int = 0, weigh: Any = None) -> None:
        super().__init__()
        self.size = size
        self.max_weight = max_weight
        self.weigh = weigh
        self.weight = 0

    def put(self, key: Any, value: Any) -> None:
        if self.weigh is not None:
            old = self.get(key)
            if old is not None:
                self.weight -= self.weigh(old)
            self.weight += self.weigh(value)
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size or (self.weigh is not None and self.weight > self.max_weight
                                        and len(self) > 1):
            _, dropped = self.popitem(last=False)
            if self.weigh is not None:
                self.weight -= self.weigh(dropped)

    def hit(self, key: Any) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value


def encode_cursor(parts: tuple[Any, ...]) -> str:
    raw = json.dumps(list(parts), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> tuple[Any, ...]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parts = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid(
            "invalid_cursor", "The cursor is not one this server issued.", "cursor"
        ) from None
    if (
        not isinstance(parts, list)
        or len(parts) != size
        or not all(isinstance(p, int | str) and not isinstance(p, bool) for p in parts)
    ):
        raise invalid("invalid_cursor", "The cursor is not one this server issued.", "cursor")
    return tuple(parts)


PAGE_CACHE_BYTES = 32 * 1024 * 1024


class ListingService:
    def __init__(
        self,
        db: Database,
        sites: SiteDirectory,
        *,
        page_size: int,
        max_page_size: int,
        reply_page_size: int,
        head_ttl: float = 1.0,
    ) -> None:
        self.head_ttl = head_ttl
        self._heads: _Lru = _Lru(4096)
        self.db = db
        self.sites = sites
        self.page_size = page_size
        self.max_page_size = max_page_size
        self.reply_page_size = reply_page_size
        self._snapshots: _Lru = _Lru(256)
        self._flights = SingleFlight()
        self._pages: _Lru = _Lru(4096, PAGE_CACHE_BYTES, lambda page: len(page.body))

    def _limit(self, value: int | None, default: int, name: str) -> int:
        if value is None:
            return default
        if value < 1 or value > self.max_page_size:
            raise invalid(
                "invalid_limit", f"{name} must be between 1 and {self.max_page_size}.", name
            )
        return value

    async def _fresh(self, key: Any, load: Callable[[AsyncConnection], Awaitable[Any]]) -> Any:
        """``load``'s answer, remembered for ``head_ttl`` seconds unless this process wrote
        since: a hot thread is served without touching the database at all."""
        now = time.monotonic()
        cached = self._heads.get(key)
        if cached is not None and cached[0] > now and cached[1] == self.db.generation:
            return cached[2]
        generation = self.db.generation
        # shared only with callers that saw the same writes of this process
        value = await self._flights.run((key, generation), partial(self._read, load))
        if self.head_ttl > 0:
            self._heads.put(key, (now + self.head_ttl, generation, value))
        return value

    async def _read(self, load: Callable[[AsyncConnection], Awaitable[Any]]) -> Any:
        async with self.db.read() as conn:
            return await load(conn)

    async def _head(self, site_id: int, path: str) -> ThreadHead | None:
        head: ThreadHead | None = await self._fresh(
            ("head", site_id, path), lambda conn: thread_store.thread_head(conn, site_id, path)
        )
        return head

    async def _snapshot(self, head: ThreadHead) -> ThreadSnapshot:
        cached = self._snapshots.hit(head.id)
        if cached is not None and cached[0] == head.version:
            return cached[1]
        snapshot: ThreadSnapshot = await self._flights.run(
            ("snapshot", head.id, head.version), partial(self._build, head))
        return snapshot

    async def _build(self, head: ThreadHead) -> ThreadSnapshot:
        async with self.db.read() as conn:
            rows = await comment_store.thread_comments(conn, head.id)
        snapshot = build_snapshot(rows)
        self._snapshots.put(head.id, (head.version, snapshot))
        return snapshot

    async def page(
        self,
        site_key: str,
        uri: str,
        *,
        sort: SortOrder = SortOrder.OLDEST,
        limit: int | None = None,
        cursor: str | None = None,
        replies: int | None = None,
    ) -> Page:
        site = await self.sites.require(site_key)
        path = normalize_uri(uri)
        limit = self._limit(limit, self.page_size, "limit")
        if replies is not None and replies == 0:
            reply_limit = 0
        else:
            reply_limit = self._limit(replies, self.reply_page_size, "replies")
        head = await self._head(site.id, path)
        key = (site.id, path, head.version if head else -1, sort, limit, cursor, reply_limit)
        cached = self._pages.hit(key)
        if cached is not None:
            return cached
        body = await self._render_page(head, path, sort, limit, cursor, reply_limit)
        digest = hashlib.blake2b(repr(key).encode(), digest_size=8).hexdigest()
        page = Page(etag=f'"{digest}"', body=json.dumps(body, separators=(",", ":")).encode())
        self._pages.put(key, page)
        return page

    async def _render_page(
        self,
        head: ThreadHead | None,
        path: str,
        sort: SortOrder,
        limit: int,
        cursor: str | None,
        reply_limit: int,
    ) -> dict[str, Any]:
        thread = {
            "id": head.id if head else None,
            "uri": path,
            "title": head.title if head else None,
            "url": head.url if head else None,
            "closed": head.closed if head else False,
        }
        if head is None:
            return {"thread": thread, "sort": sort.value, "total": 0, "visible": 0,
                    "pinned": [], "comments": [], "next_cursor": None}
        snapshot = await self._snapshot(head)
        roots, keys = snapshot.ordered(sort)
        start = 0
        if cursor:
            start = after(keys, decode_cursor(cursor, len(keys[0]) if keys else 1))
        chosen = roots[start:start + limit]
        more = start + limit < len(roots)
        return {
            "thread": thread,
            "sort": sort.value,
            "total": snapshot.published,
            "visible": snapshot.visible,
            "pinned": [] if cursor else [self._with_replies(n, reply_limit)
                                         for n in snapshot.pinned],
            "comments": [self._with_replies(n, reply_limit) for n in chosen],
            "next_cursor": encode_cursor(sort_key(sort, chosen[-1])) if more and chosen else None,
        }

    def _with_replies(self, node: Any, reply_limit: int) -> dict[str, Any]:
        shown = node.descendants[:reply_limit]
        item = {**node.data, "replies": nest(shown)}
        item["replies_total"] = len(node.descendants)
        item["replies_cursor"] = (
            encode_cursor((shown[-1].path,)) if len(node.descendants) > len(shown) and shown
            else encode_cursor(("",)) if node.descendants and not shown else None
        )
        return item

    async def replies(
        self, comment_id: int, *, cursor: str | None = None, limit: int | None = None
    ) -> dict[str, Any]:
        """Descendants of one comment after ``cursor``, flat in tree order with their parents."""
        limit = self._limit(limit, self.reply_page_size, "limit")
        async with self.db.read() as conn:
            comment = await comment_store.comment_by_id(conn, comment_id)
            if comment is None:
                raise not_found("comment_not_found", "There is no such comment.")
            thread = await thread_store.thread_by_id(conn, comment.thread_id)
            assert thread is not None
            head = await thread_store.thread_head(conn, thread.site_id, thread.uri)
        assert head is not None
        snapshot = await self._snapshot(head)
        node = snapshot.by_id.get(comment_id)
        if node is None:
            raise not_found("comment_not_found", "There is no such comment.")
        prefix = node.path + "."
        root = snapshot.by_id[int(node.path.split(".", 1)[0])]
        run = [d for d in root.descendants if d.path.startswith(prefix)]
        last = decode_cursor(cursor, 1)[0] if cursor else ""
        if not isinstance(last, str):
            raise invalid("invalid_cursor", "The cursor is not one this server issued.", "cursor")
        run = [d for d in run if d.path > last]
        chosen = run[:limit]
        return {
            "parent": comment_id,
            "comments": [{**d.data, "replies": []} for d in chosen],
            "next_cursor": encode_cursor((chosen[-1].path,)) if len(run) > limit else None,
        }

    async def counts(self, site_key: str, uris: list[str]) -> dict[str, int]:
        site = await self.sites.require(site_key)
        if len(uris) > 100:
            raise invalid("too_many_uris", "Ask for at most 100 pages at a time.", "uris")
        normalized = {uri: normalize_uri(uri) for uri in uris}
        paths = tuple(sorted(set(normalized.values())))
        found: dict[str, int] = await self._fresh(
            ("counts", site.id, paths),
            lambda conn: comment_store.counts_for_uris(conn, site.id, list(paths)),
        )
        return {uri: found.get(path, 0) for uri, path in normalized.items()}

    async def recent(self, site_key: str, limit: int | None = None) -> list[dict[str, Any]]:
        site = await self.sites.require(site_key)
        limit = self._limit(limit, 10, "limit")
        async with self.db.read() as conn:
            rows = await comment_store.recent_published(conn, site.id, limit)
        return [
            {**public_comment(c), "thread": {"uri": uri, "title": title}}
            for c, uri, title in rows
        ]
