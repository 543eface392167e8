from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis


class RedisBus:
    """Several processes: events travel through Redis pub/sub, so a comment posted to one
    process reaches widgets connected to any other."""

    def __init__(self, url: str, prefix: str = "rejoinder:live:") -> None:
        self.redis: Redis = Redis.from_url(url)
        self.prefix = prefix

    async def publish(self, channel: str, event: dict[str, Any]) -> None:
        await self.redis.publish(self.prefix + channel, json.dumps(event))

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(self.prefix + channel)
        try:
            yield _messages(pubsub)
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()

    async def close(self) -> None:
        await self.redis.aclose()


async def _messages(pubsub: Any) -> AsyncIterator[dict[str, Any]]:
    async for message in pubsub.listen():
        if message.get("type") == "message":
            yield json.loads(message["data"])
