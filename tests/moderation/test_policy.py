from __future__ import annotations

from rejoinder.domain.decision import SignalResult, Verdict
from rejoinder.moderation.context import AuthorStatus
from rejoinder.moderation.policy import Policy
from rejoinder.moderation.settings import ModerationSettings, Thresholds

HOLD = SignalResult("links", 0.7, Verdict.HOLD, "3 links")
REJECT = SignalResult("ban", 1.0, Verdict.REJECT, "banned author: a")
NOTE = SignalResult("toxic", 0.2, Verdict.PUBLISH, "toxicity 0.20")
PRE = SignalResult("premoderation", 1.0, Verdict.HOLD, "site holds all comments for review")

SETTINGS = ModerationSettings()
TRUSTED = AuthorStatus(trusted=True)


def test_reject_wins_then_hold_then_publish() -> None:
    policy = Policy()
    assert policy.decide([HOLD, REJECT, NOTE], SETTINGS, AuthorStatus()).verdict is Verdict.REJECT
    assert policy.decide([NOTE, HOLD], SETTINGS, AuthorStatus()).verdict is Verdict.HOLD
    assert policy.decide([NOTE], SETTINGS, AuthorStatus()).verdict is Verdict.PUBLISH
    assert policy.decide([], SETTINGS, AuthorStatus()).verdict is Verdict.PUBLISH


def test_decision_keeps_every_result() -> None:
    decision = Policy().decide([HOLD, NOTE], SETTINGS, AuthorStatus())
    assert decision.results == [HOLD, NOTE]
    assert decision.reasons == ["3 links"]


def test_trusted_author_skips_content_holds_but_not_rejects() -> None:
    policy = Policy()
    assert policy.decide([HOLD], SETTINGS, TRUSTED).verdict is Verdict.PUBLISH
    assert policy.decide([HOLD, REJECT], SETTINGS, TRUSTED).verdict is Verdict.REJECT


def test_trusted_author_still_held_by_premoderation_and_always_hold() -> None:
    policy = Policy()
    assert policy.decide([PRE], SETTINGS, TRUSTED).verdict is Verdict.HOLD
    both = AuthorStatus(trusted=True, always_hold=True)
    assert policy.decide([HOLD], SETTINGS, both).verdict is Verdict.HOLD


def test_site_thresholds_rejudge_scores() -> None:
    settings = ModerationSettings(score_thresholds={"toxic": Thresholds(hold=0.1, reject=0.5)})
    decision = Policy().decide([NOTE], settings, AuthorStatus())
    assert decision.verdict is Verdict.HOLD
    assert decision.results[0].suggests is Verdict.HOLD
    assert decision.results[0].reason == NOTE.reason
