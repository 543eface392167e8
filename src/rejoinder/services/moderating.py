"""Builds the moderation pipeline, the rate-limit gates and the store adapters they read."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.analysis.adapt import SiteHeadStore
from rejoinder.analysis.classifier import PRECISIONS, CommentClassifier, Precision
from rejoinder.analysis.memory import return_large_buffers_to_the_system
from rejoinder.analysis.service import ScoringService
from rejoinder.errors import ConfigError
from rejoinder.moderation.context import AuthorStatus
from rejoinder.moderation.moderator import SiteModerator
from rejoinder.moderation.pipeline import ModerationPipeline, standard_signals
from rejoinder.moderation.ratelimit import (
    InMemoryRateLimiter,
    RateLimiter,
    RateLimitGate,
    RateLimits,
    rate_limited,
)
from rejoinder.moderation.ratelimit_redis import RedisRateLimiter
from rejoinder.moderation.settings import site_settings
from rejoinder.moderation.signals.akismet import AkismetConfig, AkismetSignal
from rejoinder.moderation.signals.bans import Ban, BanList
from rejoinder.moderation.signals.base import Signal
from rejoinder.moderation.signals.classifiers import ScoreCache, classifier_signals
from rejoinder.moderation.signals.duplicates import RecentComment
from rejoinder.moderation.signals.external import FailMode
from rejoinder.moderation.signals.perspective import PerspectiveConfig, PerspectiveSignal
from rejoinder.moderation.signals.rewording import RewordingSignal
from rejoinder.services.recent_window import RecentWindow
from rejoinder.services.sites import SiteDirectory
from rejoinder.settings import Settings
from rejoinder.store import embeddings as embedding_store
from rejoinder.store import moderation_lookups as lookups
from rejoinder.store.engine import Database


class StoreRecentComments:
    def __init__(self, db: Database) -> None:
        self.window = RecentWindow(db, _recent_comments, ident=lambda c: c.id,
                                   created=lambda c: c.created)

    async def recent(self, site_key: str, since: datetime, limit: int) -> list[RecentComment]:
        return await self.window.rows(site_key, since, limit)


async def _recent_comments(
    conn: AsyncConnection, site_key: str, since: datetime, limit: int, after_id: int | None
) -> list[RecentComment]:
    rows = await lookups.recent_site_comments(conn, site_key, since, limit, after_id)
    return [RecentComment(id=i, author_key=k, text=t, created=c) for i, k, t, c in rows]


class StoreAuthors:
    """Author status (trusted / always hold) and history (published comments) from the store."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def author_status(self, site_key: str, author_key: str) -> AuthorStatus:
        async with self.db.read() as conn:
            found = await lookups.author_flags(conn, site_key, author_key)
        if found is None:
            return AuthorStatus()
        return AuthorStatus(trusted=found[0], always_hold=found[1])

    async def approved_count(self, site_key: str, author_key: str) -> int:
        async with self.db.read() as conn:
            return await lookups.approved_count(conn, site_key, author_key)


class StoreRecentEmbeddings:
    def __init__(self, db: Database) -> None:
        self.window = RecentWindow(db, _recent_embeddings, ident=lambda r: r.comment_id,
                                   created=lambda r: r.created)

    async def recent(
        self, site_key: str, since_seconds: float, limit: int
    ) -> list[tuple[int, np.ndarray]]:
        since = datetime.now(UTC) - timedelta(seconds=since_seconds)
        return [(r.comment_id, r.vector) for r in await self.window.rows(site_key, since, limit)]


@dataclass(frozen=True, slots=True)
class _Embedded:
    comment_id: int
    vector: np.ndarray  # decoded once, when the row enters the window
    created: datetime | None


async def _recent_embeddings(
    conn: AsyncConnection, site_key: str, since: datetime, limit: int, after_id: int | None
) -> list[_Embedded]:
    rows = await embedding_store.recent_embeddings(conn, site_key, since, limit, after_id)
    return [_Embedded(cid, vector_from_bytes(raw), created) for cid, raw, created in rows]


def vector_to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def vector_from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=np.float16).astype(np.float32)


class EmbeddingRecorder:
    """Hands the posting service the embedding the classifiers computed for a submission."""

    def __init__(self, cache: ScoreCache) -> None:
        self.cache = cache

    async def vector_for(self, site_key: str, text: str) -> bytes | None:
        scores = await self.cache.scores(site_key, text)
        return None if scores.embedding is None else vector_to_bytes(scores.embedding)


class NoBans:
    """Used until a ban list is configured: nobody is banned."""

    async def lookup(
        self, site_key: str, *, author_key: str, email_domains: Sequence[str], with_ip: bool
    ) -> tuple[list[Ban], list[Ban]]:
        return [], []


class FlagRateGate:
    def __init__(self, limits: RateLimits, sites: SiteDirectory) -> None:
        self.limits = limits
        self.sites = sites

    async def check_flag(self, site_key: str, ip: str | None) -> None:
        site = await self.sites.require(site_key)
        wait = await self.limits.check_flag(site.key, site_settings(site), ip=ip)
        if wait is not None:
            raise rate_limited(wait)


# Comments are scored on this many threads at once, each forward pass on one core: on a
# CPU, parallel passes make better use of the cores than one pass spread over them.
SCORING_THREADS = max(1, min(2, os.cpu_count() or 1))


@lru_cache(maxsize=2)
def shared_classifier(precision: Precision = "int8") -> CommentClassifier:
    """The model weights, loaded at most once per process whatever the number of apps."""
    return CommentClassifier(precision=precision, encoder_threads=1)


def make_scoring(settings: Settings) -> ScoringService | None:
    if not settings.classifiers:
        return None
    return_large_buffers_to_the_system()  # before the first thread starts; see its docstring
    heads = SiteHeadStore(Path(settings.data_dir)) if settings.data_dir else None
    return ScoringService(shared_classifier(classifier_precision(settings)), site_heads=heads,
                          workers=SCORING_THREADS)


def classifier_precision(settings: Settings) -> Precision:
    for precision in PRECISIONS:
        if settings.classifier_precision == precision:
            return precision
    raise ConfigError(f"classifier_precision must be one of {', '.join(PRECISIONS)}, "
                      f"not {settings.classifier_precision!r}")


def external_signals(settings: Settings) -> list[Signal]:
    """Akismet and Perspective, only when the operator gave their keys (off by default)."""
    fail = FailMode.CLOSED if settings.external_fail_closed else FailMode.OPEN
    found: list[Signal] = []
    if settings.akismet_api_key:
        found.append(AkismetSignal(AkismetConfig(
            api_key=settings.akismet_api_key,
            blog=settings.akismet_blog or settings.public_url or "http://localhost",
            base_url=settings.akismet_url.rstrip("/"),
            timeout_seconds=float(settings.external_timeout), fail_mode=fail,
        )))
    if settings.perspective_api_key:
        try:
            hold_at = float(settings.perspective_hold_at)
        except ValueError:
            raise ConfigError("perspective_hold_at must be a number such as 0.8") from None
        found.append(PerspectiveSignal(PerspectiveConfig(
            api_key=settings.perspective_api_key,
            base_url=settings.perspective_url.rstrip("/"), hold_at=hold_at,
            timeout_seconds=float(settings.external_timeout), fail_mode=fail,
        )))
    return found


def make_limiter(settings: Settings) -> RateLimiter:
    if settings.redis_url:
        return RedisRateLimiter.from_url(settings.redis_url)
    return InMemoryRateLimiter()


def build_moderation(
    settings: Settings,
    db: Database,
    sites: SiteDirectory,
    *,
    bans: BanList | None = None,
    scoring: ScoringService | None = None,
    extra: Sequence[Signal] = (),
) -> Moderation:
    authors = StoreAuthors(db)
    extra = [*extra, *external_signals(settings)]
    recorder = None
    if scoring is not None:
        cache = ScoreCache(scoring)
        recorder = EmbeddingRecorder(cache)
        extra = [*extra, *classifier_signals(scoring, cache=cache),
                 RewordingSignal(cache, StoreRecentEmbeddings(db))]
    pipeline = ModerationPipeline(
        standard_signals(
            bans=bans or NoBans(), recent=StoreRecentComments(db), history=authors, extra=extra
        )
    )
    limits = RateLimits(make_limiter(settings))
    return Moderation(
        SiteModerator(pipeline, authors), RateLimitGate(limits), FlagRateGate(limits, sites),
        recorder,
    )


@dataclass(frozen=True, slots=True)
class Moderation:
    moderator: SiteModerator
    gate: RateLimitGate
    flag_gate: FlagRateGate
    embeddings: EmbeddingRecorder | None
