"""The contract every moderation signal fulfils."""

from __future__ import annotations

from typing import Protocol

from rejoinder.domain.decision import SignalResult, Submission


class Signal(Protocol):
    """A single, independent check. ``cost`` orders the pipeline: cheap signals run first.

    A signal may also define ``prepare(submission) -> None``: the pipeline calls it, without
    waiting, when a decision starts, so slow work (scoring with the classifiers) runs while the
    cheaper signals are checked.
    """

    name: str
    cost: int

    async def evaluate(self, submission: Submission) -> list[SignalResult]:
        """Return zero or more findings; an empty list means nothing to report."""
        ...
