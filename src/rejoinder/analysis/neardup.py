"""Find a recent comment that a new one merely rewords, by embedding cosine similarity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_THRESHOLD = 0.92


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    comment_id: int
    similarity: float


def nearest_duplicate(embedding: np.ndarray, recent: Sequence[tuple[int, np.ndarray]],
                      threshold: float = DEFAULT_THRESHOLD) -> NearDuplicate | None:
    """The most similar recent comment with cosine similarity >= ``threshold``, if any."""
    if not recent:
        return None
    ids = [cid for cid, _ in recent]
    matrix = np.stack([np.asarray(v, dtype=np.float32) for _, v in recent])
    query = np.asarray(embedding, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1) * max(float(np.linalg.norm(query)), 1e-12)
    sims = (matrix @ query) / np.maximum(norms, 1e-12)
    best = int(np.argmax(sims))
    if sims[best] < threshold:
        return None
    return NearDuplicate(ids[best], float(sims[best]))
