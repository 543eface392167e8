"""Profile the Rejoinder server with py-spy while one bench operation runs against it.

    .venv/bin/python bench/profile_server.py listing_100 [--seconds 8] [--backend sqlite]

Prints the functions with the most samples (inclusive, then exclusive); needs py-spy in the venv
and permission to trace the child process.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import rejoinder_side  # noqa: E402
from bench.compare_isso import CONCURRENCY, build_threads  # noqa: E402
from bench.loadgen import run_load, warm  # noqa: E402
from bench.scenarios import rejoinder_scenarios  # noqa: E402


def summarize(collapsed: Path, top: int, main_thread: bool = False) -> str:
    inclusive: Counter[str] = Counter()
    exclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if main_thread and not stack.startswith("<module> (uvicorn"):
            continue  # worker threads (database driver, classifiers) start elsewhere
        n = int(count)
        total += n
        frames = [f.split(" (")[0] + " (" + f.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1]
                  for f in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] += n
        exclusive[frames[-1]] += n
    out = [f"{total} samples", "", "inclusive:"]
    out += [f"  {100 * n / total:5.1f}%  {f}" for f, n in inclusive.most_common(top)]
    out += ["", "exclusive:"]
    out += [f"  {100 * n / total:5.1f}%  {f}" for f, n in exclusive.most_common(top)]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("operation", help="a scenario name, e.g. listing_100 or post")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY)
    parser.add_argument("--gil", action="store_true",
                        help="only samples of the thread holding the GIL (Python work)")
    parser.add_argument("--keep", help="also copy the raw collapsed stacks to this file")
    parser.add_argument("--main-thread", action="store_true",
                        help="only the event loop's samples (where requests queue)")
    args = parser.parse_args()
    scenario = {s.name: s for s in rejoinder_scenarios((10, 100, 1000))}[args.operation]
    with tempfile.TemporaryDirectory() as tmp, \
            rejoinder_side.database(args.backend, Path(tmp)) as url:
        asyncio.run(rejoinder_side.seed(url, build_threads((10, 100, 1000))))
        server = rejoinder_side.server(url, Path(tmp) / "server.log").start()
        try:
            asyncio.run(warm("127.0.0.1", server.port, scenario.flow, count=3))
            out = Path(tmp) / "profile.txt"
            assert server.proc is not None
            spy = subprocess.Popen([
                str(Path(sys.executable).parent / "py-spy"), "record", "--pid",
                str(server.proc.pid), "--duration", str(int(args.seconds)), "--format", "raw",
                "--rate", "200", "--output", str(out), "--nonblocking",
                *(["--gil"] if args.gil else []),
            ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            result = asyncio.run(run_load(
                "127.0.0.1", server.port, scenario.flow, concurrency=args.concurrency,
                duration=args.seconds, ok_statuses=scenario.ok,
            ))
            spy.wait(60)
            print(result.summary())
            print(summarize(out, args.top, args.main_thread))
            if args.keep:
                Path(args.keep).write_text(out.read_text())
        finally:
            server.stop()


if __name__ == "__main__":
    main()
