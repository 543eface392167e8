"""Isso's SQLite database, opened read-only: tables ``threads`` and ``comments``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rejoinder.domain.states import CommentState
from rejoinder.domain.thread import normalize_uri
from rejoinder.importers.dates import from_unix
from rejoinder.importers.errors import ImportFormatError
from rejoinder.importers.records import (
    ImportedComment,
    ImportedThread,
    Record,
    SkippedRecord,
    SkipReason,
)

STATES = {1: CommentState.PUBLISHED, 2: CommentState.PENDING, 4: CommentState.DELETED}
COMMENT_COLUMNS = (
    "tid, id, parent, created, modified, mode, remote_addr, text, author, email, website, likes"
)


def parse_isso(path: str | Path) -> Iterator[Record]:
    """All threads, then comments ordered by thread and id (Isso ids grow with time)."""
    source = Path(path)
    if not source.is_file():
        raise ImportFormatError(f"no Isso database at {source}")
    # check_same_thread=False: the import pipeline may resume this generator on another worker
    # thread; it is never used by two threads at once.
    db = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True,
                         check_same_thread=False)
    try:
        try:
            threads = db.execute("SELECT id, uri, title FROM threads ORDER BY id")
            for tid, uri, title in threads:
                if not uri:
                    yield SkippedRecord("thread", str(tid), SkipReason.MISSING_URI,
                                        f"threads row id={tid}")
                    continue
                yield ImportedThread(str(tid), normalize_uri(uri), title or None, None,
                                     position=f"threads row id={tid}")
            rows = db.execute(f"SELECT {COMMENT_COLUMNS} FROM comments ORDER BY tid, id")
        except sqlite3.DatabaseError as exc:
            raise ImportFormatError(f"{source.name} is not an Isso database: {exc}") from exc
        for row in rows:
            yield _comment(row)
    finally:
        db.close()


def _comment(row: tuple[Any, ...]) -> ImportedComment | SkippedRecord:
    tid, cid, parent, created, modified, mode, ip, text, author, email, website, likes = row
    where = f"comments row id={cid}"
    when = from_unix(created)
    if when is None:
        return SkippedRecord("comment", str(cid), SkipReason.BAD_DATE, where, repr(created))
    state = STATES.get(mode)
    if state is None:
        return SkippedRecord("comment", str(cid), SkipReason.BAD_STATE, where, f"mode {mode!r}")
    return ImportedComment(
        key=str(cid),
        thread_key=str(tid),
        parent_key=None if parent is None else str(parent),
        author_name=author or None,
        author_email=email or None,
        author_website=website or None,
        author_ip=ip or None,
        text=text or "",
        text_format="markdown",
        created=when,
        state=state,
        likes=int(likes or 0),
        edited=from_unix(modified),
        position=where,
    )
