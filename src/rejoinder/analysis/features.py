"""The feature vector each head reads: sentence embedding, profanity-model probability, rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from rejoinder.analysis.normalize import normalize
from rejoinder.analysis.profanity import ProfanityModel
from rejoinder.analysis.rules import RULE_NAMES, RuleHit, evaluate_rules

FEATURE_NAMES: tuple[str, ...] = ("profanity_model", *RULE_NAMES)


@dataclass(frozen=True, slots=True)
class TextFeatures:
    profanity: float
    rules: tuple[RuleHit, ...]

    def vector(self) -> np.ndarray:
        return np.array([self.profanity, *(h.value for h in self.rules)], dtype=np.float32)


@lru_cache(maxsize=1)
def _profanity_model() -> ProfanityModel:
    return ProfanityModel()


def profanity_probabilities(normalised: Sequence[str]) -> np.ndarray:
    texts = [t if t.strip() else "." for t in normalised]
    return np.asarray(_profanity_model().predict_prob(texts), dtype=np.float32)


def text_features(texts: Sequence[str]) -> list[TextFeatures]:
    if not texts:
        return []
    normalised = [normalize(t) for t in texts]
    profanity = profanity_probabilities(normalised)
    return [TextFeatures(float(p), tuple(evaluate_rules(t, n)))
            for t, n, p in zip(texts, normalised, profanity, strict=True)]


def feature_matrix(embeddings: np.ndarray, features: Sequence[TextFeatures]) -> np.ndarray:
    extra = np.stack([f.vector() for f in features]) if features else np.zeros(
        (0, len(FEATURE_NAMES)), dtype=np.float32)
    return np.hstack([embeddings.astype(np.float32), extra])
