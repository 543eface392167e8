"""Import benchmark: a synthetic Disqus export through the import runner.

    .venv/bin/python bench/bench_import.py [--comments 100000] [--sink memory|null|sqlite|postgres]

The file is generated first, then imported in a fresh subprocess so that its peak resident
memory (ru_maxrss) belongs to the import alone. ``memory`` keeps every comment (the in-memory
sink used by the tests); ``null`` assigns ids and drops rows, measuring the pipeline itself.
``sqlite`` and ``postgres`` import into a freshly migrated database through
``import_into_site`` (the SQL sink, one transaction for the whole file); ``postgres`` creates
and drops a scratch database on the server named by ``--pg`` (default: $REJOINDER_TEST_PG).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import func, select

from rejoinder.domain.site import Site
from rejoinder.importers.errors import ImportFormatError
from rejoinder.importers.memory import MemorySink
from rejoinder.importers.records import ImportedThread
from rejoinder.importers.report import ImportReport
from rejoinder.importers.runner import import_file
from rejoinder.importers.sink import CommentRow, ThreadResult
from rejoinder.importers.synthetic import write_synthetic_disqus
from rejoinder.services.exporting import import_into_site
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.tokens import Signer
from rejoinder.store.engine import Database
from rejoinder.store.migrate import upgrade_sync
from rejoinder.store.tables import comments

LIMIT_MB = 300
SQL_SINKS = ("sqlite", "postgres")
PG_DSN = os.environ.get("REJOINDER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


class NullSink:
    def __init__(self) -> None:
        self.next_id = 1

    async def existing_keys(self, site_id: int, source: str) -> dict[str, int]:
        return {}

    @asynccontextmanager
    async def transaction(self, site_id: int, source: str) -> AsyncIterator[NullSink]:
        yield self

    async def write_threads(self, threads: Sequence[ImportedThread]) -> list[ThreadResult]:
        return [ThreadResult(i, True) for i in range(len(threads))]

    async def write_batch(self, rows: Sequence[CommentRow]) -> list[int]:
        start, self.next_id = self.next_id, self.next_id + len(rows)
        return list(range(start, self.next_id))


async def import_into_database(path: str, url: str) -> ImportReport:
    db = Database(url)
    try:
        site = await SiteDirectory(db).add("bench", "Bench", ["https://bench.example.org"])
        report = await import_into_site(db, Signer.from_secret("bench-secret"), site, "disqus",
                                        path)
        async with db.read() as conn:  # the rows are really there
            stored = (await conn.execute(select(func.count()).select_from(comments))).scalar()
        if stored != report.comments_imported:
            raise ImportFormatError(f"{stored} rows stored, {report.comments_imported} reported")
        return report
    finally:
        await db.dispose()


def child(path: str, sink_name: str, url: str | None) -> None:
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    if url is not None:
        report = asyncio.run(import_into_database(path, url))
    else:
        sink = MemorySink() if sink_name == "memory" else NullSink()
        report = asyncio.run(import_file("disqus", path, sink, Site(1, "bench", "Bench", [])))
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "comments": report.comments_imported,
        "skipped": len(report.skipped),
        "seconds": round(elapsed, 2),
        "per_second": round(report.comments_imported / elapsed),
        "peak_rss_mb": round(peak / 1024, 1),
        "baseline_rss_mb": round(baseline / 1024, 1),
    }))


def _pg_admin(dsn: str, sql: str) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


def run_child(path: Path, sink: str, tmp: str, pg: str) -> subprocess.CompletedProcess[str]:
    """Migrate a scratch database when the sink needs one, then import in a subprocess."""
    command = [sys.executable, __file__, "--child", str(path), "--sink", sink]
    if sink == "sqlite":
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade_sync(url)
        return subprocess.run([*command, "--url", url], check=True, capture_output=True,
                              text=True)
    if sink == "postgres":
        name = f"rejoinder_bench_{uuid.uuid4().hex[:12]}"
        _pg_admin(pg, f'CREATE DATABASE "{name}"')
        try:
            url = f"{pg.rsplit('/', 1)[0]}/{name}"
            upgrade_sync(url)
            return subprocess.run([*command, "--url", url], check=True, capture_output=True,
                                  text=True)
        finally:
            _pg_admin(pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return subprocess.run(command, check=True, capture_output=True, text=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--sink", choices=["memory", "null", *SQL_SINKS], default="memory")
    parser.add_argument("--pg", default=PG_DSN, help="server for --sink postgres")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.sink, args.url)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "disqus.xml"
        started = time.perf_counter()
        write_synthetic_disqus(path, args.comments)
        size_mb = path.stat().st_size / 2**20
        print(f"generated {args.comments} comments, {size_mb:.1f} MB "
              f"in {time.perf_counter() - started:.1f}s")
        out = run_child(path, args.sink, tmp, args.pg)
    result = json.loads(out.stdout)
    result["file_mb"] = round(size_mb, 1)
    result["sink"] = args.sink
    print(json.dumps(result, indent=2))
    ok = result["peak_rss_mb"] < LIMIT_MB and result["comments"] == args.comments
    print(f"peak {result['peak_rss_mb']} MB (limit {LIMIT_MB} MB): {'ok' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
