"""Posting latency at different numbers of simultaneous posters, with the default pipeline
(every signal and the on-server classifiers), on a real server process.

    .venv/bin/python bench/bench_posting.py [--backend sqlite|postgres] [--duration 8]

The comparison run (compare_isso.py) posts from 32 connections at once, which saturates two
cores; this shows what a single poster, a few, and that saturation cost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import rejoinder_side  # noqa: E402
from bench.loadgen import run_load  # noqa: E402
from bench.scenarios import rejoinder_post  # noqa: E402


def measure(backend: str, duration: float, levels: list[int]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    folder = Path(tempfile.mkdtemp(prefix="rejoinder-post-"))
    with rejoinder_side.database(backend, folder) as url:
        asyncio.run(rejoinder_side.seed(url, {}))
        server = rejoinder_side.server(url, folder / "server.log").start()
        try:
            flow = rejoinder_post()
            asyncio.run(run_load("127.0.0.1", server.port, flow, concurrency=1, duration=1.0,
                                 ok_statuses=(201,)))  # warm-up
            for level in levels:
                result = asyncio.run(run_load(
                    "127.0.0.1", server.port, flow, concurrency=level, duration=duration,
                    ok_statuses=(201,),
                ))
                summary = result.summary()
                rows.append({"backend": backend, "posters": level, **summary,
                             "rss_mb": server.rss_mb()})
                print(json.dumps(rows[-1]))
        finally:
            server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--levels", default="1,4,32")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    rows = measure(args.backend, args.duration, levels)
    print("\n| posters | posts/s | p50 ms | p99 ms |\n| ---: | ---: | ---: | ---: |")
    for row in rows:
        print(f"| {row['posters']} | {row['rps']} | {row.get('p50_ms')} | {row.get('p99_ms')} |")


if __name__ == "__main__":
    main()
