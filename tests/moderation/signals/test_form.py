from __future__ import annotations

from datetime import timedelta

from rejoinder.domain.decision import Verdict
from rejoinder.moderation.signals.form import HoneypotSignal, PostingSpeedSignal


async def test_honeypot(make_submission, make_context, now) -> None:
    signal = HoneypotSignal()
    results = await signal.assess(make_submission(honeypot="http://spam"), make_context())
    assert [r.suggests for r in results] == [Verdict.REJECT]
    assert await signal.assess(make_submission(honeypot="  "), make_context()) == []
    assert await signal.assess(make_submission(honeypot=None), make_context()) == []


async def test_too_fast(make_submission, make_context, now) -> None:
    signal = PostingSpeedSignal()
    fast = make_submission(form_loaded_at=now - timedelta(seconds=1.2))
    results = await signal.assess(fast, make_context(min_seconds_to_post=3))
    assert [(r.suggests, r.reason) for r in results] == [
        (Verdict.HOLD, "posted 1.2 s after the form loaded (minimum 3 s)")
    ]
    strict = make_context(min_seconds_to_post=3, fast_post_verdict=Verdict.REJECT)
    assert [r.suggests for r in await signal.assess(fast, strict)] == [Verdict.REJECT]


async def test_slow_enough_future_or_missing_load_time(make_submission, make_context, now) -> None:
    signal = PostingSpeedSignal()
    ctx = make_context(min_seconds_to_post=3)
    slow = make_submission(form_loaded_at=now - timedelta(seconds=3))
    assert await signal.assess(slow, ctx) == []
    assert await signal.assess(make_submission(form_loaded_at=None), ctx) == []
    future = make_submission(form_loaded_at=now + timedelta(minutes=5))
    assert [r.score for r in await signal.assess(future, ctx)] == [1.0]
    off = make_context(min_seconds_to_post=0)
    assert await signal.assess(make_submission(form_loaded_at=now), off) == []
