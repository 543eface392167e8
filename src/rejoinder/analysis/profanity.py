"""The packaged profanity model, run with numpy alone.

``alt-profanity-check`` ships a TF-IDF vectorizer and a calibrated linear SVM (five folds, each
with a sigmoid calibration) as scikit-learn pickles. Loading them imports scikit-learn and SciPy
and costs a server about 100 MB. ``export_model`` copies the numbers out once into
``artifacts/profanity.npz`` (vocabulary, idf weights, per-fold coefficients and calibration);
``ProfanityModel`` computes the same probabilities from that file. A test checks the two agree.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ARTIFACT = Path(__file__).with_name("artifacts") / "profanity.npz"
TOKEN = re.compile(r"(?u)\b\w\w+\b")


class ProfanityModel:
    def __init__(self, path: Path = ARTIFACT) -> None:
        data = np.load(path, allow_pickle=False)
        words = str(data["vocabulary"]).split("\n")
        self.index = {word: i for i, word in enumerate(words)}
        self.idf = data["idf"].astype(np.float64)
        self.coef = data["coef"].astype(np.float64)  # (folds, vocabulary)
        self.intercept = data["intercept"].astype(np.float64)  # (folds,)
        self.a = data["a"].astype(np.float64)
        self.b = data["b"].astype(np.float64)

    def _tfidf(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(
            self.index[t] for t in TOKEN.findall(text.lower()) if t in self.index
        )
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        cols = np.fromiter(counts.keys(), dtype=np.int64)
        values = np.fromiter(counts.values(), dtype=np.float64) * self.idf[cols]
        norm = np.sqrt(np.sum(values * values))
        return cols, values / norm if norm else values

    def predict_prob(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty(len(texts), dtype=np.float64)
        for i, text in enumerate(texts):
            cols, values = self._tfidf(text)
            decision = self.coef[:, cols] @ values + self.intercept  # one per fold
            calibrated = 1.0 / (1.0 + np.exp(self.a * decision + self.b))
            out[i] = float(np.mean(calibrated))
        return out


def export_model(path: Path = ARTIFACT) -> Path:
    """Copy the numbers out of the installed scikit-learn pickles (needs alt-profanity-check)."""
    from profanity_check import profanity_check as packaged

    vectorizer, model = packaged.vectorizer, packaged.model
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    folds = model.calibrated_classifiers_
    np.savez_compressed(
        path,
        vocabulary=np.array("\n".join(vocabulary)),
        idf=vectorizer.idf_.astype(np.float64),
        coef=np.vstack([f.estimator.coef_[0] for f in folds]).astype(np.float32),
        intercept=np.array([f.estimator.intercept_[0] for f in folds]),
        a=np.array([f.calibrators[0].a_ for f in folds]),
        b=np.array([f.calibrators[0].b_ for f in folds]),
    )
    return path
