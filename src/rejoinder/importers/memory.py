"""An ``ImportSink`` kept in memory: the reference behaviour the SQL store must match."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from rejoinder.domain.thread import normalize_uri
from rejoinder.importers.records import ImportedComment, ImportedThread
from rejoinder.importers.sink import CommentRow, ThreadResult


@dataclass(slots=True)
class StoredComment:
    id: int
    site_id: int
    thread_id: int
    parent_id: int | None
    source: str
    comment: ImportedComment


@dataclass(slots=True)
class MemoryState:
    threads: dict[int, tuple[int, ImportedThread]] = field(default_factory=dict)  # id -> site
    comments: dict[int, StoredComment] = field(default_factory=dict)
    keys: dict[tuple[int, str, str], int] = field(default_factory=dict)
    next_thread: int = 1
    next_comment: int = 1

    def copy(self) -> MemoryState:
        return MemoryState(dict(self.threads), dict(self.comments), dict(self.keys),
                           self.next_thread, self.next_comment)


class _Transaction:
    def __init__(self, state: MemoryState, site_id: int, source: str) -> None:
        self.state = state
        self.site_id = site_id
        self.source = source
        self.by_uri = {t.uri: tid for tid, (site, t) in state.threads.items() if site == site_id}

    async def write_threads(self, threads: Sequence[ImportedThread]) -> list[ThreadResult]:
        by_uri = self.by_uri
        results = []
        for thread in threads:
            uri = normalize_uri(thread.uri)
            if uri in by_uri:
                results.append(ThreadResult(by_uri[uri], created=False))
                continue
            tid = self.state.next_thread
            self.state.next_thread += 1
            self.state.threads[tid] = (self.site_id, thread)
            by_uri[uri] = tid
            results.append(ThreadResult(tid, created=True))
        return results

    async def write_batch(self, rows: Sequence[CommentRow]) -> list[int]:
        ids: list[int] = []
        for row in rows:
            if row.parent_id is not None and row.parent_index is not None:
                raise ValueError("a row names its parent twice")
            parent = ids[row.parent_index] if row.parent_index is not None else row.parent_id
            if parent is not None and self.state.comments[parent].thread_id != row.thread_id:
                raise ValueError(f"parent {parent} is in another thread")
            if row.thread_id not in self.state.threads:
                raise ValueError(f"no thread {row.thread_id}")
            key = (self.site_id, self.source, row.comment.key)
            if key in self.state.keys:
                raise ValueError(f"{row.comment.key} was already imported")
            cid = self.state.next_comment
            self.state.next_comment += 1
            self.state.comments[cid] = StoredComment(
                cid, self.site_id, row.thread_id, parent, self.source, row.comment)
            self.state.keys[key] = cid
            ids.append(cid)
        return ids


class MemorySink:
    """Transactions work on a copy that replaces the state only when the block succeeds."""

    def __init__(self) -> None:
        self.state = MemoryState()
        self.commits = 0

    async def existing_keys(self, site_id: int, source: str) -> dict[str, int]:
        return {key: cid for (site, src, key), cid in self.state.keys.items()
                if site == site_id and src == source}

    @asynccontextmanager
    async def transaction(self, site_id: int, source: str) -> AsyncIterator[_Transaction]:
        working = self.state.copy()
        yield _Transaction(working, site_id, source)
        self.state = working
        self.commits += 1
