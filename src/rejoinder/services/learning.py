"""Moderators' decisions as training labels for the site's own classifier heads."""

from __future__ import annotations

from rejoinder.analysis.adapt import Label
from rejoinder.analysis.scores import Category
from rejoinder.services.sites import SiteDirectory
from rejoinder.store import moderation_queries as mq
from rejoinder.store.engine import Database

# An approved comment is evidence against every abuse category; a rejection (or a reader flag
# a moderator confirmed) is evidence of a personal attack; "spam" is evidence of spam.
APPROVED_IS_NOT = (Category.TOXICITY, Category.THREAT, Category.IDENTITY_ATTACK, Category.SPAM)
POSITIVE = {
    "reject": Category.TOXICITY,
    "flag_confirmed": Category.TOXICITY,
    "spam": Category.SPAM,
}


def labels_from_decisions(decisions: list[tuple[str, str]]) -> list[Label]:
    out: list[Label] = []
    for decision, text in decisions:
        if not text:
            continue
        if decision == "approve":
            out += [Label(category, False, text) for category in APPROVED_IS_NOT]
        elif decision in POSITIVE:
            out.append(Label(POSITIVE[decision], True, text))
    return out


class StoreLabelSource:
    """Implements the classifiers' ``LabelSource`` over the moderation_labels table."""

    def __init__(self, db: Database, limit: int = 5000) -> None:
        self.db = db
        self.sites = SiteDirectory(db)
        self.limit = limit

    async def labels(self, site_key: str) -> list[Label]:
        site = await self.sites.require(site_key)
        async with self.db.read() as conn:
            decisions = await mq.labels(conn, site.id, self.limit)
        return labels_from_decisions(decisions)
