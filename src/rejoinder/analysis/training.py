"""Fit the shipped heads on the generated corpus and evaluate them on held-out topics."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rejoinder.analysis.classifier import (
    ARTIFACTS_DIR,
    HEADS_FILE,
    THRESHOLDS_FILE,
    CommentClassifier,
    Precision,
    Thresholds,
)
from rejoinder.analysis.corpus import CORPUS_PATH, load_corpus
from rejoinder.analysis.features import feature_matrix, text_features
from rejoinder.analysis.heads import LogisticHead, fit_head, save_heads
from rejoinder.analysis.metrics import choose_threshold, precision_recall, roc_auc
from rejoinder.analysis.scores import CATEGORIES, Category

TEST_TOPICS = ("sports", "health", "culture")
VALIDATION_TOPICS = ("economy", "education")
MIN_PRECISION = 0.9
REJECT_PRECISION = 0.99
L2_CANDIDATES = (3.0, 10.0, 30.0, 100.0, 300.0)

Row = dict[str, object]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rejoinder"


def corpus_matrix(rows: Sequence[Row], classifier: CommentClassifier,
                  corpus_path: Path = CORPUS_PATH) -> np.ndarray:
    """Feature matrix for corpus rows; the embeddings are cached per corpus file content and
    encoder precision."""
    texts = [str(r["text"]) for r in rows]
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    if classifier.precision != "float32":
        digest += f"-{classifier.precision}"
    cache = _cache_dir() / f"embeddings-{digest}.npy"
    if cache.exists():
        embeddings = np.load(cache)
    else:
        embeddings = classifier.embed(texts)
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, embeddings)
    return feature_matrix(embeddings, text_features(texts))


def labels_of(rows: Sequence[Row], category: Category) -> np.ndarray:
    return np.array([category.value in r["labels"] for r in rows])  # type: ignore[operator]


def split(rows: Sequence[Row], topics: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    inside = np.array([r["topic"] in topics for r in rows])
    return ~inside, inside


def _log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _best_regularisation(x_fit: np.ndarray, y_fit: np.ndarray, x_val: np.ndarray,
                         y_val: np.ndarray) -> tuple[LogisticHead, float]:
    """The L2 strength with the lowest log-loss on the validation topics."""
    scored = []
    for l2 in L2_CANDIDATES:
        head = fit_head(x_fit, y_fit, l2=l2)
        scored.append((_log_loss(y_val, head.predict(x_val)), l2, head))
    _, l2, head = min(scored, key=lambda t: (t[0], -t[1]))
    return head, l2


@dataclass(frozen=True, slots=True)
class TrainResult:
    heads: dict[str, LogisticHead]
    thresholds: Thresholds


def train(artifacts: Path = ARTIFACTS_DIR, corpus_path: Path = CORPUS_PATH) -> TrainResult:
    rows = load_corpus(corpus_path)
    classifier = CommentClassifier(heads={}, thresholds=Thresholds({}, {}))
    x = corpus_matrix(rows, classifier, corpus_path)
    train_mask, _ = split(rows, TEST_TOPICS)
    fit_mask, val_mask = split(rows, VALIDATION_TOPICS)
    fit_mask &= train_mask
    heads: dict[str, LogisticHead] = {}
    hold: dict[Category, float] = {}
    reject: dict[Category, float | None] = {}
    l2s: dict[str, float] = {}
    for c in CATEGORIES:
        y = labels_of(rows, c)
        probe, l2 = _best_regularisation(x[fit_mask], y[fit_mask], x[val_mask], y[val_mask])
        l2s[c.value] = l2
        p_val = probe.predict(x[val_mask])
        hold[c] = choose_threshold(y[val_mask], p_val, MIN_PRECISION)
        reject[c] = max(choose_threshold(y[val_mask], p_val, REJECT_PRECISION, 0.9), hold[c])
        heads[c.value] = fit_head(x[train_mask], y[train_mask], l2=l2)
    save_heads(artifacts / HEADS_FILE, heads)
    (artifacts / THRESHOLDS_FILE).write_text(json.dumps({
        "hold": {c.value: t for c, t in hold.items()},
        "reject": {c.value: t for c, t in reject.items()},
        "l2": l2s, "test_topics": list(TEST_TOPICS),
        "validation_topics": list(VALIDATION_TOPICS),
    }, indent=2) + "\n")
    return TrainResult(heads, Thresholds(hold, reject))


def evaluate(artifacts: Path = ARTIFACTS_DIR, corpus_path: Path = CORPUS_PATH,
             precision: Precision = "float32") -> dict[str, object]:
    rows = load_corpus(corpus_path)
    classifier = CommentClassifier(artifacts, precision=precision)
    _, test_mask = split(rows, TEST_TOPICS)
    test_rows = [r for r, keep in zip(rows, test_mask, strict=True) if keep]
    x = corpus_matrix(test_rows, classifier, corpus_path)
    flagged_any = np.zeros(len(test_rows), dtype=bool)
    per_category: dict[str, dict[str, float]] = {}
    for c in CATEGORIES:
        y = labels_of(test_rows, c)
        p = classifier.heads[c.value].predict(x)
        t = classifier.thresholds.hold[c]
        precision, recall = precision_recall(y, p, t)
        flagged_any |= p >= t
        per_category[c.value] = {"roc_auc": roc_auc(y, p), "threshold": t,
                                 "precision": precision, "recall": recall,
                                 "positives": int(y.sum())}
    kinds = np.array([r["kind"] for r in test_rows])
    acceptable = np.array([not r["labels"] for r in test_rows])
    heated = kinds == "heated"
    return {
        "test_topics": list(TEST_TOPICS), "test_rows": len(test_rows),
        "categories": per_category,
        "heated_civil_fpr": float(flagged_any[heated].mean()), "heated_civil_rows": int(
            heated.sum()),
        "acceptable_fpr": float(flagged_any[acceptable].mean()),
        "acceptable_rows": int(acceptable.sum()),
    }


def format_report(report: dict[str, object]) -> str:
    lines = [f"Held-out topics: {', '.join(report['test_topics'])} "  # type: ignore[arg-type]
             f"({report['test_rows']} comments)", "",
             "| category | ROC-AUC | threshold | precision | recall | positives |",
             "|---|---|---|---|---|---|"]
    for name, m in report["categories"].items():  # type: ignore[attr-defined]
        lines.append(f"| {name} | {m['roc_auc']:.3f} | {m['threshold']:.3f} | "
                     f"{m['precision']:.3f} | {m['recall']:.3f} | {m['positives']} |")
    lines += ["", f"False-positive rate on heated-but-civil comments: "
              f"{report['heated_civil_fpr']:.3%} of {report['heated_civil_rows']}",
              f"False-positive rate on all acceptable comments: "
              f"{report['acceptable_fpr']:.3%} of {report['acceptable_rows']}"]
    return "\n".join(lines)
