"""What the moderation pipeline produces: signal results and the verdict built from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Verdict(StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"
    REJECT = "reject"

    def severity(self) -> int:
        return {"publish": 0, "hold": 1, "reject": 2}[self.value]


@dataclass(frozen=True, slots=True)
class SignalResult:
    """One signal's finding about a submission.

    ``score`` is in [0, 1]; ``suggests`` is what the signal alone would do; ``reason`` is shown to
    moderators verbatim ("3 links", "suspect word: idiot", "duplicate of #812").
    """

    signal: str
    score: float
    suggests: Verdict
    reason: str
    related_comment_id: int | None = None


@dataclass(frozen=True, slots=True)
class Submission:
    """A comment as the moderation pipeline sees it, before anything is written."""

    site_key: str
    thread_uri: str
    text: str
    author_name: str | None
    author_email: str | None
    author_website: str | None
    ip: str | None
    author_key: str  # stable pseudonymous identity: account id or keyed hash of email/ip
    parent_id: int | None = None
    honeypot: str | None = None
    form_loaded_at: datetime | None = None
    submitted_at: datetime | None = None
    user_agent: str | None = None


@dataclass(slots=True)
class Decision:
    verdict: Verdict
    results: list[SignalResult] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [r.reason for r in self.results if r.suggests is not Verdict.PUBLISH]
