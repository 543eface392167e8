"""Find a recent comment that a new one merely rewords, by embedding cosine similarity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rejoinder.analysis.window_shift import entered_in_front

DEFAULT_THRESHOLD = 0.92


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    comment_id: int
    similarity: float


def nearest_duplicate(embedding: np.ndarray, recent: Sequence[tuple[int, np.ndarray]],
                      threshold: float = DEFAULT_THRESHOLD) -> NearDuplicate | None:
    """The most similar recent comment with cosine similarity >= ``threshold``, if any."""
    return RecentMatrix().nearest(embedding, recent, threshold)


class RecentMatrix:
    """The recent vectors as unit rows of one matrix, kept between calls.

    Successive windows share all but a few rows: usually a few new comments enter at the front
    and as many old ones leave at the end. The rows are therefore stored oldest first in a
    buffer with room to grow, so such a move normalises and appends the new rows and drops the
    old ones by moving the start; nothing else is copied. Any other change (an edited comment,
    a reloaded window) rebuilds the matrix, reusing the rows whose vector object is unchanged.
    """

    __slots__ = ("_buffer", "_ids", "_start", "_stop", "_vectors")

    def __init__(self) -> None:
        self._buffer = np.zeros((0, 0), dtype=np.float32)
        self._start = self._stop = 0  # live rows: _buffer[_start:_stop], oldest first
        self._ids: list[int] = []  # newest first, as the window is given
        self._vectors: list[np.ndarray] = []  # held so ``is`` stays meaningful

    def nearest(self, embedding: np.ndarray, recent: Sequence[tuple[int, np.ndarray]],
                threshold: float = DEFAULT_THRESHOLD) -> NearDuplicate | None:
        if not recent:
            return None
        ids = [comment_id for comment_id, _ in recent]
        vectors = [vector for _, vector in recent]
        if not self._shift(ids, vectors):
            self._rebuild(ids, vectors)
        self._ids, self._vectors = ids, vectors
        query = np.asarray(embedding, dtype=np.float32)
        sims = (self._buffer[self._start:self._stop] @ query) / max(
            float(np.linalg.norm(query)), 1e-12)
        # the buffer runs oldest first; among equals the newest row wins, as in the window
        best = len(sims) - 1 - int(np.argmax(sims[::-1]))
        if sims[best] < threshold:
            return None
        return NearDuplicate(ids[len(ids) - 1 - best], float(sims[best]))

    def _shift(self, ids: list[int], vectors: list[np.ndarray]) -> bool:
        fresh = entered_in_front(vectors, self._vectors)
        if fresh is None or len(vectors[0]) != self._buffer.shape[1]:
            return False
        kept = len(ids) - fresh
        if ids[fresh:] != self._ids[:kept]:
            return False
        self._start += len(self._ids) - kept  # the oldest rows leave
        if fresh:
            self._append(_unit_rows(vectors[fresh - 1::-1]))  # oldest of the new ones first
        return True

    def _append(self, rows: np.ndarray) -> None:
        live = self._stop - self._start
        if self._stop + len(rows) > len(self._buffer):
            grown = np.empty((max(2 * (live + len(rows)), 64), rows.shape[1]), dtype=np.float32)
            grown[:live] = self._buffer[self._start:self._stop]
            self._buffer, self._start, self._stop = grown, 0, live
        self._buffer[self._stop:self._stop + len(rows)] = rows
        self._stop += len(rows)

    def _rebuild(self, ids: list[int], vectors: list[np.ndarray]) -> None:
        at = {comment_id: i for i, comment_id in enumerate(self._ids)}
        oldest_first = list(range(len(ids) - 1, -1, -1))
        reused = [i for i in oldest_first
                  if (j := at.get(ids[i])) is not None and self._vectors[j] is vectors[i]]
        matrix = np.empty((max(2 * len(ids), 64), len(vectors[0])), dtype=np.float32)
        live = self._buffer[self._start:self._stop]
        order = {i: n for n, i in enumerate(oldest_first)}
        if reused:
            # a row's place in the live buffer is len(self._ids) - 1 - its place in self._ids
            matrix[[order[i] for i in reused]] = live[
                [len(self._ids) - 1 - at[ids[i]] for i in reused]]
        taken = set(reused)
        fresh = [i for i in oldest_first if i not in taken]
        if fresh:
            matrix[[order[i] for i in fresh]] = _unit_rows([vectors[i] for i in fresh])
        self._buffer, self._start, self._stop = matrix, 0, len(ids)


def _unit_rows(vectors: Sequence[np.ndarray]) -> np.ndarray:
    rows = np.stack([np.asarray(v, dtype=np.float32) for v in vectors])
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
