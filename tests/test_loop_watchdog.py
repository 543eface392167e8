from __future__ import annotations

import asyncio
import gc
import logging
import time

import pytest

from rejoinder.app import create_app
from rejoinder.loop_watchdog import LoopWatchdog, Stall
from tests.conftest import make_settings


def _hold_the_loop(seconds: float) -> None:
    time.sleep(seconds)  # what a blocking call in a request handler does to every other request


async def _watch(threshold: float, cooldown: float = 10.0) -> tuple[LoopWatchdog, list[Stall]]:
    seen: list[Stall] = []
    watchdog = LoopWatchdog(asyncio.get_running_loop(), threshold, interval=0.02,
                            cooldown=cooldown, report=seen.append)
    watchdog.start()
    return watchdog, seen


async def _settle() -> None:
    await asyncio.sleep(0.15)  # the watchdog reports once the loop answers again


async def test_a_blocked_loop_is_reported_with_the_stack_that_held_it():
    watchdog, seen = await _watch(0.1)
    try:
        await asyncio.sleep(0.05)
        _hold_the_loop(0.4)
        await _settle()
    finally:
        watchdog.stop()
    assert len(seen) == 1
    assert 0.35 <= seen[0].blocked_seconds < 1.0
    first_thread = seen[0].stacks.split("\n\n")[0]
    assert first_thread.startswith("event loop")
    assert "_hold_the_loop" in first_thread and "time.sleep" in first_thread
    assert watchdog.stalls == 1 and watchdog.longest >= 0.35


async def test_a_loop_that_keeps_answering_is_not_reported():
    watchdog, seen = await _watch(0.1)
    try:
        for _ in range(20):  # busy, but never for long at a time
            _hold_the_loop(0.02)
            await asyncio.sleep(0.01)
    finally:
        watchdog.stop()
    assert seen == [] and watchdog.stalls == 0


async def test_stalls_during_the_cooldown_are_counted_and_told_in_the_next_report():
    watchdog, seen = await _watch(0.1, cooldown=0.6)
    try:
        await asyncio.sleep(0.05)
        _hold_the_loop(0.25)
        await _settle()
        _hold_the_loop(0.25)  # inside the cooldown: counted, no stacks taken
        await _settle()
        await asyncio.sleep(0.6)
        _hold_the_loop(0.25)
        await _settle()
    finally:
        watchdog.stop()
    assert watchdog.stalls == 3
    assert [s.unreported_before for s in seen] == [0, 1]


def test_a_threshold_must_be_positive():
    with pytest.raises(ValueError):
        LoopWatchdog(asyncio.new_event_loop(), 0)


async def _blocked_server_logs(database_url: str, caplog: pytest.LogCaptureFixture,
                               server_process: bool) -> list[logging.LogRecord]:
    app = create_app(make_settings(database_url, loop_stall_warning_ms=100),
                     server_process=server_process)
    try:
        with caplog.at_level(logging.WARNING, logger="rejoinder.loop"):
            async with app.router.lifespan_context(app):
                await app.state.warm_up
                await asyncio.sleep(0.1)
                _hold_the_loop(0.4)
                await asyncio.sleep(0.3)
    finally:
        gc.unfreeze()  # a server process freezes start-up objects (rejoinder.heap)
    return [r for r in caplog.records if r.name == "rejoinder.loop"]


async def test_a_server_process_warns_when_its_loop_is_blocked(database_url, caplog):
    records = await _blocked_server_logs(database_url, caplog, server_process=True)
    assert len(records) == 1
    message = records[0].getMessage()
    assert message.startswith("event loop blocked for ")
    assert "_hold_the_loop" in message


async def test_an_app_sharing_its_process_does_not_watch_the_loop(database_url, caplog):
    assert await _blocked_server_logs(database_url, caplog, server_process=False) == []
