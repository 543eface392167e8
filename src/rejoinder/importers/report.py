from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rejoinder.importers.records import SkippedRecord


@dataclass(slots=True)
class ImportReport:
    """What one file's import did; ``skipped`` and ``reattached`` list every record concerned."""

    fmt: str
    source: str
    threads_created: int = 0
    threads_existing: int = 0  # same uri already on the site (or twice in the file): reused
    comments_imported: int = 0
    already_imported: int = 0  # key seen in an earlier import of the same source: left alone
    skipped: list[SkippedRecord] = field(default_factory=list)
    reattached: list[SkippedRecord] = field(default_factory=list)  # orphaned replies kept top-level

    def note(self, record: SkippedRecord) -> None:
        (self.reattached if record.reason.keeps_record else self.skipped).append(record)

    def counts(self) -> dict[str, int]:
        """Number of records per reason, for skipped and reattached records alike."""
        tally = Counter(str(r.reason) for r in [*self.skipped, *self.reattached])
        return dict(sorted(tally.items()))

    def summary(self) -> str:
        lines = [
            f"{self.fmt}: {self.comments_imported} comments imported, "
            f"{self.already_imported} already imported, {len(self.skipped)} skipped; "
            f"{self.threads_created} threads created, {self.threads_existing} reused",
        ]
        lines += [f"  {reason}: {n}" for reason, n in self.counts().items()]
        return "\n".join(lines)
