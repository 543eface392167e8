"""Async scoring off the event loop: a bounded queue drained in micro-batches by a thread."""

from __future__ import annotations

import asyncio
import contextlib
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from rejoinder.analysis.classifier import CommentClassifier
from rejoinder.analysis.heads import LogisticHead
from rejoinder.analysis.scores import ClassifierScores

_Item = tuple[str, str | None, "asyncio.Future[ClassifierScores]"]


class SiteHeads(Protocol):
    """Per-site heads that replace shipped ones (see ``adapt.SiteHeadStore``)."""

    def get(self, site_key: str) -> dict[str, LogisticHead]: ...


class ScoringService:
    """``await score(text)``; texts are scored on ``workers`` threads, each pass taking up to
    ``max_batch`` of whatever queued while the threads were busy.

    Nothing waits for a batch to fill: a lone comment is scored at once. On a CPU batching does
    not pay: a pass pads every text to the longest, and attention grows with the square of the
    length, so two comments of ~100 tokens took 27 ms in one pass against 2 × 9 ms one by one.
    Hence one text per pass by default, and parallel passes on single-threaded sessions, which
    use the cores better than one pass spread over them.
    """

    def __init__(self, classifier: CommentClassifier | None = None, max_batch: int = 1,
                 max_queue: int = 1024, site_heads: SiteHeads | None = None,
                 workers: int = 1) -> None:
        self.classifier = classifier or CommentClassifier()
        self.site_heads = site_heads
        self.max_batch = max_batch
        self.workers = max(1, workers)
        self._queue: asyncio.Queue[_Item] = asyncio.Queue(maxsize=max_queue)
        self._executor = ThreadPoolExecutor(max_workers=self.workers,
                                            thread_name_prefix="rejoinder-score")
        self._worker: asyncio.Task[None] | None = None
        self._starting = asyncio.Lock()
        self.load_seconds: float | None = None

    async def start(self) -> None:
        if self._worker is not None:
            return
        async with self._starting:  # concurrent first callers load the models once
            if self._worker is not None:
                return
            loop = asyncio.get_running_loop()
            started = time.perf_counter()
            await loop.run_in_executor(self._executor, self.classifier.load)
            self.load_seconds = time.perf_counter() - started
            self._worker = asyncio.create_task(self._run())

    async def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None
        self._executor.shutdown(wait=True)

    async def score(self, text: str, site_key: str | None = None) -> ClassifierScores:
        """Scores with the site's adapted heads when ``site_heads`` has any for ``site_key``."""
        await self.start()
        future: asyncio.Future[ClassifierScores] = asyncio.get_running_loop().create_future()
        await self._queue.put((text, site_key, future))  # waits while full (back-pressure)
        return await future

    def _score_batch(self, texts: list[str], sites: list[str | None]) -> list[ClassifierScores]:
        cache: dict[str | None, dict[str, LogisticHead] | None] = {None: None}
        for site in sites:
            if site not in cache and self.site_heads is not None:
                cache[site] = self.site_heads.get(site) or None
        return self.classifier.score_items(texts, [cache.get(s) for s in sites])

    async def _run(self) -> None:
        free = asyncio.Semaphore(self.workers)
        running: set[asyncio.Task[None]] = set()
        while True:
            await free.acquire()
            batch = [await self._queue.get()]
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            task = asyncio.create_task(self._score(batch))
            running.add(task)
            task.add_done_callback(running.discard)
            task.add_done_callback(lambda _: free.release())

    async def _score(self, batch: list[_Item]) -> None:
        texts = [t for t, _, _ in batch]
        sites = [s for _, s, _ in batch]
        loop = asyncio.get_running_loop()
        try:
            results = await loop.run_in_executor(self._executor, self._score_batch, texts, sites)
        except Exception as exc:  # surface the failure to every waiting caller
            for _, _, fut in batch:
                if not fut.done():
                    fut.set_exception(exc)
            return
        for (_, _, fut), res in zip(batch, results, strict=True):
            if not fut.done():
                fut.set_result(res)
