"""Reposts: the same (or nearly the same) text again from one author, or from many authors.

Exact copies are found by a hash of the folded text (case, accents, punctuation and spacing
ignored). Near copies compare sets of hashed 3-word shingles by Jaccard similarity; the recent
window is small (``duplicate_scan_limit`` comments), so each site's window is kept indexed by
shingle in memory and the exact sets are compared, instead of being sketched with MinHash.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from rejoinder.analysis.window_shift import entered_in_front
from rejoinder.domain.decision import SignalResult, Submission
from rejoinder.moderation.context import ModerationContext
from rejoinder.moderation.text import fingerprint_text

SHINGLE_WORDS = 3
MIN_NEAR_WORDS = 8
SUBMITTED_KEPT = 256


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


class _WindowIndex:
    """One site's recent comments indexed by text hash and by shingle.

    Comparing a new comment with every row of the window cost a millisecond per post; through
    the index only rows sharing a shingle (or the hash) with it are looked at. ``sync`` follows
    the window as rows enter and leave, and re-indexes a row whose text changed.
    """

    def __init__(self) -> None:
        self.rows: dict[int, tuple[str, _Features]] = {}  # id -> (text, features)
        # ids in tuples, not lists: tuples of ints drop out of the garbage collector's view,
        # and a window holds tens of thousands of shingles, each walked by every full pass
        self.by_hash: dict[str, tuple[int, ...]] = {}
        self.postings: dict[int, tuple[int, ...]] = {}  # shingle -> ids
        self._synced: list[RecentComment] = []  # the rows of the last sync, newest first

    def sync(self, rows: Sequence[RecentComment], known: dict[str, _Features]) -> None:
        """``known``: features already computed for texts (a submission's, when it returns as
        a stored row); entries used here are taken out."""
        if not self._shift(rows, known):
            self._resync(rows, known)
        self._synced = list(rows)

    def _shift(self, rows: Sequence[RecentComment], known: dict[str, _Features]) -> bool:
        """The usual move of the window between two posts: the rows synced last time, minus a
        few of the oldest, behind a few new ones. Indexes only the difference; False if the
        window moved any other way."""
        last = self._synced
        fresh = entered_in_front(rows, last)
        if fresh is None:
            return False
        entering, leaving = rows[:fresh], last[len(rows) - fresh:]
        gone = {row.id for row in leaving}
        if len(gone) < len(leaving) or len({row.id for row in entering}) < fresh or any(
                row.id in self.rows and row.id not in gone for row in entering):
            return False
        for row in leaving:
            self._remove(row.id)
        for row in entering:
            self._add(row.id, row.text, known.pop(row.text, None) or _Features(row.text))
        return True

    def _resync(self, rows: Sequence[RecentComment], known: dict[str, _Features]) -> None:
        current = {row.id: row.text for row in rows}
        for comment_id, (text, _) in list(self.rows.items()):
            if current.get(comment_id) != text:
                self._remove(comment_id)
        for comment_id, text in current.items():
            if comment_id not in self.rows:
                self._add(comment_id, text, known.pop(text, None) or _Features(text))

    def _add(self, comment_id: int, text: str, features: _Features) -> None:
        self.rows[comment_id] = (text, features)
        self.by_hash[features.hash] = (*self.by_hash.get(features.hash, ()), comment_id)
        for shingle in features.shingles:
            self.postings[shingle] = (*self.postings.get(shingle, ()), comment_id)

    def _remove(self, comment_id: int) -> None:
        _, features = self.rows.pop(comment_id)
        _discard(self.by_hash, features.hash, comment_id)
        for shingle in features.shingles:
            _discard(self.postings, shingle, comment_id)

    def similar(self, mine: _Features, threshold: float) -> dict[int, float]:
        """Ids of rows with the same hash (1.0) or shingle Jaccard >= ``threshold``."""
        found = dict.fromkeys(self.by_hash.get(mine.hash, ()), 1.0)
        if not mine.shingles:
            return found
        shared: dict[int, int] = {}
        for shingle in mine.shingles:
            for comment_id in self.postings.get(shingle, ()):
                shared[comment_id] = shared.get(comment_id, 0) + 1
        size = len(mine.shingles)
        for comment_id, common in shared.items():
            if comment_id in found:
                continue
            theirs = len(self.rows[comment_id][1].shingles)
            similarity = common / (size + theirs - common)
            if similarity >= threshold:
                found[comment_id] = similarity
        return found


def _discard(index: dict[Any, tuple[int, ...]], key: object, comment_id: int) -> None:
    ids = index.get(key)
    if ids is not None:
        kept = tuple(i for i in ids if i != comment_id)
        if kept:
            index[key] = kept
        else:
            del index[key]


class DuplicateSignal:
    name = "duplicate"
    cost = 30

    def __init__(self, recent: RecentComments) -> None:
        self.recent = recent
        self._windows: dict[str, _WindowIndex] = {}
        # the last submissions' features, reused when they come back as stored rows
        self._submitted: OrderedDict[str, _Features] = OrderedDict()

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        settings = context.settings
        mine = _Features(submission.text)
        if mine.chars < settings.duplicate_min_chars or settings.duplicate_window_seconds <= 0:
            return []
        since = context.now - timedelta(seconds=settings.duplicate_window_seconds)
        rows = await self.recent.recent(submission.site_key, since, settings.duplicate_scan_limit)
        window = self._windows.get(submission.site_key)
        if window is None:
            window = self._windows[submission.site_key] = _WindowIndex()
        window.sync(rows, self._submitted)
        self._submitted[submission.text] = mine
        while len(self._submitted) > SUBMITTED_KEPT:
            self._submitted.popitem(last=False)
        similar = window.similar(mine, settings.near_duplicate_threshold)
        return self._judge(submission, rows, similar, context)

    def _judge(
        self, submission: Submission, rows: Sequence[RecentComment], similar: dict[int, float],
        context: ModerationContext,
    ) -> list[SignalResult]:
        settings = context.settings
        verdict = settings.duplicate_verdict
        same_author: tuple[float, RecentComment] | None = None
        authors = {submission.author_key}
        for row in rows:  # newest first: among equals the newest copy is named
            similarity = similar.get(row.id)
            if similarity is None:
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
