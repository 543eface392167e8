from __future__ import annotations

import httpx
import pytest

from rejoinder.domain.decision import Verdict
from rejoinder.moderation.signals.external import FailMode
from rejoinder.moderation.signals.perspective import PerspectiveConfig, PerspectiveSignal


def signal(service, fail_mode: FailMode = FailMode.OPEN, **kw) -> PerspectiveSignal:
    config = PerspectiveConfig(
        api_key=kw.pop("key", "perspective-key"), base_url=service.base_url,
        timeout_seconds=0.3, fail_mode=fail_mode, **kw,
    )
    return PerspectiveSignal(config, httpx.AsyncClient())


async def test_scores_and_thresholds(fake_service, make_submission, make_context) -> None:
    results = await signal(fake_service).assess(make_submission("you are awful"), make_context())
    assert [(r.score, r.suggests, r.reason) for r in results] == [
        (0.93, Verdict.HOLD, "Perspective toxicity 0.93")
    ]
    fake_service.toxicity = 0.2
    results = await signal(fake_service).assess(make_submission(), make_context())
    assert [(r.score, r.suggests) for r in results] == [(0.2, Verdict.PUBLISH)]
    fake_service.toxicity = 0.97
    strict = signal(fake_service, reject_at=0.95)
    assert [r.suggests for r in await strict.assess(make_submission(), make_context())] == [
        Verdict.REJECT
    ]


async def test_request_shape(fake_service, make_submission, make_context) -> None:
    english = signal(fake_service, languages=("en",))
    await english.assess(make_submission("hi there"), make_context())
    sent = fake_service.requests[-1]
    assert sent["query"] == {"key": ["perspective-key"]}
    assert sent["body"] == {
        "comment": {"text": "hi there"},
        "requestedAttributes": {"TOXICITY": {}},
        "doNotStore": True,
        "languages": ["en"],
    }


@pytest.mark.parametrize(
    ("fail_mode", "expected"),
    [(FailMode.OPEN, Verdict.PUBLISH), (FailMode.CLOSED, Verdict.HOLD)],
)
async def test_timeout_and_errors(
    fake_service, make_submission, make_context, fail_mode, expected
) -> None:
    bad_key = await signal(fake_service, fail_mode, key="nope").assess(
        make_submission(), make_context()
    )
    assert [r.suggests for r in bad_key] == [expected]
    fake_service.delay = 0.6
    slow = await signal(fake_service, fail_mode).assess(make_submission(), make_context())
    assert [r.suggests for r in slow] == [expected]
    assert slow[0].reason.startswith("spam check unavailable")
    assert slow[0].score == 0.0
