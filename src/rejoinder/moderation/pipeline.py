"""Runs the signals cheapest first and asks the policy for a decision.

Signals of equal cost run concurrently; once a result counts as REJECT nothing more expensive
runs. A signal that raises does not break posting: its failure is recorded as a result suggesting
``on_error`` (HOLD by default) so a moderator sees it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from rejoinder.domain.decision import Decision, SignalResult, Submission, Verdict
from rejoinder.moderation.context import AuthorStatus, ModerationContext, SiteSignal
from rejoinder.moderation.policy import Policy
from rejoinder.moderation.settings import ModerationSettings
from rejoinder.moderation.signals.author import (
    AlwaysHoldSignal,
    AuthorHistory,
    ModerationModeSignal,
)
from rejoinder.moderation.signals.bans import BanList, BanSignal
from rejoinder.moderation.signals.base import Signal
from rejoinder.moderation.signals.duplicates import DuplicateSignal, RecentComments
from rejoinder.moderation.signals.form import HoneypotSignal, PostingSpeedSignal
from rejoinder.moderation.signals.links import LinkSignal
from rejoinder.moderation.signals.words import WordListSignal

log = logging.getLogger(__name__)

HELD_MESSAGE = "Your comment is awaiting moderation."
REJECTED_MESSAGE = "Your comment could not be published."


class ModerationPipeline:
    def __init__(
        self,
        signals: Sequence[Signal | SiteSignal],
        policy: Policy | None = None,
        *,
        on_error: Verdict = Verdict.HOLD,
    ) -> None:
        self.signals = sorted(signals, key=lambda s: s.cost)
        self.policy = policy or Policy()
        self.on_error = on_error

    async def decide(
        self,
        submission: Submission,
        settings: ModerationSettings,
        author_status: AuthorStatus | None = None,
        *,
        now: datetime | None = None,
    ) -> Decision:
        self.prepare(submission)
        author = author_status or AuthorStatus()
        context = (ModerationContext(settings, author, now) if now is not None
                   else ModerationContext(settings, author))
        results: list[SignalResult] = []
        for _, group in groupby(self.signals, key=lambda s: s.cost):
            batch = list(group)
            found = await asyncio.gather(*(self._run(s, submission, context) for s in batch))
            judged = [self.policy.judge(r, settings) for rs in found for r in rs]
            results.extend(judged)
            if any(self.policy.counts(r, author) is Verdict.REJECT for r in judged):
                break
        return self.policy.decide(results, settings, author)

    def prepare(self, submission: Submission) -> None:
        """Let signals start their slow work early; calling it more than once is harmless."""
        for signal in self.signals:
            prepare = getattr(signal, "prepare", None)
            if prepare is not None:
                prepare(submission)

    async def _run(
        self, signal: Signal | SiteSignal, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        assess: Any = getattr(signal, "assess", None)
        try:
            if assess is not None:
                return list(await assess(submission, context))
            return list(await signal.evaluate(submission))  # type: ignore[union-attr]
        except Exception:
            log.exception("moderation signal %s failed", signal.name)
            return [SignalResult(signal.name, 0.0, self.on_error, f"check failed: {signal.name}")]


def commenter_message(decision: Decision | Verdict) -> str | None:
    """What the commenter is told; a rejection never says which rule fired."""
    verdict = decision.verdict if isinstance(decision, Decision) else decision
    if verdict is Verdict.HOLD:
        return HELD_MESSAGE
    if verdict is Verdict.REJECT:
        return REJECTED_MESSAGE
    return None


def standard_signals(
    *,
    bans: BanList | None = None,
    recent: RecentComments | None = None,
    history: AuthorHistory | None = None,
    extra: Sequence[Signal | SiteSignal] = (),
) -> list[Signal | SiteSignal]:
    """The built-in signals; those needing a store are left out when it is not given."""
    signals: list[Signal | SiteSignal] = [
        AlwaysHoldSignal(), ModerationModeSignal(history), HoneypotSignal(),
        PostingSpeedSignal(), WordListSignal(), LinkSignal(),
    ]
    if bans is not None:
        signals.append(BanSignal(bans))
    if recent is not None:
        signals.append(DuplicateSignal(recent))
    return [*signals, *extra]
