"""Reworded copies of recent comments, found by sentence-embedding similarity.

Shingles (``duplicates.py``) catch copies and light edits; this catches the same message said
with other words, which spam and brigading campaigns rely on. It reuses the embedding the
classifiers already computed for the submission.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol

import numpy as np

from rejoinder.analysis.neardup import RecentMatrix
from rejoinder.domain.decision import SignalResult, Submission
from rejoinder.moderation.context import ModerationContext
from rejoinder.moderation.signals.classifiers import WORD, ScoreCache

MIN_WORDS = 8
THRESHOLD = 0.93

class RecentEmbeddings(Protocol):
    async def recent(
        self, site_key: str, since_seconds: float, limit: int
    ) -> Sequence[tuple[int, np.ndarray]]:
        """(comment id, embedding) of the site's recent comments, newest first."""
        ...

class RewordingSignal:
    name = "rewording"
    cost = 60

    def __init__(self, cache: ScoreCache, recent: RecentEmbeddings,
                 threshold: float = THRESHOLD, limit: int = 500) -> None:
        self.cache = cache
        self.recent = recent
        self.threshold = threshold
        self.limit = limit
        self._matrices: dict[str, RecentMatrix] = {}  # per site, updated as its window moves

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        if len(WORD.findall(submission.text)) < MIN_WORDS:
            return []
        scores = await self.cache.scores(submission.site_key, submission.text)
        if scores.embedding is None:
            return []
        window = timedelta(seconds=context.settings.duplicate_window_seconds).total_seconds()
        recent = await self.recent.recent(submission.site_key, window, self.limit)
        matrix = self._matrices.get(submission.site_key)
        if matrix is None:
            matrix = self._matrices[submission.site_key] = RecentMatrix()
        match = matrix.nearest(scores.embedding, recent, self.threshold)
        if match is None:
            return []
        return [SignalResult(
            signal=self.name, score=match.similarity,
            suggests=context.settings.duplicate_verdict,
            reason=f"reworded copy of #{match.comment_id} ({match.similarity:.2f})",
            related_comment_id=match.comment_id,
        )]
