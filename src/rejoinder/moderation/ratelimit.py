"""Rate limits, checked before anything is written.

Both limiters implement GCRA (the generic cell rate algorithm, a token bucket kept as one
timestamp per key): ``limit`` events may arrive in a burst, then one more every
``window_seconds / limit``; after a quiet ``window_seconds`` the full burst is available again.
A refused attempt does not consume anything.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from rejoinder.domain.decision import Submission
from rejoinder.domain.site import Site
from rejoinder.errors import RejoinderError
from rejoinder.moderation.settings import ModerationSettings, RateRule, site_settings


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int, window_seconds: float) -> float | None:
        """Count one event for ``key``: None when allowed, else seconds until a retry can pass."""
        ...


class InMemoryRateLimiter:
    """One process's limits. Memory is bounded: keys whose bucket has refilled are dropped as
    calls pass by, and beyond ``max_keys`` the least recently used key goes."""

    def __init__(
        self, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_keys = max_keys
        self._clock = clock
        self._tat: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._tat)

    async def hit(self, key: str, limit: int, window_seconds: float) -> float | None:
        if limit <= 0 or window_seconds <= 0:
            return None
        now = self._clock()
        tat = max(self._tat.get(key, now), now)
        new_tat = tat + window_seconds / limit
        allow_at = new_tat - window_seconds
        if allow_at > now:
            return allow_at - now
        self._tat[key] = new_tat
        self._tat.move_to_end(key)
        self._evict(now)
        return None

    def _evict(self, now: float) -> None:
        for _ in range(2):  # a couple of expired keys per call keeps the sweep O(1)
            oldest = next(iter(self._tat.items()), None)
            if oldest is None or oldest[1] > now:
                break
            self._tat.popitem(last=False)
        while len(self._tat) > self.max_keys:
            self._tat.popitem(last=False)


class RateLimits:
    """The site's posting and flagging limits; each check returns the longest retry-after.

    Every applicable rule is counted on each attempt, so an attempt refused by one rule still
    uses the others' budget: hammering from one IP also spends the author's allowance.
    """

    def __init__(self, limiter: RateLimiter, prefix: str = "rl") -> None:
        self.limiter = limiter
        self.prefix = prefix

    async def check_post(
        self,
        site_key: str,
        settings: ModerationSettings,
        *,
        ip: str | None,
        author_key: str | None,
        thread_uri: str | None,
    ) -> float | None:
        checks = [
            ("post-ip", ip, settings.post_per_ip),
            ("post-author", author_key, settings.post_per_author),
            ("post-thread", _short(thread_uri), settings.post_per_thread),
        ]
        return await self._check(site_key, checks)

    async def check_flag(
        self, site_key: str, settings: ModerationSettings, *, ip: str | None
    ) -> float | None:
        return await self._check(site_key, [("flag-ip", ip, settings.flag_per_ip)])

    async def _check(
        self, site_key: str, checks: list[tuple[str, str | None, RateRule]]
    ) -> float | None:
        waits = await asyncio.gather(*(
            self.limiter.hit(f"{self.prefix}:{site_key}:{kind}:{value}", rule.limit,
                             rule.window_seconds)
            for kind, value, rule in checks
            if value and rule.enabled
        ))
        return max((w for w in waits if w is not None), default=None)


def rate_limited(retry_after: float) -> RejoinderError:
    seconds = max(1, math.ceil(retry_after))
    return RejoinderError(
        429, "rate_limited", f"Too many comments; try again in {seconds} s.",
        headers={"Retry-After": str(seconds)},
    )


class RateLimitGate:
    """Fits the posting service's ``Gate`` protocol: raises 429 ``rate_limited`` when over."""

    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits

    async def admit(self, site: Site, submission: Submission) -> None:
        wait = await self.limits.check_post(
            site.key, site_settings(site), ip=submission.ip, author_key=submission.author_key,
            thread_uri=submission.thread_uri,
        )
        if wait is not None:
            raise rate_limited(wait)


def _short(value: str | None) -> str | None:
    if value is None:
        return None
    return hashlib.blake2b(value.encode(), digest_size=12).hexdigest()
