"""Logistic-regression heads fitted with numpy (Newton's method with L2), stored as .npz."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


@dataclass(frozen=True, slots=True)
class LogisticHead:
    weights: np.ndarray  # over standardised features
    bias: float
    mean: np.ndarray
    scale: np.ndarray

    def predict(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        return sigmoid(z).astype(np.float64)


def fit_head(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 25,
             sample_weight: np.ndarray | None = None,
             init: LogisticHead | None = None) -> LogisticHead:
    """Fit a balanced, L2-regularised logistic regression.

    With ``init`` the standardisation is kept and the weights are pulled towards the initial
    head's weights instead of zero (used to adapt a shipped head to one site's decisions).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if init is None:
        mean = x.mean(axis=0)
        scale = x.std(axis=0) + 1e-6
        prior_w = np.zeros(x.shape[1] + 1)
    else:
        mean, scale = init.mean.astype(np.float64), init.scale.astype(np.float64)
        prior_w = np.concatenate([[init.bias], init.weights])
    xs = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    pos = max(y.sum(), 1.0)
    neg = max(len(y) - y.sum(), 1.0)
    sw = np.where(y > 0.5, len(y) / (2 * pos), len(y) / (2 * neg))
    if sample_weight is not None:
        sw = sw * sample_weight
    w = prior_w.copy()
    reg = np.full(xs.shape[1], l2)
    reg[0] = 0.0 if init is None else l2
    def loss(v: np.ndarray) -> float:
        z = xs @ v
        nll = np.logaddexp(0.0, z) - y * z
        return float(sw @ nll + 0.5 * np.sum(reg * (v - prior_w) ** 2))

    current = loss(w)
    for _ in range(iterations):
        p = sigmoid(xs @ w)
        grad = xs.T @ (sw * (p - y)) + reg * (w - prior_w)
        hess = (xs * (sw * p * (1 - p))[:, None]).T @ xs + np.diag(reg + 1e-6)
        step = np.linalg.solve(hess, grad)
        rate = 1.0
        while rate > 1e-4:  # backtracking keeps Newton from overshooting near separation
            trial = w - rate * step
            trial_loss = loss(trial)
            if trial_loss <= current:
                break
            rate /= 2
        else:
            break
        w, improvement, current = trial, current - trial_loss, trial_loss
        if improvement < 1e-7 * max(1.0, abs(current)):
            break
    return LogisticHead(weights=w[1:].astype(np.float32), bias=float(w[0]),
                        mean=mean.astype(np.float32), scale=scale.astype(np.float32))


def save_heads(path: Path, heads: dict[str, LogisticHead]) -> None:
    arrays: dict[str, np.ndarray] = {}
    for name, head in heads.items():
        arrays[f"{name}.weights"] = head.weights
        arrays[f"{name}.bias"] = np.array([head.bias], dtype=np.float64)
        arrays[f"{name}.mean"] = head.mean
        arrays[f"{name}.scale"] = head.scale
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)


def load_heads(path: Path) -> dict[str, LogisticHead]:
    with np.load(path) as data:
        names = sorted({k.rsplit(".", 1)[0] for k in data.files})
        return {n: LogisticHead(weights=data[f"{n}.weights"], bias=float(data[f"{n}.bias"][0]),
                                mean=data[f"{n}.mean"], scale=data[f"{n}.scale"])
                for n in names}
