"""Per-site heads refitted from moderators' decisions, kept only when they do better."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from rejoinder.analysis.classifier import CommentClassifier
from rejoinder.analysis.features import feature_matrix, text_features
from rejoinder.analysis.heads import LogisticHead, fit_head, load_heads, save_heads
from rejoinder.analysis.metrics import roc_auc
from rejoinder.analysis.scores import Category


@dataclass(frozen=True, slots=True)
class Label:
    """One moderator decision: ``positive`` means the comment belongs to ``category``."""

    category: Category
    positive: bool
    text: str | None = None
    embedding: Sequence[float] | None = None


class LabelSource(Protocol):
    async def labels(self, site_key: str) -> list[Label]: ...


class JsonlLabelSource:
    """Labels from a JSONL file: {"site", "category", "positive", "text"} per line."""

    def __init__(self, path: Path) -> None:
        self._path = path

    async def labels(self, site_key: str) -> list[Label]:
        out = []
        for line in self._path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("site", site_key) != site_key:
                continue
            out.append(Label(Category(row["category"]), bool(row["positive"]), row.get("text"),
                             row.get("embedding")))
        return out


@dataclass(frozen=True, slots=True)
class AdaptResult:
    category: Category
    old_score: float
    new_score: float
    adopted: bool
    head: LogisticHead
    train_size: int
    holdout_size: int


def _log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _quality(y: np.ndarray, p: np.ndarray) -> float:
    """Higher is better: ROC-AUC when both classes are present, else negative log-loss."""
    auc = roc_auc(y, p)
    return auc if auc == auc else -_log_loss(y, p)


def label_matrix(labels: Sequence[Label], classifier: CommentClassifier) -> np.ndarray:
    texts = [lab.text or "" for lab in labels]
    feats = text_features(texts)
    to_embed = [i for i, lab in enumerate(labels) if lab.embedding is None]
    emb = np.zeros((len(labels), 384), dtype=np.float32)
    if to_embed:
        emb[to_embed] = classifier.embed([texts[i] for i in to_embed])
    for i, lab in enumerate(labels):
        if lab.embedding is not None:
            emb[i] = np.asarray(lab.embedding, dtype=np.float32)
    return feature_matrix(emb, feats)


def adapt_head(base: LogisticHead, x: np.ndarray, y: np.ndarray, holdout: float = 0.3,
               seed: int = 0, l2: float = 3.0) -> tuple[LogisticHead, float, float, int]:
    """Refit near ``base``; returns (new head, old quality, new quality, holdout size)."""
    rng = np.random.default_rng(seed)
    hold_parts, fit_parts = [], []
    for cls in (0.0, 1.0):  # stratified: both classes appear in the held-out part
        idx = rng.permutation(np.flatnonzero(y == cls))
        n = round(len(idx) * holdout) if len(idx) > 1 else 0
        hold_parts.append(idx[:n])
        fit_parts.append(idx[n:])
    hold, fit = np.concatenate(hold_parts), np.concatenate(fit_parts)
    n_hold = len(hold)
    if n_hold == 0 or len(fit) == 0:
        return base, 0.0, 0.0, n_hold
    new = fit_head(x[fit], y[fit], l2=l2, init=base)
    old_q = _quality(y[hold], base.predict(x[hold]))
    new_q = _quality(y[hold], new.predict(x[hold]))
    return new, old_q, new_q, n_hold


def site_heads_path(data_dir: Path, site_key: str) -> Path:
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in site_key)
    return data_dir / "site_heads" / f"{safe}.npz"


def load_site_heads(data_dir: Path, site_key: str) -> dict[str, LogisticHead]:
    path = site_heads_path(data_dir, site_key)
    return load_heads(path) if path.exists() else {}


class SiteHeadStore:
    """Per-site heads from ``data_dir``, reloaded when ``adapt_site`` rewrites a file."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._cache: dict[str, tuple[float, dict[str, LogisticHead]]] = {}

    def get(self, site_key: str) -> dict[str, LogisticHead]:
        path = site_heads_path(self._data_dir, site_key)
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            return {}
        hit = self._cache.get(site_key)
        if hit is None or hit[0] != mtime:
            hit = (mtime, load_heads(path))
            self._cache[site_key] = hit
        return hit[1]


async def adapt_site(site_key: str, source: LabelSource, data_dir: Path,
                     classifier: CommentClassifier, min_labels: int = 10) -> list[AdaptResult]:
    """Refit each category with enough labels; store only heads that beat the current one."""
    labels = await source.labels(site_key)
    current = {**classifier.heads, **load_site_heads(data_dir, site_key)}
    results: list[AdaptResult] = []
    adopted: dict[str, LogisticHead] = load_site_heads(data_dir, site_key)
    for category in Category:
        subset = [lab for lab in labels if lab.category is category]
        if len(subset) < min_labels:
            continue
        x = label_matrix(subset, classifier)
        y = np.array([lab.positive for lab in subset], dtype=np.float64)
        base = current[category.value]
        new, old_q, new_q, n_hold = adapt_head(base, x, y)
        better = new_q > old_q
        if better:
            adopted[category.value] = new
        results.append(AdaptResult(category, old_q, new_q, better, new if better else base,
                                   len(subset) - n_hold, n_hold))
    if any(r.adopted for r in results):
        save_heads(site_heads_path(data_dir, site_key), adopted)
    return results
