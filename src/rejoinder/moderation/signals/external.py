"""What the third-party adapters share: off unless configured, and a choice on failure."""

from __future__ import annotations

from enum import StrEnum

from rejoinder.domain.decision import SignalResult, Verdict

UNAVAILABLE = "spam check unavailable"


class FailMode(StrEnum):
    OPEN = "open"  # on timeout or error, the check is ignored
    CLOSED = "closed"  # on timeout or error, the comment is held


def unavailable(signal: str, fail_mode: FailMode, detail: str) -> SignalResult:
    """Recorded either way so the moderator sees that the check did not run."""
    if fail_mode is FailMode.CLOSED:
        return SignalResult(signal, 0.0, Verdict.HOLD, UNAVAILABLE)
    return SignalResult(signal, 0.0, Verdict.PUBLISH, f"{UNAVAILABLE} (ignored: {detail})")
