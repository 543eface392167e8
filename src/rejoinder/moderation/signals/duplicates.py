"""Reposts: the same (or nearly the same) text again from one author, or from many authors.

Exact copies are found by a hash of the folded text (case, accents, punctuation and spacing
ignored). Near copies compare sets of hashed 3-word shingles by Jaccard similarity; the recent
window is small (``duplicate_scan_limit`` comments), so the sets are compared directly and cached
per comment instead of being sketched with MinHash.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from rejoinder.domain.decision import SignalResult, Submission
from rejoinder.moderation.context import ModerationContext
from rejoinder.moderation.text import fingerprint_text

SHINGLE_WORDS = 3
MIN_NEAR_WORDS = 8


@dataclass(frozen=True, slots=True)
class RecentComment:
    id: int
    author_key: str
    text: str
    created: datetime | None = None


class RecentComments(Protocol):
    async def recent(self, site_key: str, since: datetime, limit: int) -> list[RecentComment]:
        """The site's comments created at or after ``since``, newest first, at most ``limit``,
        whatever their state (held and rejected ones count: spam is often rejected)."""
        ...


class InMemoryRecentComments:
    def __init__(self) -> None:
        self._by_site: dict[str, list[RecentComment]] = {}

    def add(self, site_key: str, comment: RecentComment) -> None:
        self._by_site.setdefault(site_key, []).append(comment)

    async def recent(self, site_key: str, since: datetime, limit: int) -> list[RecentComment]:
        rows = [c for c in self._by_site.get(site_key, [])
                if c.created is None or c.created >= since]
        return sorted(rows, key=lambda c: c.id, reverse=True)[:limit]


def text_hash(text: str) -> str:
    return hashlib.blake2b(fingerprint_text(text).encode(), digest_size=16).hexdigest()


def shingles(text: str) -> frozenset[int]:
    words = fingerprint_text(text).split()
    if len(words) < MIN_NEAR_WORDS:
        return frozenset()
    return frozenset(
        hash(" ".join(words[i:i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1)
    )


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


class _Features:
    __slots__ = ("chars", "hash", "shingles")

    def __init__(self, text: str) -> None:
        self.chars = len(fingerprint_text(text))
        self.hash = text_hash(text)
        self.shingles = shingles(text)


class DuplicateSignal:
    name = "duplicate"
    cost = 30

    def __init__(self, recent: RecentComments, cache_size: int = 20_000) -> None:
        self.recent = recent
        self._cache: OrderedDict[tuple[int, int], _Features] = OrderedDict()
        self._cache_size = cache_size

    def _features(self, comment: RecentComment) -> _Features:
        key = (comment.id, hash(comment.text))
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = _Features(comment.text)
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return found

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        settings = context.settings
        mine = _Features(submission.text)
        if mine.chars < settings.duplicate_min_chars or settings.duplicate_window_seconds <= 0:
            return []
        since = context.now - timedelta(seconds=settings.duplicate_window_seconds)
        rows = await self.recent.recent(submission.site_key, since, settings.duplicate_scan_limit)
        return self._judge(submission, rows, mine, context)

    def _judge(
        self, submission: Submission, rows: Sequence[RecentComment], mine: _Features,
        context: ModerationContext,
    ) -> list[SignalResult]:
        settings = context.settings
        verdict = settings.duplicate_verdict
        same_author: tuple[float, RecentComment] | None = None
        authors = {submission.author_key}
        near = settings.near_duplicate_threshold
        # Jaccard >= t needs the smaller set to be at least t times the larger one.
        low = len(mine.shingles) * near
        high = len(mine.shingles) / near if near > 0 else float("inf")
        for row in rows:
            theirs = self._features(row)
            if theirs.hash == mine.hash:
                similarity = 1.0
            elif mine.shingles and low <= len(theirs.shingles) <= high:
                similarity = jaccard(mine.shingles, theirs.shingles)
                if similarity < settings.near_duplicate_threshold:
                    continue
            else:
                continue
            if row.author_key == submission.author_key:
                if same_author is None or similarity > same_author[0]:
                    same_author = (similarity, row)
            else:
                authors.add(row.author_key)
        results: list[SignalResult] = []
        if same_author is not None:
            similarity, row = same_author
            reason = (f"duplicate of #{row.id}" if similarity >= 1.0
                      else f"near-duplicate of #{row.id} ({similarity:.2f})")
            results.append(SignalResult(self.name, similarity, verdict, reason, row.id))
        wanted = settings.duplicate_authors_threshold
        if wanted > 1 and len(authors) >= wanted:
            score = min(1.0, len(authors) / (2 * wanted))
            results.append(SignalResult(self.name, max(score, 0.5), verdict,
                                        f"same text posted by {len(authors)} authors"))
        return results
