from __future__ import annotations

import pytest

from rejoinder.domain.site import Site
from rejoinder.errors import RejoinderError
from rejoinder.moderation.ratelimit import InMemoryRateLimiter, RateLimitGate, RateLimits
from rejoinder.moderation.settings import ModerationSettings, RateRule


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


async def test_burst_is_throttled_then_recovers() -> None:
    clock = Clock()
    limiter = InMemoryRateLimiter(clock=clock)
    assert [await limiter.hit("k", 3, 60) for _ in range(3)] == [None, None, None]
    wait = await limiter.hit("k", 3, 60)
    assert wait == pytest.approx(20.0)
    clock.t += 19.9
    assert await limiter.hit("k", 3, 60) is not None
    clock.t += 0.1
    assert await limiter.hit("k", 3, 60) is None  # one slot back every window / limit
    clock.t += 60
    assert [await limiter.hit("k", 3, 60) for _ in range(4)][:3] == [None, None, None]


async def test_keys_are_independent_and_disabled_rules_allow() -> None:
    limiter = InMemoryRateLimiter(clock=Clock())
    assert await limiter.hit("a", 1, 60) is None
    assert await limiter.hit("a", 1, 60) is not None
    assert await limiter.hit("b", 1, 60) is None
    assert all([await limiter.hit("c", 0, 60) is None for _ in range(10)])


async def test_memory_is_bounded() -> None:
    clock = Clock()
    limiter = InMemoryRateLimiter(max_keys=100, clock=clock)
    for i in range(1000):
        await limiter.hit(f"ip-{i}", 5, 60)
    assert len(limiter) == 100
    clock.t += 61  # every bucket refilled: keys are swept as calls pass
    for i in range(200):
        await limiter.hit(f"new-{i}", 5, 60)
    assert len(limiter) == 100
    assert all(k.startswith("new-") for k in limiter._tat)


async def test_rate_limits_checks_ip_author_thread_and_returns_longest_wait() -> None:
    clock = Clock()
    limits = RateLimits(InMemoryRateLimiter(clock=clock))
    settings = ModerationSettings(
        post_per_ip=RateRule(2, 60), post_per_author=RateRule(3, 300),
        post_per_thread=RateRule(0, 1),
    )

    async def post(ip: str, author: str) -> float | None:
        return await limits.check_post("blog", settings, ip=ip, author_key=author, thread_uri="/t")

    assert await post("1.1.1.1", "a") is None
    assert await post("1.1.1.1", "a") is None
    assert await post("1.1.1.1", "a") == pytest.approx(30.0)  # per IP
    # The refused attempt still counted for the author: attempts, not successes, are limited.
    assert await post("2.2.2.2", "a") == pytest.approx(100.0)
    assert await post("2.2.2.2", "b") is None
    other_site = await limits.check_post("news", settings, ip="1.1.1.1", author_key="a",
                                         thread_uri="/t")
    assert other_site is None


async def test_flag_limit() -> None:
    limits = RateLimits(InMemoryRateLimiter(clock=Clock()))
    settings = ModerationSettings(flag_per_ip=RateRule(1, 10))
    assert await limits.check_flag("blog", settings, ip="1.1.1.1") is None
    assert await limits.check_flag("blog", settings, ip="1.1.1.1") == pytest.approx(10.0)
    assert await limits.check_flag("blog", settings, ip=None) is None


async def test_gate_raises_429_with_retry_after(make_submission) -> None:
    gate = RateLimitGate(RateLimits(InMemoryRateLimiter(clock=Clock())))
    site = Site(1, "blog", "Blog", [], {"post_per_ip": [1, 60]})
    await gate.admit(site, make_submission())
    with pytest.raises(RejoinderError) as caught:
        await gate.admit(site, make_submission())
    assert (caught.value.status, caught.value.code) == (429, "rate_limited")
    assert caught.value.headers == {"Retry-After": "60"}
