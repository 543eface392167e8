"""``import_file``: parse, validate, order and write one file in one transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path

from rejoinder.domain.site import Site
from rejoinder.importers.disqus import parse_disqus
from rejoinder.importers.errors import ImportFormatError
from rejoinder.importers.isso import parse_isso
from rejoinder.importers.native import parse_rejoinder
from rejoinder.importers.ordering import parent_first
from rejoinder.importers.records import ImportedComment, ImportedThread, Record, SkippedRecord
from rejoinder.importers.report import ImportReport
from rejoinder.importers.sink import CommentRow, ImportSink, ImportTransaction
from rejoinder.importers.validate import validate
from rejoinder.importers.wordpress import parse_wordpress

Parser = Callable[[str | Path], Iterator[Record]]
FORMATS: dict[str, Parser] = {
    "disqus": parse_disqus,
    "wordpress": parse_wordpress,
    "isso": parse_isso,
    "rejoinder": parse_rejoinder,
}
BATCH_SIZE = 1000


async def import_file(
    fmt: str,
    path: str | Path,
    sink: ImportSink,
    site: Site,
    *,
    source: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import one export file into ``site``, all or nothing, and report what was skipped.

    ``source`` names the origin of the keys for idempotency (default: the format name); give
    two different WordPress blogs imported into one site different sources. Raises
    ``ImportFormatError`` (and keeps nothing) when the file is unsafe, malformed or not of
    ``fmt``. Parsing runs in a worker thread, a batch at a time, so the event loop stays free.
    """
    parser = FORMATS.get(fmt)
    if parser is None:
        raise ImportFormatError(f"unknown import format {fmt!r}; one of {', '.join(FORMATS)}")
    if not Path(path).is_file():
        raise ImportFormatError(f"no such file: {path}")
    source = source or fmt
    report = ImportReport(fmt, source)
    existing = await sink.existing_keys(site.id, source)
    records = parent_first(validate(parser(path)), known=existing)
    try:
        async with sink.transaction(site.id, source) as tx:
            writer = _Writer(tx, report, existing, batch_size)
            while chunk := await asyncio.to_thread(_take, records, batch_size):
                for record in chunk:
                    await writer.add(record)
            await writer.flush()
    finally:
        await asyncio.to_thread(records.close)
    return report


def _take(records: Iterator[Record], n: int) -> list[Record]:
    return list(islice(records, n))


class _Writer:
    """Maps source keys to Rejoinder ids and groups comments into batches."""

    def __init__(
        self, tx: ImportTransaction, report: ImportReport, existing: dict[str, int], size: int
    ) -> None:
        self.tx = tx
        self.report = report
        self.ids = dict(existing)  # source key -> comment id, for parents
        self.existing = existing
        self.size = size
        self.thread_ids: dict[str, int] = {}
        self.pending_threads: list[ImportedThread] = []
        self.rows: list[CommentRow] = []
        self.row_index: dict[str, int] = {}  # key -> position in self.rows

    async def add(self, record: Record) -> None:
        if isinstance(record, SkippedRecord):
            self.report.note(record)
        elif isinstance(record, ImportedThread):
            self.pending_threads.append(record)
            if len(self.pending_threads) >= self.size:
                await self.flush_threads()
        else:
            await self.add_comment(record)

    async def add_comment(self, comment: ImportedComment) -> None:
        if comment.key in self.existing:
            self.report.already_imported += 1
            return
        if comment.thread_key not in self.thread_ids:
            await self.flush_threads()
        parent = comment.parent_key
        self.row_index[comment.key] = len(self.rows)
        self.rows.append(CommentRow(
            comment,
            self.thread_ids[comment.thread_key],
            parent_id=self.ids.get(parent) if parent else None,
            parent_index=self.row_index.get(parent) if parent else None,
        ))
        if len(self.rows) >= self.size:
            await self.flush()

    async def flush_threads(self) -> None:
        if not self.pending_threads:
            return
        results = await self.tx.write_threads(self.pending_threads)
        for thread, result in zip(self.pending_threads, results, strict=True):
            self.thread_ids[thread.key] = result.id
            if result.created:
                self.report.threads_created += 1
            else:
                self.report.threads_existing += 1
        self.pending_threads.clear()

    async def flush(self) -> None:
        await self.flush_threads()
        if not self.rows:
            return
        ids = await self.tx.write_batch(self.rows)
        for row, new_id in zip(self.rows, ids, strict=True):
            self.ids[row.comment.key] = new_id
        self.report.comments_imported += len(ids)
        self.rows.clear()
        self.row_index.clear()
