from __future__ import annotations

import asyncio
import uuid

import pytest

from rejoinder.live.memory import MemoryBus
from rejoinder.live.redis import RedisBus


async def _roundtrip(bus, channel: str) -> list[dict]:
    received: list[dict] = []
    ready = asyncio.Event()

    async def listen() -> None:
        async with bus.subscribe(channel) as events:
            ready.set()
            async for event in events:
                received.append(event)
                if len(received) == 2:
                    return

    task = asyncio.create_task(listen())
    await asyncio.wait_for(ready.wait(), 5)
    await asyncio.sleep(0.05)
    await bus.publish(channel, {"n": 1})
    await bus.publish("other", {"n": 99})
    await bus.publish(channel, {"n": 2})
    await asyncio.wait_for(task, 5)
    return received


async def test_memory_bus_delivers_in_order_to_subscribers_of_the_channel():
    bus = MemoryBus()
    assert await _roundtrip(bus, "site\x00/a") == [{"n": 1}, {"n": 2}]
    assert bus.subscriber_count("site\x00/a") == 0


@pytest.mark.slow
async def test_redis_bus_crosses_instances():
    channel = f"test-{uuid.uuid4().hex}"
    publisher = RedisBus("redis://127.0.0.1:6379/0")
    subscriber = RedisBus("redis://127.0.0.1:6379/0")
    try:
        received: list[dict] = []
        ready = asyncio.Event()

        async def listen() -> None:
            async with subscriber.subscribe(channel) as events:
                ready.set()
                async for event in events:
                    received.append(event)
                    return

        task = asyncio.create_task(listen())
        await asyncio.wait_for(ready.wait(), 5)
        await asyncio.sleep(0.1)
        await publisher.publish(channel, {"type": "comment", "id": 7})
        await asyncio.wait_for(task, 5)
        assert received == [{"type": "comment", "id": 7}]
    finally:
        await publisher.close()
        await subscriber.close()
