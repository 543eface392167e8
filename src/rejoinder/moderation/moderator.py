"""The pipeline bound to a site: reads the site's settings and the author's status."""

from __future__ import annotations

from typing import Protocol

from rejoinder.domain.decision import Decision, Submission
from rejoinder.domain.site import Site
from rejoinder.moderation.context import AuthorStatus
from rejoinder.moderation.pipeline import ModerationPipeline
from rejoinder.moderation.settings import site_settings


class AuthorDirectory(Protocol):
    async def author_status(self, site_key: str, author_key: str) -> AuthorStatus:
        """The moderator-set flags of an author; ``AuthorStatus()`` for unknown authors."""
        ...


class InMemoryAuthorDirectory:
    def __init__(self, statuses: dict[tuple[str, str], AuthorStatus] | None = None) -> None:
        self.statuses = dict(statuses or {})

    async def author_status(self, site_key: str, author_key: str) -> AuthorStatus:
        return self.statuses.get((site_key, author_key), AuthorStatus())


class SiteModerator:
    """Fits the posting service's ``Moderator`` protocol: ``decide(site, submission)``."""

    def __init__(
        self, pipeline: ModerationPipeline, authors: AuthorDirectory | None = None
    ) -> None:
        self.pipeline = pipeline
        self.authors = authors

    def prepare(self, submission: Submission) -> None:
        self.pipeline.prepare(submission)

    async def decide(self, site: Site, submission: Submission) -> Decision:
        self.pipeline.prepare(submission)  # if not yet started: runs while the author is read
        status = (
            await self.authors.author_status(site.key, submission.author_key)
            if self.authors is not None else AuthorStatus()
        )
        return await self.pipeline.decide(submission, site_settings(site), status)
