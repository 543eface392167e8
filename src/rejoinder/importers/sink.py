"""What an import needs from the store: the narrow interface the database layer implements."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol

from rejoinder.importers.records import ImportedComment, ImportedThread


@dataclass(frozen=True, slots=True)
class ThreadResult:
    id: int
    created: bool  # False: a thread with this uri already existed on the site and is reused


@dataclass(frozen=True, slots=True)
class CommentRow:
    """One comment to insert, with its place in the tree already resolved to Rejoinder ids.

    At most one of ``parent_id`` / ``parent_index`` is set: ``parent_id`` names a comment that
    already exists (committed earlier, or written by an earlier batch of this transaction);
    ``parent_index`` names an earlier row of the same batch, whose id is not known yet.
    """

    comment: ImportedComment
    thread_id: int
    parent_id: int | None = None
    parent_index: int | None = None


class ImportTransaction(Protocol):
    async def write_threads(self, threads: Sequence[ImportedThread]) -> list[ThreadResult]:
        """Find or create each thread by (site, uri), in order; never alter an existing one."""
        ...

    async def write_batch(self, rows: Sequence[CommentRow]) -> list[int]:
        """Insert the rows in order and return their new ids, in the same order.

        Each row is recorded under (site, source, ``row.comment.key``) so that
        ``existing_keys`` finds it after commit.
        """
        ...


class ImportSink(Protocol):
    async def existing_keys(self, site_id: int, source: str) -> dict[str, int]:
        """Source key -> Rejoinder comment id for everything committed by earlier imports."""
        ...

    def transaction(
        self, site_id: int, source: str
    ) -> AbstractAsyncContextManager[ImportTransaction]:
        """One database transaction for one file: committed when the block exits normally,
        rolled back (nothing of the file kept) when it raises."""
        ...
