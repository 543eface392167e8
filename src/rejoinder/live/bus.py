from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol


def channel_for(site_key: str, uri: str) -> str:
    return f"{site_key}\x00{uri}"


class Bus(Protocol):
    async def publish(self, channel: str, event: dict[str, Any]) -> None: ...

    def subscribe(self, channel: str) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]:
        """Yield events published on ``channel`` after subscribing, until the block exits."""
        ...

    async def close(self) -> None: ...
