from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from rejoinder.moderation.ratelimit_redis import RedisRateLimiter

URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    client = Redis.from_url(URL)
    try:
        await client.ping()
    except (RedisConnectionError, OSError):
        await client.aclose()
        pytest.skip("no Redis at 127.0.0.1:6379")
    name = f"test-rl-{uuid.uuid4().hex}:"
    yield name
    keys = [k async for k in client.scan_iter(match=name + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def test_burst_is_throttled_then_recovers(prefix: str) -> None:
    limiter = RedisRateLimiter.from_url(URL, prefix)
    try:
        assert [await limiter.hit("k", 3, 0.6) for _ in range(3)] == [None, None, None]
        wait = await limiter.hit("k", 3, 0.6)
        assert wait is not None and 0.1 < wait <= 0.2
        await asyncio.sleep(0.65)
        assert [await limiter.hit("k", 3, 0.6) for _ in range(3)] == [None, None, None]
    finally:
        await limiter.aclose()


async def test_shared_between_clients_and_atomic(prefix: str) -> None:
    limiters = [RedisRateLimiter.from_url(URL, prefix) for _ in range(4)]
    try:
        results = await asyncio.gather(
            *(limiters[i % 4].hit("shared", 10, 30) for i in range(40))
        )
        assert sum(r is None for r in results) == 10
    finally:
        for limiter in limiters:
            await limiter.aclose()


async def test_keys_expire_once_refilled(prefix: str) -> None:
    limiter = RedisRateLimiter.from_url(URL, prefix)
    try:
        await limiter.hit("gone", 2, 0.2)
        ttl = await limiter.redis.pttl(prefix + "gone")
        assert 0 < ttl <= 100
        await asyncio.sleep(0.25)
        assert await limiter.redis.exists(prefix + "gone") == 0
    finally:
        await limiter.aclose()
