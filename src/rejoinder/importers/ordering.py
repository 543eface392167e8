"""Reorder comments so each comes after its parent, holding out-of-order ones on disk.

A reply can appear before its parent (Disqus lists posts in no guaranteed order). Such replies
wait in a temporary SQLite file, not in memory, until their parent has gone by. Replies whose
parent never appears, or lives in another thread, are kept as top-level comments and reported
as ``ORPHANED_REPLY``.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections import deque
from collections.abc import Container, Iterable, Iterator
from dataclasses import replace

from rejoinder.importers.records import ImportedComment, Record, SkippedRecord, SkipReason


class _Spill:
    def __init__(self) -> None:
        # "" is a private temporary database on disk, deleted when closed.
        self.db = sqlite3.connect("", check_same_thread=False)
        self.db.execute("CREATE TABLE wait (seq INTEGER PRIMARY KEY, parent TEXT, body BLOB)")
        self.db.execute("CREATE INDEX wait_parent ON wait (parent)")
        self.size = 0

    def put(self, comment: ImportedComment) -> None:
        self.db.execute("INSERT INTO wait (parent, body) VALUES (?, ?)",
                        (comment.parent_key, pickle.dumps(comment)))
        self.size += 1

    def take_children(self, parent: str) -> list[ImportedComment]:
        rows = self.db.execute(
            "SELECT body FROM wait WHERE parent = ? ORDER BY seq", (parent,)).fetchall()
        if rows:
            self.db.execute("DELETE FROM wait WHERE parent = ?", (parent,))
            self.size -= len(rows)
        return [pickle.loads(body) for (body,) in rows]

    def waiting_parents(self) -> list[str]:
        return [p for (p,) in self.db.execute(
            "SELECT parent FROM wait GROUP BY parent ORDER BY min(seq)")]

    def take_first(self) -> ImportedComment | None:
        row = self.db.execute("SELECT seq, body FROM wait ORDER BY seq LIMIT 1").fetchone()
        if row is None:
            return None
        self.db.execute("DELETE FROM wait WHERE seq = ?", (row[0],))
        self.size -= 1
        return pickle.loads(row[1])

    def close(self) -> None:
        self.db.close()


def parent_first(records: Iterable[Record], known: Container[str] = ()) -> Iterator[Record]:
    """Yield ``records`` with every comment after its parent; ``known`` keys count as present."""
    placed: dict[str, str] = {}  # key -> thread key of every comment yielded so far
    seen: set[str] = set()
    spill: _Spill | None = None

    def release(first: ImportedComment) -> Iterator[Record]:
        queue = deque([first])
        while queue:
            comment = queue.popleft()
            parent_thread = placed.get(comment.parent_key) if comment.parent_key else None
            if parent_thread is not None and parent_thread != comment.thread_key:
                yield from _reattach(comment, "parent is in another thread")
                comment = replace(comment, parent_key=None)
            placed[comment.key] = comment.thread_key
            yield comment
            if spill is not None and spill.size:
                queue.extend(spill.take_children(comment.key))

    try:
        for record in records:
            if not isinstance(record, ImportedComment):
                yield record
                continue
            seen.add(record.key)
            parent = record.parent_key
            if parent is None or parent in placed or parent in known:
                yield from release(record)
            else:
                spill = spill or _Spill()
                spill.put(record)
        if spill is None:
            return
        for parent in spill.waiting_parents():
            if parent not in seen:
                for orphan in spill.take_children(parent):
                    yield from _reattach(orphan, f"parent {parent} is not in the file")
                    yield from release(replace(orphan, parent_key=None))
        while (stuck := spill.take_first()) is not None:  # replies forming a loop
            yield from _reattach(stuck, f"parent {stuck.parent_key} is part of a reply loop")
            yield from release(replace(stuck, parent_key=None))
    finally:
        if spill is not None:
            spill.close()


def _reattach(comment: ImportedComment, detail: str) -> Iterator[SkippedRecord]:
    yield SkippedRecord("comment", comment.key, SkipReason.ORPHANED_REPLY, comment.position,
                        detail)
