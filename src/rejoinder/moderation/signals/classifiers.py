"""Moderation signals backed by the on-server comment classifiers, one per category."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from rejoinder.analysis.scores import Category, CategoryScore, ClassifierScores
from rejoinder.analysis.service import ScoringService
from rejoinder.domain.decision import SignalResult, Submission, Verdict


@dataclass(frozen=True, slots=True)
class CategoryPolicy:
    """``hold`` None means the shipped threshold; ``reject`` None means never reject."""

    hold: float | None = None
    reject: float | None = None


@dataclass(frozen=True, slots=True)
class ClassifierPolicy:
    default: Mapping[Category, CategoryPolicy] = field(default_factory=dict)
    per_site: Mapping[str, Mapping[Category, CategoryPolicy]] = field(default_factory=dict)

    def for_site(self, site_key: str, category: Category) -> CategoryPolicy:
        site = self.per_site.get(site_key, {})
        return site.get(category) or self.default.get(category) or CategoryPolicy()


class ScoreCache:
    """One scoring per submission even though every category signal asks for it at once:
    concurrent askers share the same pending result."""

    def __init__(self, service: ScoringService, size: int = 256) -> None:
        self._service = service
        self._size = size
        self._cache: dict[tuple[str, str], asyncio.Future[ClassifierScores]] = {}

    def prefetch(self, site_key: str, text: str) -> None:
        """Start scoring now, so it runs while cheaper signals are being checked."""
        self._pending(site_key, text)

    async def scores(self, site_key: str, text: str) -> ClassifierScores:
        return await asyncio.shield(self._pending(site_key, text))

    def _pending(self, site_key: str, text: str) -> asyncio.Future[ClassifierScores]:
        key = (site_key, text)
        pending = self._cache.get(key)
        if pending is None or (pending.done() and pending.exception() is not None):
            pending = asyncio.ensure_future(self._service.score(text, site_key))
            # a prefetched scoring nobody awaits (the decision ended early) must not log
            # "exception never retrieved"
            pending.add_done_callback(_consume_exception)
            if len(self._cache) >= self._size:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = pending
        return pending


def _consume_exception(future: asyncio.Future[ClassifierScores]) -> None:
    if not future.cancelled():
        future.exception()


WORD = re.compile(r"\w+")
MIN_WORDS_FOR_HEADS = 6


def too_short_for_heads(text: str, score: CategoryScore) -> bool:
    """A very short text where only the embedding head speaks: the heads were trained on
    sentences and guess on one or two words, so such a score is recorded but not acted on."""
    return len(WORD.findall(text)) < MIN_WORDS_FOR_HEADS and all(
        f.source == "head" for f in score.findings
    )


class ClassifierSignal:
    """Holds (or rejects, when a reject threshold is set) comments scoring high in a category."""

    cost = 50

    def __init__(self, category: Category, cache: ScoreCache,
                 policy: ClassifierPolicy | None = None) -> None:
        self.category = category
        self.name = category.value
        self._cache = cache
        self._policy = policy or ClassifierPolicy()

    def prepare(self, submission: Submission) -> None:
        self._cache.prefetch(submission.site_key, submission.text)

    async def evaluate(self, submission: Submission) -> list[SignalResult]:
        scores = await self._cache.scores(submission.site_key, submission.text)
        score = scores.categories[self.category]
        policy = self._policy.for_site(submission.site_key, self.category)
        hold = policy.hold if policy.hold is not None else score.threshold
        if score.probability < hold or too_short_for_heads(submission.text, score):
            # below the threshold, or a very short text where only the embedding head speaks
            # (it was trained on sentences and guesses on one or two words): record the score
            return [SignalResult(signal=self.name, score=score.probability,
                                 suggests=Verdict.PUBLISH,
                                 reason=f"{self.name} {score.probability:.2f}")]
        rejecting = policy.reject is not None and score.probability >= policy.reject
        return [SignalResult(signal=self.name, score=score.probability,
                             suggests=Verdict.REJECT if rejecting else Verdict.HOLD,
                             reason=score.reason)]


def classifier_signals(service: ScoringService, policy: ClassifierPolicy | None = None,
                       cache: ScoreCache | None = None) -> list[ClassifierSignal]:
    cache = cache or ScoreCache(service)
    return [ClassifierSignal(c, cache, policy) for c in Category]
