"""Bot tells from the comment form: a filled honeypot field, or a post faster than people type."""

from __future__ import annotations

from rejoinder.domain.decision import SignalResult, Submission, Verdict
from rejoinder.moderation.context import ModerationContext


class HoneypotSignal:
    name = "honeypot"
    cost = 1

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        if submission.honeypot and submission.honeypot.strip():
            return [SignalResult(self.name, 1.0, Verdict.REJECT, "hidden form field was filled in")]
        return []


class PostingSpeedSignal:
    """Seconds between the form loading and the post, below ``min_seconds_to_post``.

    A load time in the future (forged or clock skew) counts as too fast. Without a load time
    nothing is reported: API clients and imports do not have one.
    """

    name = "speed"
    cost = 1

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        minimum = context.settings.min_seconds_to_post
        if minimum <= 0 or submission.form_loaded_at is None:
            return []
        posted = submission.submitted_at or context.now
        elapsed = (posted - submission.form_loaded_at).total_seconds()
        if elapsed >= minimum:
            return []
        score = 1.0 if elapsed <= 0 else round(1 - elapsed / minimum, 2)
        reason = f"posted {max(elapsed, 0):.1f} s after the form loaded (minimum {minimum:g} s)"
        return [SignalResult(self.name, score, context.settings.fast_post_verdict, reason)]
