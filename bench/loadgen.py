"""A bounded HTTP/1.1 load generator on raw asyncio streams (keep-alive, no client library).

``run_load`` keeps ``concurrency`` connections busy for ``duration`` seconds (or until
``max_flows`` flows have started), then waits at most ``drain`` seconds for the flows still in
flight and abandons the rest. A *flow* is one logical operation: usually one request, sometimes
several (paging through a thread), and its latency is measured end to end.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


class Connection:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None

    async def request(
        self, method: str, path: str, body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        for attempt in (1, 2):
            reader, writer = await self._open()
            lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
            for name, value in (headers or {}).items():
                lines.append(f"{name}: {value}")
            if body is not None:
                lines.append(f"Content-Length: {len(body)}")
            head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
            try:
                writer.write(head + (body or b""))
                await writer.drain()
                return await self._read(reader)
            except (ConnectionError, asyncio.IncompleteReadError, OSError):
                await self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _read(self, reader: asyncio.StreamReader) -> Reply:
        raw = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = raw.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunks.append(await reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(c[:-2] for c in chunks)
        elif status in (204, 304):
            body = b""
        else:
            body = await reader.read()
            await self.close()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Reply(status, headers, body)


Flow = Callable[[Connection, int], Awaitable[int]]
"""Runs the n-th operation on a connection and returns the HTTP status that decides success."""


@dataclass(slots=True)
class LoadResult:
    flows: int = 0
    ok: int = 0
    elapsed: float = 0.0
    unfinished: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def percentile(self, q: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    async def attempt(self, conn: Connection, flow: Flow, n: int, since: float,
                      ok_statuses: tuple[int, ...]) -> float | None:
        """Run the n-th flow and record it; the time it ended, or None if the connection
        failed (it is closed then)."""
        self.flows += 1
        try:
            status = await flow(conn, n)
        except (ConnectionError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            self.statuses[type(exc).__name__] += 1
            await conn.close()
            return None
        finished = time.perf_counter()
        self.statuses[str(status)] += 1
        if status in ok_statuses:
            self.ok += 1
            self.latencies.append(finished - since)
        return finished

    def summary(self) -> dict[str, object]:
        p50, p99 = self.percentile(0.50), self.percentile(0.99)
        return {
            "ok": self.ok,
            "flows": self.flows,
            "unfinished": self.unfinished,
            "elapsed_s": round(self.elapsed, 3),
            "rps": round(self.rps, 1),
            "p50_ms": round(p50 * 1000, 2) if p50 is not None else None,
            "p99_ms": round(p99 * 1000, 2) if p99 is not None else None,
            "statuses": dict(self.statuses),
        }


async def run_load(
    host: str, port: int, flow: Flow, *, concurrency: int, duration: float,
    max_flows: int = 1_000_000, drain: float = 10.0, ok_statuses: tuple[int, ...] = (200,),
) -> LoadResult:
    result = LoadResult()
    started = time.perf_counter()
    deadline = started + duration
    counter = iter(range(max_flows))
    done_at = [started]

    async def worker() -> None:
        conn = Connection(host, port)
        try:
            while time.perf_counter() < deadline:
                n = next(counter, None)
                if n is None:
                    break
                finished = await result.attempt(conn, flow, n, time.perf_counter(), ok_statuses)
                done_at[0] = max(done_at[0], finished or 0.0)
        finally:
            await conn.close()

    tasks = [asyncio.create_task(worker()) for _ in range(concurrency)]
    _done, pending = await asyncio.wait(tasks, timeout=duration + drain)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    result.unfinished = len(pending)
    result.elapsed = max(done_at[0], deadline if pending else done_at[0]) - started
    return result


async def run_rate(
    host: str, port: int, flow: Flow, *, rate: float, duration: float, drain: float = 10.0,
    ok_statuses: tuple[int, ...] = (200,), seed: int = 7,
) -> LoadResult:
    """Open-loop load: operations *arrive* at ``rate`` per second (Poisson), whether or not
    earlier ones have finished, the way readers post independently of each other.

    Latency runs from the moment an operation was due, so a server that falls behind is charged
    for the queue it builds (no coordinated omission). Idle connections are reused; a new one is
    opened when all are busy.
    """
    import random

    result = LoadResult()
    arrivals = random.Random(seed)
    idle: list[Connection] = []
    opened: list[Connection] = []
    tasks: set[asyncio.Task[None]] = set()
    started = time.perf_counter()
    done_at = [started]

    async def one(n: int, due: float) -> None:
        conn = idle.pop() if idle else Connection(host, port)
        if conn not in opened:
            opened.append(conn)
        finished = await result.attempt(conn, flow, n, due, ok_statuses)
        if finished is not None:
            done_at[0] = max(done_at[0], finished)
            idle.append(conn)

    due, n = started, 0
    while due < started + duration:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        task = asyncio.create_task(one(n, due))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        n += 1
        due += arrivals.expovariate(rate)
    if tasks:
        _done, pending = await asyncio.wait(set(tasks), timeout=drain)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        result.unfinished = len(pending)
    for conn in opened:
        await conn.close()
    result.elapsed = done_at[0] - started
    return result


async def warm(host: str, port: int, flow: Flow, count: int = 3) -> None:
    conn = Connection(host, port)
    try:
        for n in range(count):
            await flow(conn, n)
    finally:
        await conn.close()
