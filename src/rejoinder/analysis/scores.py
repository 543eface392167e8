"""What the comment classifier returns: a probability per category and the findings behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Category(StrEnum):
    TOXICITY = "toxicity"
    THREAT = "threat"
    IDENTITY_ATTACK = "identity_attack"
    PROFANITY = "profanity"
    SPAM = "spam"


CATEGORIES: tuple[Category, ...] = tuple(Category)


@dataclass(frozen=True, slots=True)
class Finding:
    """One separately reportable piece of evidence: the head, the profanity model, or a rule."""

    source: str  # "head", "profanity_model" or "rule:<name>"
    value: float
    detail: str


@dataclass(frozen=True, slots=True)
class CategoryScore:
    category: Category
    probability: float
    threshold: float
    findings: tuple[Finding, ...] = ()

    @property
    def flagged(self) -> bool:
        return self.probability >= self.threshold

    @property
    def reason(self) -> str:
        parts = [f"{self.category.value} {self.probability:.2f}"]
        parts += [f"{f.source}: {f.detail}" for f in self.findings if f.source != "head"]
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class ClassifierScores:
    categories: dict[Category, CategoryScore] = field(default_factory=dict)
    # the sentence embedding the heads saw (float32, 384 values); kept for near-duplicates
    embedding: Any = field(default=None, compare=False, repr=False)

    def probability(self, category: Category) -> float:
        return self.categories[category].probability

    @property
    def flagged(self) -> list[CategoryScore]:
        return [s for s in self.categories.values() if s.flagged]
