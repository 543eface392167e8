"""Rejoinder and Isso side by side on identical data, under the same load, on loopback.

    .venv/bin/python bench/compare_isso.py [--quick] [--backend sqlite|postgres|both]

Installs Isso from PyPI into bench/.isso-venv the first time, writes the same threads
(10 … 10,000 comments) into both, measures each operation at 32 connections (and posting also
at a steady arrival rate) and writes
bench/results/<timestamp>.json and the results block of docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import isso_side, rejoinder_side, report  # noqa: E402
from bench.dataset import QUICK_SIZES, SIZES, Spec, thread  # noqa: E402
from bench.loadgen import run_load, run_rate, warm  # noqa: E402
from bench.scenarios import (  # noqa: E402
    COUNT_URIS,
    PACED_SECONDS,
    POST_URI,
    Scenario,
    isso_scenarios,
    rejoinder_scenarios,
    thread_uri,
)
from bench.servers import Server, machine_ticks, steal_percent  # noqa: E402

CONCURRENCY = 32


def build_threads(sizes: tuple[int, ...]) -> dict[str, list[Spec]]:
    threads = {thread_uri(size): thread(size) for size in sizes}
    threads[POST_URI] = thread(1)
    for i, uri in enumerate(COUNT_URIS):
        if uri not in threads and i % 7:
            threads[uri] = thread(i % 7, seed=i)
    return threads


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform()}


async def measure_one(server: Server, scenario: Scenario, duration: float) -> dict[str, Any]:
    """One operation under load. When a single request alone is too slow for 32 of them to
    finish inside the run, the load is not applied: the single-request time is reported and
    1/that time is recorded as an upper bound of the throughput (the work is CPU-bound in one
    process, so concurrency cannot beat it by much)."""
    budget = (duration + scenario.drain) / CONCURRENCY
    idle_ms = 0.0
    for _ in range(2):  # the first request may pay for a cold start (models, snapshots)
        t0 = time.perf_counter()
        await warm("127.0.0.1", server.port, scenario.flow, count=1)
        idle_ms = (time.perf_counter() - t0) * 1000
        if idle_ms / 1000 <= budget:
            break
    if idle_ms / 1000 > budget:
        return {"skipped": True, "ok": 0, "flows": 1, "unfinished": 0, "elapsed_s": 0,
                "rps": round(1000 / idle_ms, 2), "rps_is_upper_bound": True, "p50_ms": None,
                "p99_ms": None, "statuses": {}, "idle_ms": round(idle_ms, 2),
                "rss_mb": server.rss_mb()}
    await warm("127.0.0.1", server.port, scenario.flow, count=1)
    if scenario.rate is not None:
        paced = await run_rate(
            "127.0.0.1", server.port, scenario.flow, rate=scenario.rate,
            duration=max(duration, scenario.min_seconds),
            drain=scenario.drain, ok_statuses=scenario.ok,
        )
        return {**paced.summary(), "rate": scenario.rate, "idle_ms": round(idle_ms, 2),
                "rss_mb": server.rss_mb()}
    load = await run_load(
        "127.0.0.1", server.port, scenario.flow, concurrency=CONCURRENCY,
        duration=duration, drain=scenario.drain, ok_statuses=scenario.ok,
    )
    return {**load.summary(), "idle_ms": round(idle_ms, 2), "rss_mb": server.rss_mb()}


def measure(server: Server, scenarios: list[Scenario], duration: float) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for scenario in scenarios:
        ticks = machine_ticks()
        summary = asyncio.run(measure_one(server, scenario, duration))
        summary["steal_pct"] = steal_percent(ticks, machine_ticks())
        results[scenario.name] = summary
        print(f"  {scenario.name:>14}: {summary['rps']:>9,.1f} req/s  p50 {summary['p50_ms']} ms"
              f"  p99 {summary['p99_ms']} ms  idle {summary['idle_ms']} ms  "
              f"rss {summary['rss_mb']} MB  steal {summary['steal_pct']}%  {summary['statuses']}"
              + ("  (not loaded: too slow)" if summary.get("skipped") else ""), flush=True)
        if summary["unfinished"]:
            # abandoned requests keep the server busy; start afresh for the next operation
            server.stop()
            server.start()
    return results


def run_server(server: Server, scenarios: list[Scenario], duration: float) -> dict[str, Any]:
    server.start()
    try:
        start_rss = server.rss_mb()
        measured = measure(server, scenarios, duration)
        return {"scenarios": measured, "rss_start_mb": start_rss, "rss_mb": server.rss_mb(),
                "peak_rss_mb": server.rss_mb(peak=True)}
    finally:
        server.stop()


def run_rejoinder(backend: str, threads: dict[str, list[Spec]], sizes: tuple[int, ...],
                  folder: Path, duration: float, paced_seconds: float) -> dict[str, Any]:
    with rejoinder_side.database(backend, folder) as url:
        t0 = time.perf_counter()
        asyncio.run(rejoinder_side.seed(url, threads))
        print(f"rejoinder-{backend}: seeded in {time.perf_counter() - t0:.1f}s", flush=True)
        server = rejoinder_side.server(url, folder / f"rejoinder-{backend}.log")
        return run_server(server, rejoinder_scenarios(sizes, paced_seconds), duration)


def run_isso(threads: dict[str, list[Spec]], sizes: tuple[int, ...], folder: Path,
             duration: float, kind: str, paced_seconds: float) -> dict[str, Any]:
    cfg, port = isso_side.configure(folder, rejoinder_side.ORIGIN)
    isso_side.seed(folder / "isso.db", threads)
    print("isso: seeded", flush=True)
    server = isso_side.server(cfg, port, folder / "isso.log", kind)
    return run_server(server, isso_scenarios(sizes, paced_seconds), duration)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="10- and 100-comment threads, 2-second bursts (CI smoke run)")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--duration", type=float, help="seconds of load per operation")
    parser.add_argument("--isso-server", choices=("isso", "gunicorn"), default="isso")
    parser.add_argument("--results-dir", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "performance.md",
                        help="markdown file whose results block is rewritten")
    parser.add_argument("--no-docs", action="store_true", help="only write the JSON file")
    args = parser.parse_args(argv)

    sizes = QUICK_SIZES if args.quick else SIZES
    duration = args.duration or (2.0 if args.quick else 5.0)
    paced_seconds = 0.0 if args.quick else PACED_SECONDS
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    command = ".venv/bin/python bench/compare_isso.py " + shlex.join(argv or sys.argv[1:])
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    isso_version = isso_side.ensure_isso()
    threads = build_threads(sizes)
    results: dict[str, Any] = {
        "started": started, "command": command.strip(), "machine": machine(),
        "isso_version": isso_version,
        "isso_server": ("`isso run` (werkzeug threaded server)" if args.isso_server == "isso"
                        else "gunicorn, 1 gthread worker × 8 threads"),
        "concurrency": CONCURRENCY, "duration": duration, "sizes": list(sizes), "targets": {},
    }
    with tempfile.TemporaryDirectory(prefix="rejoinder-bench-") as tmp:
        folder = Path(tmp)
        for backend in backends:
            results["targets"][f"rejoinder-{backend}"] = run_rejoinder(
                backend, threads, sizes, folder, duration, paced_seconds)
        results["targets"]["isso"] = run_isso(threads, sizes, folder, duration,
                                              args.isso_server, paced_seconds)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S") + ("-quick" if args.quick else "")
    json_path = args.results_dir / f"{stamp}.json"
    try:
        results["json_path"] = str(json_path.relative_to(ROOT))
    except ValueError:
        results["json_path"] = str(json_path)
    json_path.write_text(json.dumps(results, indent=2) + "\n")
    generated = report.render(results)
    if not args.no_docs:
        existing = args.docs.read_text() if args.docs.exists() else "# Performance\n"
        args.docs.write_text(report.splice(existing, generated))
    print(generated)
    return results


if __name__ == "__main__":
    main()
