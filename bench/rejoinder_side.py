"""Rejoinder under benchmark: a fresh database seeded with the bench threads, served by uvicorn."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from bench.dataset import Spec
from bench.servers import Server, free_port
from rejoinder.domain.states import CommentState
from rejoinder.render import render
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.tokens import Signer, author_key, avatar_seed
from rejoinder.store import authors as author_store
from rejoinder.store import comments as comment_store
from rejoinder.store import threads as thread_store
from rejoinder.store.comments import NewCommentRow
from rejoinder.store.engine import Database
from rejoinder.store.migrate import upgrade

SITE = "bench"
ORIGIN = "https://bench.example.org"
SECRET = "bench-secret-key"
PG_ADMIN = os.environ.get("REJOINDER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
VENV_BIN = Path(sys.executable).parent


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    """A fresh database URL on ``backend`` (sqlite or postgres), dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'rejoinder-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    name = f"rejoinder_bench_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _pg_admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def seed(url: str, threads: dict[str, list[Spec]]) -> None:
    """Migrate, add the site and write every thread straight into the store."""
    db = Database(url)
    signer = Signer.from_secret(SECRET)
    try:
        await upgrade(db)
        # like Isso's `[guard] enabled = false`: many readers answering in one thread at once
        # must not meet the per-thread posting limit; everything else is the default pipeline
        site = await SiteDirectory(db).add(
            SITE, "Bench", [ORIGIN], {"post_per_thread": [1_000_000, 60]}
        )
        start = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
        for uri, specs in threads.items():
            async with db.write() as conn:
                thread = await thread_store.get_or_create_thread(
                    conn, site.id, uri, f"Article {uri}", ORIGIN + uri
                )
                authors: dict[str, int] = {}
                placed: dict[int, tuple[int, str]] = {}
                for spec in specs:
                    if spec.author not in authors:
                        authors[spec.author] = await author_store.upsert_author(
                            conn, site.id, author_key(signer, None, spec.author, "bench"),
                            spec.author, None, None,
                        )
                    parent = placed.get(spec.parent) if spec.parent is not None else None
                    comment_id, path = await comment_store.insert_comment(conn, NewCommentRow(
                        thread_id=thread.id,
                        parent_id=parent[0] if parent else None,
                        parent_path=parent[1] if parent else None,
                        reply_to_id=parent[0] if parent else None,
                        depth=spec.depth, author_id=authors[spec.author],
                        state=CommentState.PUBLISHED, text=spec.text, html=render(spec.text),
                        author_name=spec.author, author_website=None,
                        avatar=avatar_seed(signer, None, spec.author, "bench"), ip=None,
                        notify=False, created=start + timedelta(minutes=spec.minute),
                    ))
                    placed[spec.index] = (comment_id, path)
                await thread_store.bump_version(conn, thread.id)
    finally:
        await db.dispose()


def server(url: str, log: Path, extra_env: dict[str, str] | None = None) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "REJOINDER_DATABASE_URL": url,
        "REJOINDER_SECRET_KEY": SECRET,
        # many readers post from many addresses; the bench names them in X-Forwarded-For
        "REJOINDER_TRUST_PROXY_HEADERS": "true",
        "REJOINDER_LOG_LEVEL": "warning",
        **(extra_env or {}),
    }
    argv = [
        str(VENV_BIN / "uvicorn"), "rejoinder.asgi:app", "--host", "127.0.0.1",
        "--port", str(port), "--workers", "1", "--log-level", "warning", "--no-access-log",
    ]
    return Server(argv, port, env, log)
