"""Abuse under load: one client floods posts while another keeps reading the thread.

A real server process (uvicorn, one worker) on a fresh SQLite or PostgreSQL database, with the
site's default rate limits. The flooder posts from one address as fast as its connections allow;
the reader, from another address, fetches the thread listing in a loop until the flood ends.
The server sees every connection as 127.0.0.1, so both name themselves in ``X-Forwarded-For``
(the server runs with ``REJOINDER_TRUST_PROXY_HEADERS=true``).

Afterwards the database is read back: every post acknowledged with 201 must be stored exactly
once with its text, and no flood post may be stored that was not acknowledged.

    .venv/bin/python bench/bench_abuse.py          # 5,000 and 2,000 posts, both backends
    .venv/bin/python bench/bench_abuse.py --posts 2000 --backends sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from bench import rejoinder_side
from bench.dataset import thread
from bench.loadgen import Connection
from rejoinder.moderation.settings import ModerationSettings
from rejoinder.services.sites import SiteDirectory
from rejoinder.store import tables
from rejoinder.store.engine import Database

URI = "/articles/under-attack"
FLOODER_IP = "203.0.113.66"
READER_IP = "198.51.100.7"
THREAD_SIZE = 100
DEFAULTS = ModerationSettings()


@dataclass
class AbuseRun:
    backend: str
    posts: int
    flood_connections: int
    readers: int
    flood_seconds: float = 0.0
    flood_statuses: Counter[str] = field(default_factory=Counter)
    acknowledged: dict[int, str] = field(default_factory=dict)
    missing_retry_after: int = 0
    reader_statuses: Counter[str] = field(default_factory=Counter)
    reader_latencies: list[float] = field(default_factory=list)
    baseline_statuses: Counter[str] = field(default_factory=Counter)
    baseline_latencies: list[float] = field(default_factory=list)
    lost: list[int] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    unacknowledged: list[int] = field(default_factory=list)

    @property
    def allowed_at_most(self) -> int:
        """What the per-IP rule (a GCRA bucket) can let through in the flood's duration."""
        rule = DEFAULTS.post_per_ip
        return rule.limit + math.ceil(self.flood_seconds / (rule.window_seconds / rule.limit))

    @property
    def reader_errors(self) -> int:
        statuses = self.reader_statuses + self.baseline_statuses
        return sum(n for status, n in statuses.items() if status != "200")

    def summary(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "posts": self.posts,
            "flood_connections": self.flood_connections,
            "flood_seconds": round(self.flood_seconds, 2),
            "flood_posts_per_s": round(sum(self.flood_statuses.values()) / self.flood_seconds, 1)
            if self.flood_seconds else None,
            "flood_statuses": dict(self.flood_statuses),
            "accepted": len(self.acknowledged),
            "allowed_at_most": self.allowed_at_most,
            "missing_retry_after": self.missing_retry_after,
            "reads": len(self.reader_latencies),
            "reader_statuses": dict(self.reader_statuses),
            "reader_p50_ms": ms(percentile(self.reader_latencies, 0.50)),
            "reader_p99_ms": ms(percentile(self.reader_latencies, 0.99)),
            "reader_max_ms": ms(max(self.reader_latencies, default=None)),
            "baseline_reads": len(self.baseline_latencies),
            "baseline_p50_ms": ms(percentile(self.baseline_latencies, 0.50)),
            "baseline_p99_ms": ms(percentile(self.baseline_latencies, 0.99)),
            "lost": len(self.lost),
            "duplicated": len(self.duplicated),
            "unacknowledged": len(self.unacknowledged),
        }


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(value: float | None) -> float | None:
    return round(value * 1000, 2) if value is not None else None


async def prepare(url: str) -> None:
    """The bench site with one 100-comment thread, then every limit back to its default."""
    await rejoinder_side.seed(url, {URI: thread(THREAD_SIZE)})
    db = Database(url)
    try:
        defaults = DEFAULTS.to_mapping()
        await SiteDirectory(db).update(rejoinder_side.SITE, settings={
            key: defaults[key] for key in ("post_per_ip", "post_per_author", "post_per_thread")
        })
    finally:
        await db.dispose()


def flood_body(marker: str, n: int) -> bytes:
    return json.dumps({
        "site": rejoinder_side.SITE, "uri": URI, "name": f"Bot {n}",
        "text": f"{marker} {n}: cheap watches, best prices, click now",
        "loaded_at": time.time() - 30,
    }).encode()


async def flood(port: int, run: AbuseRun, marker: str, deadline: float) -> None:
    headers = {"Content-Type": "application/json", "Origin": rejoinder_side.ORIGIN,
               "X-Forwarded-For": FLOODER_IP}
    counter = iter(range(run.posts))

    async def worker() -> None:
        conn = Connection("127.0.0.1", port)
        try:
            while time.perf_counter() < deadline and (n := next(counter, None)) is not None:
                try:
                    reply = await conn.request("POST", "/api/v1/comments",
                                               flood_body(marker, n), headers)
                except (ConnectionError, OSError, asyncio.IncompleteReadError) as exc:
                    run.flood_statuses[type(exc).__name__] += 1
                    await conn.close()
                    continue
                run.flood_statuses[str(reply.status)] += 1
                if reply.status == 201:
                    comment = json.loads(reply.body)["comment"]
                    run.acknowledged[comment["id"]] = f"{marker} {n}"
                elif reply.status == 429 and not reply.headers.get("retry-after", "").isdigit():
                    run.missing_retry_after += 1
        finally:
            await conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(run.flood_connections)))
    run.flood_seconds = time.perf_counter() - started


async def read(port: int, readers: int, statuses: Counter[str], latencies: list[float],
               stop: asyncio.Event) -> None:
    path = f"/api/v1/comments?site={rejoinder_side.SITE}&uri={URI}"
    headers = {"Accept": "application/json", "X-Forwarded-For": READER_IP}

    async def worker() -> None:
        conn = Connection("127.0.0.1", port)
        try:
            while not stop.is_set():
                t0 = time.perf_counter()
                try:
                    reply = await conn.request("GET", path, None, headers)
                except (ConnectionError, OSError, asyncio.IncompleteReadError) as exc:
                    statuses[type(exc).__name__] += 1
                    await conn.close()
                    continue
                latencies.append(time.perf_counter() - t0)
                statuses[str(reply.status)] += 1
        finally:
            await conn.close()

    await asyncio.gather(*(worker() for _ in range(readers)))


async def drive(port: int, run: AbuseRun, marker: str, max_seconds: float,
                baseline_seconds: float) -> None:
    warm = Connection("127.0.0.1", port)
    try:  # the first listings fill the page cache; they are not measured
        for _ in range(20):
            await warm.request("GET", f"/api/v1/comments?site={rejoinder_side.SITE}&uri={URI}")
    finally:
        await warm.close()
    if baseline_seconds > 0:
        alone = asyncio.Event()
        reading = asyncio.create_task(
            read(port, run.readers, run.baseline_statuses, run.baseline_latencies, alone)
        )
        await asyncio.sleep(baseline_seconds)
        alone.set()
        await reading
    stop = asyncio.Event()
    reading = asyncio.create_task(
        read(port, run.readers, run.reader_statuses, run.reader_latencies, stop)
    )
    await asyncio.sleep(0.05)  # the reader is in the loop before the first post
    try:
        await flood(port, run, marker, time.perf_counter() + max_seconds)
    finally:
        stop.set()
        await reading


async def stored_flood(url: str, marker: str) -> list[tuple[int, str]]:
    db = Database(url)
    c = tables.comments.c
    try:
        async with db.read() as conn:
            rows = await conn.execute(select(c.id, c.text).where(c.text.like(f"{marker} %")))
            return [(row.id, row.text) for row in rows]
    finally:
        await db.dispose()


def reconcile(run: AbuseRun, stored: list[tuple[int, str]]) -> None:
    """Acknowledged posts against the database: lost, duplicated, stored without a 201."""
    by_text = Counter(text.split(":", 1)[0] for _, text in stored)
    run.duplicated = sorted(text for text, n in by_text.items() if n > 1)
    stored_ids = {comment_id: text.split(":", 1)[0] for comment_id, text in stored}
    run.lost = sorted(i for i, head in run.acknowledged.items() if stored_ids.get(i) != head)
    run.unacknowledged = sorted(i for i in stored_ids if i not in run.acknowledged)


def run_abuse(backend: str, folder: Path, *, posts: int, flood_connections: int = 8,
              readers: int = 2, max_seconds: float = 60.0,
              baseline_seconds: float = 0.0) -> AbuseRun:
    """One full scenario on a fresh database and server process; returns what was measured."""
    run = AbuseRun(backend, posts, flood_connections, readers)
    marker = f"Flood-{uuid.uuid4().hex[:8]}"
    with rejoinder_side.database(backend, folder) as url:
        asyncio.run(prepare(url))
        server = rejoinder_side.server(url, folder / f"abuse-{backend}.log").start(timeout=60)
        try:
            asyncio.run(drive(server.port, run, marker, max_seconds, baseline_seconds))
        finally:
            server.stop()
        reconcile(run, asyncio.run(stored_flood(url, marker)))
    return run


def table(runs: list[AbuseRun]) -> str:
    head = ("| backend | posts | flood s | 201 | 429 | other | allowed ≤ | reads | reader p50 ms "
            "| reader p99 ms | reader max ms | alone p99 ms | lost / dup / unacked |")
    lines = [head, "| " + " | ".join("---" for _ in range(head.count("|") - 1)) + " |"]
    for run in runs:
        s = run.summary()
        statuses = run.flood_statuses
        other = sum(n for k, n in statuses.items() if k not in ("201", "429"))
        lines.append(
            f"| {run.backend} | {run.posts:,} | {s['flood_seconds']} | {statuses['201']} "
            f"| {statuses['429']:,} | {other} | {s['allowed_at_most']} | {s['reads']:,} "
            f"| {s['reader_p50_ms']} | {s['reader_p99_ms']} | {s['reader_max_ms']} "
            f"| {s['baseline_p99_ms']} "
            f"| {s['lost']} / {s['duplicated']} / {s['unacknowledged']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[5000, 2000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"],
                        choices=["sqlite", "postgres"])
    parser.add_argument("--flood-connections", type=int, default=8)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--baseline-seconds", type=float, default=3.0)
    parser.add_argument("--json", type=Path, help="also write the summaries here")
    args = parser.parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory(prefix="rejoinder-abuse-") as tmp:
        for backend in args.backends:
            for posts in args.posts:
                run = run_abuse(backend, Path(tmp), posts=posts,
                                flood_connections=args.flood_connections, readers=args.readers,
                                max_seconds=300.0, baseline_seconds=args.baseline_seconds)
                print(json.dumps(run.summary()), flush=True)
                runs.append(run)
    print(table(runs))
    if args.json:
        args.json.write_text(json.dumps([r.summary() for r in runs], indent=2))
    bad = [r for r in runs if r.lost or r.duplicated or r.unacknowledged or r.reader_errors
           or len(r.acknowledged) > r.allowed_at_most or r.missing_retry_after]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
