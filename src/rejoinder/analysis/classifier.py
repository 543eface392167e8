"""The comment classifier: embedding + features -> one calibrated probability per category."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from rejoinder.analysis.encoder import SentenceEncoder
from rejoinder.analysis.features import TextFeatures, feature_matrix, text_features
from rejoinder.analysis.heads import LogisticHead, load_heads
from rejoinder.analysis.scores import (
    CATEGORIES,
    Category,
    CategoryScore,
    ClassifierScores,
    Finding,
)

ARTIFACTS_DIR = Path(__file__).parent / "artifacts"
HEADS_FILE = "heads.npz"
THRESHOLDS_FILE = "thresholds.json"

# which rule features are reported as evidence for which category
RELATED_RULES: dict[Category, tuple[str, ...]] = {
    Category.TOXICITY: ("insult",),
    Category.THREAT: ("threat_phrase",),
    Category.IDENTITY_ATTACK: ("dehumanising",),
    Category.PROFANITY: (),
    Category.SPAM: ("spam_terms", "price", "links", "caps", "gibberish"),
}
USES_PROFANITY_MODEL = (Category.TOXICITY, Category.PROFANITY)


@dataclass(frozen=True, slots=True)
class Thresholds:
    hold: dict[Category, float]
    reject: dict[Category, float | None]

    @classmethod
    def load(cls, path: Path) -> Thresholds:
        raw = json.loads(path.read_text())
        return cls(hold={Category(k): float(v) for k, v in raw["hold"].items()},
                   reject={Category(k): (None if v is None else float(v))
                           for k, v in raw.get("reject", {}).items()})


def findings_for(category: Category, probability: float, feats: TextFeatures) -> tuple[
        Finding, ...]:
    found = [Finding("head", probability, f"{category.value} head {probability:.2f}")]
    if category in USES_PROFANITY_MODEL and feats.profanity >= 0.5:
        found.append(Finding("profanity_model", feats.profanity,
                             f"profanity model {feats.profanity:.2f}"))
    for hit in feats.rules:
        if hit.rule in RELATED_RULES[category] and hit.value > 0:
            found.append(Finding(f"rule:{hit.rule}", hit.value, hit.matched or hit.rule))
    return tuple(found)


Precision = Literal["float32", "int8"]
PRECISIONS: tuple[Precision, ...] = ("float32", "int8")


class CommentClassifier:
    """Loads the encoder and the heads on first use; thread-safe scoring of text batches.

    ``precision`` picks the encoder's arithmetic; the heads are the same for both (they were
    fitted on float32 embeddings and score int8 ones as well, see docs/classifiers.md).
    """

    def __init__(self, artifacts: Path = ARTIFACTS_DIR, encoder: SentenceEncoder | None = None,
                 heads: dict[str, LogisticHead] | None = None,
                 thresholds: Thresholds | None = None, precision: Precision = "float32",
                 encoder_threads: int = 0) -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
        self.precision: Precision = precision
        self.encoder_threads = encoder_threads
        self._artifacts = artifacts
        self._encoder = encoder
        self._heads = heads
        self._thresholds = thresholds
        self._lock = threading.Lock()
        self.load_seconds: float | None = None

    def load(self) -> None:
        with self._lock:
            if self._encoder is not None and self._heads is not None and self._thresholds:
                return
            started = time.perf_counter()
            if self._encoder is None:
                self._encoder = SentenceEncoder(quantize=self.precision == "int8",
                                                threads=self.encoder_threads)
            if self._heads is None:
                self._heads = load_heads(self._artifacts / HEADS_FILE)
            if self._thresholds is None:
                self._thresholds = Thresholds.load(self._artifacts / THRESHOLDS_FILE)
            text_features(["warm up"])  # loads the profanity model
            self.load_seconds = time.perf_counter() - started

    @property
    def encoder(self) -> SentenceEncoder:
        self.load()
        assert self._encoder is not None
        return self._encoder

    @property
    def heads(self) -> dict[str, LogisticHead]:
        self.load()
        assert self._heads is not None
        return self._heads

    @property
    def thresholds(self) -> Thresholds:
        self.load()
        assert self._thresholds is not None
        return self._thresholds

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.encoder.encode(list(texts))

    def score_batch(self, texts: Sequence[str],
                    heads: dict[str, LogisticHead] | None = None) -> list[ClassifierScores]:
        if not texts:
            return []
        embeddings = self.embed(texts)
        feats = text_features(list(texts))
        return self.score_features(embeddings, feats, heads)

    def score_items(self, texts: Sequence[str],
                    heads: Sequence[dict[str, LogisticHead] | None]) -> list[ClassifierScores]:
        """Score texts that may each use different (per-site) heads; features are computed once."""
        if not texts:
            return []
        embeddings = self.embed(texts)
        feats = text_features(list(texts))
        out: list[ClassifierScores | None] = [None] * len(texts)
        groups: dict[int, list[int]] = {}
        for i, h in enumerate(heads):
            groups.setdefault(id(h), []).append(i)
        for idx in groups.values():
            scored = self.score_features(embeddings[idx], [feats[i] for i in idx], heads[idx[0]])
            for i, res in zip(idx, scored, strict=True):
                out[i] = res
        return [r for r in out if r is not None]

    def score_features(self, embeddings: np.ndarray, feats: Sequence[TextFeatures],
                       heads: dict[str, LogisticHead] | None = None) -> list[ClassifierScores]:
        heads = {**self.heads, **(heads or {})}
        x = feature_matrix(embeddings, feats)
        probs = {c: heads[c.value].predict(x) for c in CATEGORIES}
        out = []
        for i, f in enumerate(feats):
            cats = {}
            for c in CATEGORIES:
                p = float(probs[c][i])
                cats[c] = CategoryScore(c, p, self.thresholds.hold[c], findings_for(c, p, f))
            out.append(ClassifierScores(cats, embedding=embeddings[i]))
        return out

    def score(self, text: str) -> ClassifierScores:
        return self.score_batch([text])[0]
