"""Turns signal results into PUBLISH / HOLD / REJECT for one site.

Any REJECT wins; otherwise any HOLD holds, except that a trusted author's content holds are
waived (holds from ``always_hold`` and site-wide pre-moderation never are); otherwise publish.
Scoring signals named in ``settings.score_thresholds`` are re-judged by those cut-offs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from rejoinder.domain.decision import Decision, SignalResult, Verdict
from rejoinder.moderation.context import AuthorStatus
from rejoinder.moderation.settings import ModerationSettings
from rejoinder.moderation.signals.author import ALWAYS_HOLD, PREMODERATION

UNWAIVABLE_HOLDS = frozenset({ALWAYS_HOLD, PREMODERATION})


class Policy:
    def __init__(self, unwaivable: Iterable[str] = UNWAIVABLE_HOLDS) -> None:
        self.unwaivable = frozenset(unwaivable)

    def judge(self, result: SignalResult, settings: ModerationSettings) -> SignalResult:
        """The result with ``suggests`` set by the site's thresholds, when it has some."""
        thresholds = settings.score_thresholds.get(result.signal)
        if thresholds is None:
            return result
        verdict = thresholds.verdict(result.score)
        return result if verdict is result.suggests else replace(result, suggests=verdict)

    def counts(self, result: SignalResult, author: AuthorStatus) -> Verdict:
        """What the result contributes to the verdict for this author."""
        if (
            result.suggests is Verdict.HOLD
            and author.trusted
            and not author.always_hold
            and result.signal not in self.unwaivable
        ):
            return Verdict.PUBLISH
        return result.suggests

    def decide(
        self, results: Iterable[SignalResult], settings: ModerationSettings, author: AuthorStatus
    ) -> Decision:
        judged = [self.judge(r, settings) for r in results]
        verdict = max(
            (self.counts(r, author) for r in judged), key=Verdict.severity, default=Verdict.PUBLISH
        )
        return Decision(verdict, judged)
