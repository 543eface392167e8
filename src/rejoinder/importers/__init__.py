"""Bring comments in from Disqus, WordPress, Isso and Rejoinder's own export, and take them out.

Parsers turn a file into a stream of records (``records.py``); ``runner.import_file`` validates,
orders and batches that stream into an ``ImportSink`` inside one transaction per file.
"""

from rejoinder.importers.errors import ImportFormatError
from rejoinder.importers.export import write_export, write_export_async
from rejoinder.importers.records import (
    ImportedComment,
    ImportedThread,
    SkippedRecord,
    SkipReason,
)
from rejoinder.importers.report import ImportReport
from rejoinder.importers.runner import FORMATS, import_file
from rejoinder.importers.sink import CommentRow, ImportSink, ImportTransaction, ThreadResult

__all__ = [
    "FORMATS",
    "CommentRow",
    "ImportFormatError",
    "ImportReport",
    "ImportSink",
    "ImportTransaction",
    "ImportedComment",
    "ImportedThread",
    "SkipReason",
    "SkippedRecord",
    "ThreadResult",
    "import_file",
    "write_export",
    "write_export_async",
]
