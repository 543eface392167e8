"""Before posting: a gentle "would you like to rephrase?" when a draft reads as an attack."""

from __future__ import annotations

from typing import Any

from rejoinder.analysis.scores import Category
from rejoinder.analysis.service import ScoringService
from rejoinder.errors import invalid
from rejoinder.moderation.signals.classifiers import too_short_for_heads
from rejoinder.services.sites import SiteDirectory

NUDGE_CATEGORIES = (Category.TOXICITY, Category.THREAT, Category.IDENTITY_ATTACK)
NUDGE_MESSAGE = (
    "Your comment may come across as hostile. Would you like to rephrase it before posting?"
)
MAX_DRAFT = 20_000


class NudgingService:
    def __init__(self, sites: SiteDirectory, scoring: ScoringService | None) -> None:
        self.sites = sites
        self.scoring = scoring

    async def score_draft(self, site_key: str, text: str) -> dict[str, Any]:
        site = await self.sites.require(site_key)
        if len(text) > MAX_DRAFT:
            raise invalid("text_too_long", "The draft is too long to check.", "text")
        if self.scoring is None or not site.settings.get("nudge", True) or not text.strip():
            return {"nudge": False, "message": None, "categories": []}
        scores = await self.scoring.score(text)
        hits = [
            s.category.value for s in scores.flagged
            if s.category in NUDGE_CATEGORIES and not too_short_for_heads(text, s)
        ]
        return {"nudge": bool(hits), "message": NUDGE_MESSAGE if hits else None,
                "categories": hits}
