"""Concurrent callers that ask for the same thing share one load instead of each running it.

When a hot thread's cached version expires, every request in flight for it misses at once; on
PostgreSQL each would send its own query (and, after a write, read the whole thread again),
and the queue of 30-odd identical round trips showed up as the listing's p99.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")


class SingleFlight:
    def __init__(self) -> None:
        self._running: dict[Hashable, asyncio.Task[Any]] = {}

    async def run(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """``load()``'s result; callers with the same ``key`` while it runs get the same one
        (or the same exception). A caller that is cancelled does not cancel it for the rest."""
        task = self._running.get(key)
        if task is None or task.get_loop() is not asyncio.get_running_loop():
            task = asyncio.ensure_future(load())
            self._running[key] = task
            task.add_done_callback(partial(self._finished, key))
        result: T = await asyncio.shield(task)
        return result

    def _finished(self, key: Hashable, task: asyncio.Task[Any]) -> None:
        if self._running.get(key) is task:
            del self._running[key]
        if not task.cancelled():
            task.exception()  # retrieved, even if every caller went away
