"""A whole site out as Rejoinder's export format, and any import file in through the runner.

``DatabaseImportSink`` is the SQL implementation of the importers' ``ImportSink``: one write
transaction per file, each comment recorded under ``comments.import_key = "<source>:<key>"``
so that importing the same file again adds nothing, and every touched thread's version bumped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TextIO

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.domain.site import Site
from rejoinder.domain.states import CommentState
from rejoinder.domain.thread import normalize_uri
from rejoinder.importers import (
    CommentRow,
    ImportedComment,
    ImportedThread,
    ImportReport,
    ThreadResult,
    import_file,
    write_export_async,
)
from rejoinder.render import render
from rejoinder.services.tokens import Signer, author_key, avatar_seed
from rejoinder.store import authors as author_store
from rejoinder.store import comments as comment_store
from rejoinder.store import threads as thread_store
from rejoinder.store.comments import NewCommentRow
from rejoinder.store.engine import Database
from rejoinder.store.rows import now, utc
from rejoinder.store.tables import authors, comments, threads

CHUNK = 1000


class _SqlTransaction:
    def __init__(self, conn: AsyncConnection, site_id: int, source: str, sink: DatabaseImportSink
                 ) -> None:
        self.conn = conn
        self.site_id = site_id
        self.source = source
        self.sink = sink
        self.touched: set[int] = set()
        self.places: dict[int, tuple[str, int]] = {}  # comment id -> (path, depth)

    async def write_threads(self, items: Sequence[ImportedThread]) -> list[ThreadResult]:
        results = []
        for thread in items:
            uri = normalize_uri(thread.uri)
            found = await thread_store.thread_by_uri(self.conn, self.site_id, uri)
            if found is not None:
                results.append(ThreadResult(found.id, created=False))
                continue
            new_id = (await self.conn.execute(
                insert(threads).values(
                    site_id=self.site_id, uri=uri, title=thread.title, url=thread.url,
                    closed=thread.closed, version=0, created=thread.created or now(),
                ).returning(threads.c.id)
            )).scalar_one()
            results.append(ThreadResult(int(new_id), created=True))
        return results

    async def _place(self, parent_id: int) -> tuple[str, int]:
        if parent_id not in self.places:
            parent = await comment_store.comment_by_id(self.conn, parent_id)
            if parent is None:
                raise ValueError(f"parent comment {parent_id} does not exist")
            self.places[parent_id] = (parent.path, parent.depth)
        return self.places[parent_id]

    async def write_batch(self, rows: Sequence[CommentRow]) -> list[int]:
        ids: list[int] = []
        for row in rows:
            parent = ids[row.parent_index] if row.parent_index is not None else row.parent_id
            path, depth = (await self._place(parent)) if parent is not None else (None, -1)
            c = row.comment
            signer = self.sink.signer
            author_id = None
            if c.author_email or c.author_name:
                key = author_key(signer, c.author_email, c.author_name, c.author_ip)
                author_id = await author_store.upsert_author(
                    self.conn, self.site_id, key, c.author_name, c.author_email,
                    c.author_website,
                )
            deleted = c.state is CommentState.DELETED
            new_id, new_path = await comment_store.insert_comment(self.conn, NewCommentRow(
                thread_id=row.thread_id, parent_id=parent, parent_path=path,
                reply_to_id=parent, depth=depth + 1, author_id=author_id, state=c.state,
                text=c.text, html="" if deleted else render(c.text,
                                                            allow_images=self.sink.allow_images),
                author_name=c.author_name, author_website=c.author_website,
                avatar=avatar_seed(signer, c.author_email, c.author_name, c.author_ip),
                ip=c.author_ip, notify=False, created=c.created, likes=c.likes,
                edited=c.edited, pinned=c.pinned, import_key=f"{self.source}:{c.key}"[:200],
            ))
            self.places[new_id] = (new_path, depth + 1)
            self.touched.add(row.thread_id)
            ids.append(new_id)
        return ids


class DatabaseImportSink:
    def __init__(self, db: Database, signer: Signer, *, allow_images: bool = False) -> None:
        self.db = db
        self.signer = signer
        self.allow_images = allow_images

    async def existing_keys(self, site_id: int, source: str) -> dict[str, int]:
        prefix = f"{source}:"
        query = (
            select(comments.c.import_key, comments.c.id)
            .select_from(comments.join(threads, comments.c.thread_id == threads.c.id))
            .where(threads.c.site_id == site_id,
                   func.substr(comments.c.import_key, 1, len(prefix)) == prefix)
        )
        async with self.db.read() as conn:
            found = (await conn.execute(query)).all()
        return {str(k)[len(prefix):]: int(i) for k, i in found}

    @asynccontextmanager
    async def transaction(self, site_id: int, source: str) -> AsyncIterator[_SqlTransaction]:
        async with self.db.write() as conn:
            tx = _SqlTransaction(conn, site_id, source, self)
            yield tx
            for thread_id in sorted(tx.touched):
                await thread_store.bump_version(conn, thread_id)


async def import_into_site(
    db: Database, signer: Signer, site: Site, fmt: str, path: str | Path,
    *, source: str | None = None, allow_images: bool = False,
) -> ImportReport:
    """One file, all or nothing; ``ImportFormatError`` when the file cannot be read."""
    sink = DatabaseImportSink(db, signer, allow_images=allow_images)
    return await import_file(fmt, path, sink, site, source=source)


async def _threads(db: Database, site_id: int) -> AsyncIterator[ImportedThread]:
    last = 0
    while True:
        async with db.read() as conn:
            rows = (await conn.execute(
                select(threads).where(threads.c.site_id == site_id, threads.c.id > last)
                .order_by(threads.c.id).limit(CHUNK)
            )).mappings().all()
        for r in rows:
            yield ImportedThread(key=str(r["id"]), uri=r["uri"], title=r["title"], url=r["url"],
                                 closed=bool(r["closed"]), created=utc(r["created"]))
        if len(rows) < CHUNK:
            return
        last = rows[-1]["id"]


async def _comments(db: Database, site_id: int) -> AsyncIterator[ImportedComment]:
    last = 0
    while True:
        async with db.read() as conn:
            rows = (await conn.execute(
                select(comments, authors.c.email.label("author_email"))
                .select_from(comments.join(threads, comments.c.thread_id == threads.c.id)
                             .outerjoin(authors, comments.c.author_id == authors.c.id))
                .where(threads.c.site_id == site_id, comments.c.id > last)
                .order_by(comments.c.id).limit(CHUNK)
            )).mappings().all()
        for r in rows:
            yield ImportedComment(
                key=str(r["id"]), thread_key=str(r["thread_id"]),
                parent_key=str(r["parent_id"]) if r["parent_id"] is not None else None,
                author_name=r["author_name"], author_email=r["author_email"],
                author_website=r["author_website"], author_ip=r["ip"], text=r["text"],
                text_format="markdown", created=utc(r["created"]),  # type: ignore[arg-type]
                state=CommentState(r["state"]), likes=int(r["likes"]),
                edited=utc(r["edited"]), pinned=bool(r["pinned"]),
            )
        if len(rows) < CHUNK:
            return
        last = rows[-1]["id"]


async def export_site(db: Database, site: Site, out: TextIO) -> tuple[int, int]:
    """Stream every thread and comment of ``site``; returns (threads, comments) written.

    Comments go out in id order, which puts every parent before its replies.
    """
    return await write_export_async(out, _threads(db, site.id), _comments(db, site.id),
                                    site=site)
