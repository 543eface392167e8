"""What a site-aware signal sees besides the submission: the site's settings and the author."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from rejoinder.domain.decision import SignalResult, Submission
from rejoinder.moderation.settings import ModerationSettings


@dataclass(frozen=True, slots=True)
class AuthorStatus:
    """Moderator-set flags for one author on one site.

    ``trusted`` waives content holds (never bans or rejects); ``always_hold`` holds every comment
    of the author and wins over ``trusted``.
    """

    trusted: bool = False
    always_hold: bool = False


@dataclass(frozen=True, slots=True)
class ModerationContext:
    settings: ModerationSettings = field(default_factory=ModerationSettings)
    author: AuthorStatus = field(default_factory=AuthorStatus)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


class SiteSignal(Protocol):
    """A signal that needs the site's settings or the author's status.

    The pipeline calls ``assess`` when a signal has it, otherwise the plain ``Signal.evaluate``.
    """

    name: str
    cost: int

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]: ...
