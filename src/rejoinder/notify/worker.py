"""Deliver due outbox rows: claim, send, then mark sent or schedule a retry with backoff."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx

from rejoinder.notify import email, webhook
from rejoinder.notify.config import NotifyConfig
from rejoinder.store import outbox as outbox_store
from rejoinder.store.engine import Database
from rejoinder.store.outbox import OutboxRow
from rejoinder.store.rows import now

log = logging.getLogger("rejoinder.notify")

BACKOFF_BASE_SECONDS = 30.0
BACKOFF_MAX_SECONDS = 6 * 3600.0


def backoff(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds until the next try after ``attempts`` failures: doubling, capped, jittered ±50%."""
    delay = min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)
    return delay * (0.5 + (rng or random).random())


@dataclass(slots=True)
class RunStats:
    claimed: int = 0
    sent: int = 0
    failed: int = 0


class OutboxWorker:
    def __init__(
        self,
        db: Database,
        cfg: NotifyConfig,
        *,
        http: httpx.AsyncClient | None = None,
        batch_size: int = 20,
        lease_seconds: float | None = None,
    ) -> None:
        self.db = db
        self.cfg = cfg
        self._own_http = http is None
        self.http = http or httpx.AsyncClient(timeout=cfg.webhook_timeout,
                                              follow_redirects=False)
        self.batch_size = batch_size
        # longer than any single send can take, so a live worker never loses its claim
        self.lease_seconds = lease_seconds or max(cfg.smtp_timeout, cfg.webhook_timeout) * 6
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._wake = asyncio.Event()

    async def run_once(self) -> RunStats:
        """Deliver every row due now, a batch at a time."""
        stats = RunStats()
        kinds = ("email", "webhook") if self.cfg.email_enabled else ("webhook",)
        async with self.db.read() as conn:
            if not await outbox_store.any_due(conn, max_attempts=self.cfg.notify_max_attempts,
                                              kinds=kinds):
                return stats
        while True:
            async with self.db.write() as conn:
                rows = await outbox_store.claim_due(
                    conn, limit=self.batch_size, lease_seconds=self.lease_seconds,
                    max_attempts=self.cfg.notify_max_attempts, kinds=kinds,
                )
            if not rows:
                return stats
            stats.claimed += len(rows)
            for row in rows:
                if await self._deliver(row):
                    stats.sent += 1
                else:
                    stats.failed += 1
            if len(rows) < self.batch_size:
                return stats

    async def _deliver(self, row: OutboxRow) -> bool:
        try:
            if row.kind == "email":
                await email.send(self.cfg, row.payload, row.dedupe_key)
                error = None
            else:
                error = await self._webhook(row)
        except Exception as exc:  # any failure of a send is retried, never fatal
            error = f"{type(exc).__name__}: {exc}"
        async with self.db.write() as conn:
            if error is None:
                await outbox_store.mark_sent(conn, row.id)
            else:
                retry_at = now() + timedelta(seconds=backoff(row.attempts))
                await outbox_store.mark_failed(conn, row.id, error, retry_at)
        if error is not None:
            log.warning("outbox row %s (%s) failed, attempt %s: %s",
                        row.id, row.kind, row.attempts, error)
        return error is None

    async def _webhook(self, row: OutboxRow) -> str | None:
        async with self.db.read() as conn:
            hook = await outbox_store.webhook_by_id(conn, int(row.payload["webhook_id"]))
        if hook is None or not hook.active:
            return None  # removed or paused since: nothing to deliver
        event = row.payload["event"]
        outcome = await webhook.deliver(self.http, hook.url, hook.secret, hook.format, event,
                                        row.id)
        async with self.db.write() as conn:
            await outbox_store.log_delivery(
                conn, outbox_id=row.id, webhook_id=hook.id, site_id=hook.site_id,
                event=str(event.get("event", "")), status_code=outcome.status_code,
                response=outcome.response, error=outcome.error, duration_ms=outcome.duration_ms,
            )
        return None if outcome.ok else outcome.error

    async def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("notification worker pass failed; retrying")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.cfg.notify_poll_seconds)

    def start(self) -> None:
        if self._task is None:
            self._stop.clear()
            self._task = asyncio.create_task(self._loop(), name="rejoinder-outbox")

    async def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self._own_http:
            await self.http.aclose()


@contextlib.asynccontextmanager
async def running_worker(db: Database, cfg: NotifyConfig) -> AsyncIterator[OutboxWorker]:
    """For an app lifespan: ``async with running_worker(db, cfg): yield``."""
    worker = OutboxWorker(db, cfg)
    worker.start()
    try:
        yield worker
    finally:
        await worker.stop()
