"""Say when the event loop stops answering, and what held it.

Every request of a server process runs on one event loop; anything that keeps it busy (a long
computation, a blocking call, a full garbage-collection pass, a lock held by another thread)
delays every request at once, and afterwards nothing shows why. A thread of its own asks the
loop to run a no-op every ``interval`` seconds. When the answer is later than ``threshold``,
it takes every thread's stack *while the loop is still stuck* and, once the loop answers, logs
one warning with how long it was blocked and those stacks (the loop's thread first).

Taking the stacks needs the GIL: a loop held inside one long C call that keeps it (a
pathological regular expression, say) is sampled only when that call returns, and the report
then shows where the loop went next, though the blocked time is still right.

A loop that stays overloaded would otherwise log at every interval: after a report, stacks
are taken again only ``cooldown`` seconds later; stalls in between are counted and the next
report says how many there were.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("rejoinder.loop")


@dataclass(frozen=True, slots=True)
class Stall:
    blocked_seconds: float
    stacks: str
    unreported_before: int  # stalls seen during the cooldown before this one


class LoopWatchdog:
    def __init__(self, loop: asyncio.AbstractEventLoop, threshold: float, *,
                 interval: float | None = None, cooldown: float = 10.0,
                 report: Callable[[Stall], None] | None = None) -> None:
        if threshold <= 0:
            raise ValueError("threshold must be positive")
        self.loop = loop
        self.threshold = threshold
        self.interval = interval if interval is not None else min(threshold / 2, 1.0)
        self.cooldown = cooldown
        self.report = report or log_stall
        self.stalls = 0
        self.longest = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop_thread_id: int | None = None
        self._quiet_until = 0.0
        self._unreported = 0

    def start(self) -> None:
        """Call from the loop's own thread (it is the thread whose stack comes first)."""
        if self._thread is not None:
            return
        self._loop_thread_id = threading.get_ident()
        self._thread = threading.Thread(target=self._watch, name="rejoinder-loop-watchdog",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            answered = threading.Event()
            asked = time.monotonic()
            try:
                self.loop.call_soon_threadsafe(answered.set)
            except RuntimeError:  # the loop was closed
                return
            if answered.wait(self.threshold):
                continue
            stacks = self._stacks() if time.monotonic() >= self._quiet_until else None
            while not answered.wait(0.05):
                if self._stop.is_set():
                    return
            self._record(time.monotonic() - asked, stacks)

    def _record(self, blocked: float, stacks: str | None) -> None:
        self.stalls += 1
        self.longest = max(self.longest, blocked)
        if stacks is None:
            self._unreported += 1
            return
        self._quiet_until = time.monotonic() + self.cooldown
        stall = Stall(blocked, stacks, self._unreported)
        self._unreported = 0
        self.report(stall)

    def _stacks(self) -> str:
        names = {t.ident: t.name for t in threading.enumerate()}
        frames = sys._current_frames()
        mine = threading.get_ident()
        order = sorted((i for i in frames if i != mine),
                       key=lambda i: (i != self._loop_thread_id, names.get(i, "")))
        parts = []
        for ident in order:
            label = "event loop" if ident == self._loop_thread_id else "thread"
            parts.append(f"{label} {names.get(ident, ident)!s}:\n"
                         + "".join(traceback.format_stack(frames[ident])))
        return "\n".join(parts)


def log_stall(stall: Stall) -> None:
    earlier = (f" ({stall.unreported_before} more stalls since the last report)"
               if stall.unreported_before else "")
    log.warning("event loop blocked for %.0f ms%s; stacks while it was blocked:\n%s",
                stall.blocked_seconds * 1000, earlier, stall.stacks)
