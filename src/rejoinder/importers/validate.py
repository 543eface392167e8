"""Checks every importer needs, applied to the parsed stream before anything is written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rejoinder.domain.states import CommentState
from rejoinder.importers.markup import html_to_markdown
from rejoinder.importers.records import ImportedComment, Record, SkippedRecord, SkipReason


def validate(records: Iterable[Record]) -> Iterator[Record]:
    """Drop duplicates, comments without their thread and empty bodies; HTML becomes Markdown.

    Threads must precede their comments in ``records`` (every parser guarantees it).
    """
    threads: set[str] = set()
    comments: set[str] = set()
    for record in records:
        if isinstance(record, SkippedRecord):
            yield record
        elif isinstance(record, ImportedComment):
            yield _comment(record, threads, comments)
        elif record.key in threads:
            yield SkippedRecord("thread", record.key, SkipReason.DUPLICATE_ID, record.position)
        else:
            threads.add(record.key)
            yield record


def _comment(
    comment: ImportedComment, threads: set[str], seen: set[str]
) -> ImportedComment | SkippedRecord:
    def skip(reason: SkipReason, detail: str = "") -> SkippedRecord:
        return SkippedRecord("comment", comment.key, reason, comment.position, detail)

    if comment.key in seen:
        return skip(SkipReason.DUPLICATE_ID)
    seen.add(comment.key)
    if comment.thread_key not in threads:
        return skip(SkipReason.MISSING_THREAD, f"thread {comment.thread_key}")
    if comment.text_format == "html":
        comment.text = html_to_markdown(comment.text)
        comment.text_format = "markdown"
    if not comment.text.strip() and comment.state is not CommentState.DELETED:
        return skip(SkipReason.EMPTY_BODY)
    return comment
