"""What every importer produces, whatever the source: threads, comments and skipped records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

from rejoinder.domain.states import CommentState

TextFormat = Literal["markdown", "html"]


@dataclass(slots=True)
class ImportedThread:
    key: str  # the source system's id for the thread
    uri: str  # normalised with rejoinder.domain.thread.normalize_uri
    title: str | None
    url: str | None
    closed: bool = False
    created: datetime | None = None
    position: str = field(default="", compare=False, repr=False)  # where it is in the source


@dataclass(slots=True)
class ImportedComment:
    key: str  # the source system's id; (source, key) makes re-imports add nothing
    thread_key: str
    parent_key: str | None
    author_name: str | None
    author_email: str | None
    author_website: str | None
    author_ip: str | None
    text: str
    text_format: TextFormat
    created: datetime  # always timezone-aware (UTC)
    state: CommentState = CommentState.PUBLISHED
    likes: int = 0
    edited: datetime | None = None
    pinned: bool = False
    position: str = field(default="", compare=False, repr=False)  # where it is in the source


class SkipReason(StrEnum):
    ORPHANED_REPLY = "orphaned reply"  # parent missing: kept as a top-level comment
    MISSING_THREAD = "comment for a missing thread"
    MISSING_ID = "missing id"
    MISSING_URI = "thread without a link"
    BAD_DATE = "bad or missing date"
    BAD_STATE = "unknown state"
    EMPTY_BODY = "empty body"
    DUPLICATE_ID = "duplicate id within the file"
    PINGBACK = "pingback or trackback"

    @property
    def keeps_record(self) -> bool:
        """True when the record is still imported and the entry is only a notice."""
        return self is SkipReason.ORPHANED_REPLY


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    kind: Literal["thread", "comment"]
    source_id: str | None
    reason: SkipReason
    line_or_position: str  # "line 12", "<post> #17", "row 5": where to look in the source
    detail: str = ""


Record = ImportedThread | ImportedComment | SkippedRecord
