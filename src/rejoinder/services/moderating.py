"""Builds the moderation pipeline and the admission gate the posting service uses."""

from __future__ import annotations

from rejoinder.domain.decision import Decision, Submission, Verdict
from rejoinder.domain.site import Site
from rejoinder.settings import Settings
from rejoinder.store.engine import Database


class OpenGate:
    async def admit(self, site: Site, submission: Submission) -> None:
        return None


class PublishingModerator:
    async def decide(self, site: Site, submission: Submission) -> Decision:
        return Decision(Verdict.PUBLISH)


def build_moderation(settings: Settings, db: Database) -> tuple[PublishingModerator, OpenGate]:
    return PublishingModerator(), OpenGate()
