from __future__ import annotations

import httpx
import pytest

from rejoinder.domain.decision import Verdict
from rejoinder.moderation.signals.akismet import AkismetConfig, AkismetSignal
from rejoinder.moderation.signals.external import FailMode


def signal(service, fail_mode: FailMode = FailMode.OPEN, key: str = "akismet-key") -> AkismetSignal:
    config = AkismetConfig(
        api_key=key, blog="https://blog.example", base_url=service.base_url,
        timeout_seconds=0.3, fail_mode=fail_mode,
    )
    return AkismetSignal(config, httpx.AsyncClient())


async def verdicts(sig: AkismetSignal, sub, ctx) -> list[tuple[Verdict, str]]:
    try:
        return [(r.suggests, r.reason) for r in await sig.assess(sub, ctx)]
    finally:
        await sig.aclose()


async def test_ham_spam_and_blatant_spam(fake_service, make_submission, make_context) -> None:
    ctx = make_context()
    assert await verdicts(signal(fake_service), make_submission("nice essay"), ctx) == [
        (Verdict.PUBLISH, "Akismet: not spam")
    ]
    assert await verdicts(signal(fake_service), make_submission("cheap spam here"), ctx) == [
        (Verdict.HOLD, "Akismet: spam")
    ]
    blatant = make_submission("viagra-test-123 buy now")
    assert await verdicts(signal(fake_service), blatant, ctx) == [
        (Verdict.REJECT, "Akismet: blatant spam")
    ]


async def test_sends_the_documented_fields(fake_service, make_submission, make_context) -> None:
    sub = make_submission("hello", parent_id=5, author_website="https://me.example")
    await verdicts(signal(fake_service), sub, make_context())
    sent = fake_service.requests[-1]
    assert sent["api_key"] == "akismet-key"
    assert sent["blog"] == "https://blog.example"
    assert sent["user_ip"] == "198.51.100.7"
    assert sent["comment_content"] == "hello"
    assert sent["comment_author"] == "Reader"
    assert sent["comment_author_email"] == "reader@example.org"
    assert sent["comment_author_url"] == "https://me.example"
    assert sent["comment_type"] == "reply"
    assert sent["permalink"] == "/essays/peace-talks"


@pytest.mark.parametrize(
    ("fail_mode", "expected"),
    [(FailMode.OPEN, Verdict.PUBLISH), (FailMode.CLOSED, Verdict.HOLD)],
)
async def test_timeout(fake_service, make_submission, make_context, fail_mode, expected) -> None:
    fake_service.delay = 0.6
    results = await signal(fake_service, fail_mode).assess(make_submission(), make_context())
    assert [r.suggests for r in results] == [expected]
    assert results[0].reason.startswith("spam check unavailable")


@pytest.mark.parametrize(
    ("fail_mode", "expected"),
    [(FailMode.OPEN, Verdict.PUBLISH), (FailMode.CLOSED, Verdict.HOLD)],
)
async def test_errors(fake_service, make_submission, make_context, fail_mode, expected) -> None:
    bad_key = await signal(fake_service, fail_mode, key="wrong").assess(
        make_submission(), make_context()
    )
    assert [r.suggests for r in bad_key] == [expected]
    if fail_mode is FailMode.OPEN:
        assert "unable to verify" in bad_key[0].reason
    fake_service.status = 500
    server_error = await signal(fake_service, fail_mode).assess(make_submission(), make_context())
    assert [r.suggests for r in server_error] == [expected]
    config = AkismetConfig("k", "b", base_url="http://127.0.0.1:9", fail_mode=fail_mode)
    unreachable = AkismetSignal(config)
    assert [r.suggests for r in await unreachable.assess(make_submission(), make_context())] == [
        expected
    ]
