"""Posting latency with the default pipeline (every signal and the on-server classifiers), on a
real server process, two ways:

- *closed loop*: N posters each send their next comment as soon as the last one is answered
  (1, 4 and 32 by default; compare_isso.py uses 32). This finds the ceiling in posts/s; past it,
  latency is the queue.
- *open loop*: comments arrive at a fixed average rate (Poisson), as independent readers post,
  and latency counts from when each was due. This answers "how fast is posting at this load".

    .venv/bin/python bench/bench_posting.py [--backend sqlite|postgres] [--duration 8]
        [--levels 1,4,32] [--rates 10,25,50] [--repeat 1]

A p99 of a few hundred posts moves a lot from run to run on a shared machine (a burst of
arrivals meeting a slow second decides it), so ``--repeat`` runs each rate again, each time
with other random arrivals, and the summary gives the spread and the p99 of all the runs'
posts together. Each row also says how much of
the machine's CPU time the hypervisor took away (steal) while it ran, and the report starts
with what a pause costs the encoder before and after the runs (``machine_probe``): on a shared
host that cost, more than steal, tells a quiet hour from a busy one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import rejoinder_side  # noqa: E402
from bench.loadgen import Flow, LoadResult, run_load, run_rate  # noqa: E402
from bench.machine_probe import probe_encoder  # noqa: E402
from bench.scenarios import rejoinder_post  # noqa: E402
from bench.servers import Server, machine_ticks, steal_percent  # noqa: E402

PHASE = 100_000  # readers per run


def measure(backend: str, duration: float, levels: list[int], rates: list[float],
            repeat: int = 1) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    folder = Path(tempfile.mkdtemp(prefix="rejoinder-post-"))
    with rejoinder_side.database(backend, folder) as url:
        asyncio.run(rejoinder_side.seed(url, {}))
        server = rejoinder_side.server(url, folder / "server.log").start()
        try:
            asyncio.run(_closed(server.port, 1, 1.0, rejoinder_post()))  # warm-up
            # every run posts new texts from new addresses (see rejoinder_post)
            flows = (rejoinder_post(PHASE * (i + 1))
                     for i in range(len(levels) + repeat * len(rates)))
            runs: list[tuple[dict[str, float], Callable[[Flow], Awaitable[LoadResult]]]] = [
                ({"posters": level}, partial(_closed, server.port, level, duration))
                for level in levels
            ] + [({"rate": rate}, partial(_open, server.port, rate, duration, 7 + k))
                 for k in range(repeat) for rate in rates]  # each repeat: other arrivals
            for (load, drive), flow in zip(runs, flows, strict=False):
                cpu, ticks = server.cpu_seconds(), machine_ticks()
                result = asyncio.run(drive(flow))
                rows.append({"backend": backend, **load, **result.summary(),
                             **_usage(server, cpu, result.ok),
                             "steal_pct": steal_percent(ticks, machine_ticks())})
                print(json.dumps(rows[-1]))
                rows[-1]["latencies"] = result.latencies
        finally:
            server.stop()
    return rows


async def _closed(port: int, posters: int, duration: float, flow: Flow) -> LoadResult:
    return await run_load("127.0.0.1", port, flow, concurrency=posters, duration=duration,
                          ok_statuses=(201,))


async def _open(port: int, rate: float, duration: float, seed: int, flow: Flow) -> LoadResult:
    return await run_rate("127.0.0.1", port, flow, rate=rate, duration=duration,
                          ok_statuses=(201,), seed=seed)


def pooled_percentile(runs: list[list[float]], q: float) -> float:
    """The q-quantile, in ms, of every latency of the runs together. A p99 of one run of 500
    posts is its 5th-slowest post; over several runs it rests on that many more."""
    ordered = sorted(x for run in runs for x in run)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _usage(server: Server, cpu_before: float, posts: int) -> dict[str, float]:
    """Server CPU per post is steadier than p99 from run to run: it shows a change's cost."""
    cpu_ms = 1000 * (server.cpu_seconds() - cpu_before) / max(posts, 1)
    return {"server_cpu_ms_per_post": round(cpu_ms, 1), "rss_mb": server.rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--levels", default="1,4,32", help="closed loop: posters at once")
    parser.add_argument("--rates", default="10,25,50", help="open loop: posts per second")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each rate")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",") if n]
    rates = [float(n) for n in args.rates.split(",") if n]
    before = probe_encoder()
    rows = measure(args.backend, args.duration, levels, rates, max(1, args.repeat))
    after = probe_encoder()
    print(f"\nmachine before the runs: {before.summary()}; after: {after.summary()}")
    print(f"\n{args.backend}\n\n| load | posts/s | p50 ms | p99 ms | server CPU ms/post "
          "| steal % |\n| --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        load = (f"{row['posters']} posters at once" if "posters" in row
                else f"{row['rate']:g} posts/s arriving")
        print(f"| {load} | {row['rps']} | {row.get('p50_ms')} | {row.get('p99_ms')} "
              f"| {row['server_cpu_ms_per_post']} | {row['steal_pct']} |")
    if args.repeat > 1:
        print("\n| arriving | runs | p99 ms: min | median | max | runs under 100 ms "
              "| posts | p99 of all, ms | steal %: max |\n"
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for rate in rates:
            runs = [r for r in rows if r.get("rate") == rate]
            p99s = sorted(float(str(r["p99_ms"])) for r in runs)
            steal = max(float(str(r["steal_pct"])) for r in runs)
            pooled = pooled_percentile([r["latencies"] for r in runs], 0.99)  # type: ignore[misc]
            print(f"| {rate:g}/s | {len(p99s)} | {p99s[0]} | {statistics.median(p99s):.1f} "
                  f"| {p99s[-1]} | {sum(1 for p in p99s if p < 100)} "
                  f"| {sum(len(r['latencies']) for r in runs)} | {pooled:.1f} | {steal} |")


if __name__ == "__main__":
    main()
