from __future__ import annotations

from rejoinder.domain.decision import Verdict
from rejoinder.domain.states import ModerationMode
from rejoinder.moderation.context import AuthorStatus
from rejoinder.moderation.signals.author import (
    AlwaysHoldSignal,
    InMemoryAuthorHistory,
    ModerationModeSignal,
)


async def test_always_hold(make_submission, make_context) -> None:
    signal = AlwaysHoldSignal()
    held = await signal.assess(make_submission(), make_context(AuthorStatus(always_hold=True)))
    assert [r.suggests for r in held] == [Verdict.HOLD]
    assert await signal.assess(make_submission(), make_context()) == []


async def test_post_moderation_is_the_default(make_submission, make_context) -> None:
    assert await ModerationModeSignal(InMemoryAuthorHistory()).assess(
        make_submission(), make_context()
    ) == []


async def test_pre_moderation_holds_everyone(make_submission, make_context) -> None:
    signal = ModerationModeSignal()
    ctx = make_context(AuthorStatus(trusted=True), mode=ModerationMode.PRE)
    results = await signal.assess(make_submission(), ctx)
    assert [(r.suggests, r.reason) for r in results] == [
        (Verdict.HOLD, "site holds all comments for review")
    ]


async def test_new_commenters_are_held_until_enough_approved(make_submission, make_context) -> None:
    history = InMemoryAuthorHistory({("blog", "author-1"): 1})
    signal = ModerationModeSignal(history)
    ctx = make_context(mode=ModerationMode.PRE_NEW, new_commenter_threshold=2)
    results = await signal.assess(make_submission(), ctx)
    assert [(r.signal, r.reason) for r in results] == [
        ("new_commenter", "new commenter (1 of 2 approved comments needed)")
    ]
    history.counts[("blog", "author-1")] = 2
    assert await signal.assess(make_submission(), ctx) == []


async def test_trusted_author_is_not_a_new_commenter(make_submission, make_context) -> None:
    history = InMemoryAuthorHistory()
    signal = ModerationModeSignal(history)
    ctx = make_context(AuthorStatus(trusted=True), mode=ModerationMode.PRE_NEW)
    assert await signal.assess(make_submission(), ctx) == []
    assert history.calls == 0
