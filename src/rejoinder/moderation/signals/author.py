"""Holds that come from who posts and how the site is moderated, not from what is written."""

from __future__ import annotations

from typing import Protocol

from rejoinder.domain.decision import SignalResult, Submission, Verdict
from rejoinder.domain.states import ModerationMode
from rejoinder.moderation.context import ModerationContext

ALWAYS_HOLD = "always_hold"
PREMODERATION = "premoderation"
NEW_COMMENTER = "new_commenter"


class AuthorHistory(Protocol):
    async def approved_count(self, site_key: str, author_key: str) -> int:
        """How many of the author's comments on the site were published (now or after review)."""
        ...


class InMemoryAuthorHistory:
    def __init__(self, counts: dict[tuple[str, str], int] | None = None) -> None:
        self.counts = dict(counts or {})
        self.calls = 0

    async def approved_count(self, site_key: str, author_key: str) -> int:
        self.calls += 1
        return self.counts.get((site_key, author_key), 0)


class AlwaysHoldSignal:
    name = ALWAYS_HOLD
    cost = 0

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        if context.author.always_hold:
            return [SignalResult(self.name, 1.0, Verdict.HOLD, "author is always held for review")]
        return []


class ModerationModeSignal:
    """Pre-moderation of the whole site, or of commenters with few approved comments.

    Trusted authors skip the new-commenter hold (the history is not even read) but not site-wide
    pre-moderation.
    """

    name = PREMODERATION
    cost = 2

    def __init__(self, history: AuthorHistory | None = None) -> None:
        self.history = history

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        settings = context.settings
        if settings.mode is ModerationMode.PRE:
            return [SignalResult(self.name, 1.0, Verdict.HOLD,
                                 "site holds all comments for review")]
        if settings.mode is not ModerationMode.PRE_NEW or context.author.trusted:
            return []
        wanted = settings.new_commenter_threshold
        if self.history is None or wanted <= 0:
            return []
        have = await self.history.approved_count(submission.site_key, submission.author_key)
        if have >= wanted:
            return []
        reason = f"new commenter ({have} of {wanted} approved comments needed)"
        return [SignalResult(NEW_COMMENTER, 1.0, Verdict.HOLD, reason)]
