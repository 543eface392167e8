"""Import benchmark: a synthetic Disqus export through the import runner.

    .venv/bin/python bench/bench_import.py [--comments 100000] [--sink memory|null]

The file is generated first, then imported in a fresh subprocess so that its peak resident
memory (ru_maxrss) belongs to the import alone. ``memory`` keeps every comment (the in-memory
sink used by the tests); ``null`` assigns ids and drops rows, measuring the pipeline itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from rejoinder.domain.site import Site
from rejoinder.importers.memory import MemorySink
from rejoinder.importers.records import ImportedThread
from rejoinder.importers.runner import import_file
from rejoinder.importers.sink import CommentRow, ThreadResult
from rejoinder.importers.synthetic import write_synthetic_disqus

LIMIT_MB = 300


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


def child(path: str, sink_name: str) -> None:
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sink = MemorySink() if sink_name == "memory" else NullSink()
    started = time.perf_counter()
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--sink", choices=["memory", "null"], default="memory")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.sink)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "disqus.xml"
        started = time.perf_counter()
        write_synthetic_disqus(path, args.comments)
        size_mb = path.stat().st_size / 2**20
        print(f"generated {args.comments} comments, {size_mb:.1f} MB "
              f"in {time.perf_counter() - started:.1f}s")
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(path), "--sink", args.sink],
            check=True, capture_output=True, text=True)
    result = json.loads(out.stdout)
    result["file_mb"] = round(size_mb, 1)
    result["sink"] = args.sink
    print(json.dumps(result, indent=2))
    ok = result["peak_rss_mb"] < LIMIT_MB and result["comments"] == args.comments
    print(f"peak {result['peak_rss_mb']} MB (limit {LIMIT_MB} MB): {'ok' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
