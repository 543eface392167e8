"""ROC-AUC, precision/recall at a threshold, and threshold choice, in plain numpy."""

from __future__ import annotations

import numpy as np


def roc_auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve via the rank-sum statistic (ties get average ranks)."""
    y = np.asarray(y, dtype=bool)
    pos, neg = int(y.sum()), int((~y).sum())
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p), dtype=np.float64)
    sorted_p = np.asarray(p)[order]
    i = 0
    while i < len(p):
        j = i
        while j + 1 < len(p) and sorted_p[j + 1] == sorted_p[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def precision_recall(y: np.ndarray, p: np.ndarray, threshold: float) -> tuple[float, float]:
    y = np.asarray(y, dtype=bool)
    pred = np.asarray(p) >= threshold
    tp = int((pred & y).sum())
    precision = tp / int(pred.sum()) if pred.any() else 1.0
    recall = tp / int(y.sum()) if y.any() else float("nan")
    return precision, recall


def choose_threshold(y: np.ndarray, p: np.ndarray, min_precision: float,
                     floor: float = 0.5) -> float:
    """Lowest threshold >= ``floor`` whose precision reaches ``min_precision`` (else best F1)."""
    candidates = np.unique(np.concatenate([np.asarray(p), [floor]]))
    candidates = candidates[candidates >= floor]
    best_f1, best_t = -1.0, floor
    for t in candidates:
        precision, recall = precision_recall(y, p, float(t))
        if precision >= min_precision and recall == recall:
            return round(float(t), 3)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best_f1:
            best_f1, best_t = f1, float(t)
    return round(best_t, 3)
