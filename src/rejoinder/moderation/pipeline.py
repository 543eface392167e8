"""Runs the signals, judges them cheapest first and asks the policy for a decision.

The signals that run on this server (cost below ``REMOTE_COST``) all start at once, so their
database reads and the classifiers' forward pass overlap instead of queueing one behind the
other. Their results are still judged in cost order, and once a result counts as REJECT the
results of anything more expensive are dropped, exactly as if they had never run (unfinished
ones finish in the background: cancelling a read in flight would cost its connection).
Remote signals (Akismet, Perspective) start only after every local one has been judged, and
only if none rejected, so a comment that is rejected anyway is never sent out.

A signal that raises does not break posting: its failure is recorded as a result suggesting
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

REMOTE_COST = 1000  # signals that call out to another service (docs/moderation.md)

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
        self._unfinished: set[asyncio.Future[list[SignalResult]]] = set()

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
        local = [s for s in self.signals if s.cost < REMOTE_COST]
        started = {id(s): asyncio.ensure_future(self._run(s, submission, context))
                   for s in local}
        results: list[SignalResult] = []
        try:
            for _, group in groupby(self.signals, key=lambda s: s.cost):
                batch = list(group)
                found = await asyncio.gather(*(
                    started[id(s)] if id(s) in started else self._run(s, submission, context)
                    for s in batch
                ))
                judged = [self.policy.judge(r, settings) for rs in found for r in rs]
                results.extend(judged)
                if any(self.policy.counts(r, author) is Verdict.REJECT for r in judged):
                    break
        finally:
            for task in started.values():
                if not task.done():  # keep a reference until it finishes (asyncio holds none)
                    self._unfinished.add(task)
                    task.add_done_callback(self._unfinished.discard)
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
