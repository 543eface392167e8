"""Find a recent comment that a new one merely rewords, by embedding cosine similarity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

DEFAULT_THRESHOLD = 0.92


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    comment_id: int
    similarity: float


def nearest_duplicate(embedding: np.ndarray, recent: Sequence[tuple[int, np.ndarray]],
                      threshold: float = DEFAULT_THRESHOLD) -> NearDuplicate | None:
    """The most similar recent comment with cosine similarity >= ``threshold``, if any."""
    return RecentMatrix().nearest(embedding, recent, threshold)


@dataclass(slots=True)
class RecentMatrix:
    """The recent vectors stacked into one unit-row matrix, kept between calls.

    Successive windows share all but a few rows, so only rows whose vector object is new are
    normalised and copied in; the rest are taken from the previous matrix. Stacking the whole
    window again cost more than the matrix product itself.
    """

    vectors: list[np.ndarray] = field(default_factory=list)  # held so ``is`` stays meaningful
    matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    position: dict[int, int] = field(default_factory=dict)  # comment id -> row

    def nearest(self, embedding: np.ndarray, recent: Sequence[tuple[int, np.ndarray]],
                threshold: float = DEFAULT_THRESHOLD) -> NearDuplicate | None:
        if not recent:
            return None
        self._update(recent)
        query = np.asarray(embedding, dtype=np.float32)
        sims = (self.matrix @ query) / max(float(np.linalg.norm(query)), 1e-12)
        best = int(np.argmax(sims))
        if sims[best] < threshold:
            return None
        return NearDuplicate(recent[best][0], float(sims[best]))

    def _update(self, recent: Sequence[tuple[int, np.ndarray]]) -> None:
        old_rows: list[int] = []
        new_rows: list[int] = []
        for i, (comment_id, vector) in enumerate(recent):
            at = self.position.get(comment_id)
            if at is not None and self.vectors[at] is vector:
                old_rows.append(i)
            else:
                new_rows.append(i)
        if not new_rows and len(old_rows) == len(self.vectors) and all(
                self.position[recent[i][0]] == i for i in old_rows):
            return  # the same window as last time
        dim = len(recent[0][1])
        matrix = np.empty((len(recent), dim), dtype=np.float32)
        if old_rows:
            matrix[old_rows] = self.matrix[[self.position[recent[i][0]] for i in old_rows]]
        if new_rows:
            fresh = np.stack([np.asarray(recent[i][1], dtype=np.float32) for i in new_rows])
            norms = np.linalg.norm(fresh, axis=1, keepdims=True)
            matrix[new_rows] = fresh / np.maximum(norms, 1e-12)
        self.matrix = matrix
        self.vectors = [vector for _, vector in recent]
        self.position = {comment_id: i for i, (comment_id, _) in enumerate(recent)}
