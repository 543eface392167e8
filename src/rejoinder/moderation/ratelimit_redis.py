"""GCRA rate limits shared by every process through Redis.

The whole check-and-update runs as one Lua script, so it is atomic across processes, and it
reads Redis's own clock, so app servers with skewed clocks agree. Each key expires as soon as
its bucket is full again.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

_GCRA = """
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - window
if allow_at > now then
  return tostring(allow_at - now)
end
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.max(1, math.ceil(new_tat - now)))
return false
"""


class RedisRateLimiter:
    def __init__(self, redis: Redis, prefix: str = "rejoinder:") -> None:
        self.redis = redis
        self.prefix = prefix
        self._script: Any = redis.register_script(_GCRA)

    @classmethod
    def from_url(cls, url: str, prefix: str = "rejoinder:") -> RedisRateLimiter:
        return cls(Redis.from_url(url), prefix)

    async def hit(self, key: str, limit: int, window_seconds: float) -> float | None:
        if limit <= 0 or window_seconds <= 0:
            return None
        window_ms = window_seconds * 1000
        wait = await self._script(keys=[self.prefix + key], args=[window_ms / limit, window_ms])
        return None if wait is None else float(wait) / 1000

    async def aclose(self) -> None:
        await self.redis.aclose()
