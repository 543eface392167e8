import asyncio
import threading

from rejoinder.analysis.scores import Category
from rejoinder.analysis.service import ScoringService
from tests.helpers import counting_batches


async def test_concurrent_requests_are_batched_and_match_direct_scoring(classifier):
    service = ScoringService(classifier, max_batch=8)
    try:
        with counting_batches(classifier) as calls:
            texts = [f"comment number {i} about the budget" for i in range(10)] + ["you idiot"]
            results = await asyncio.gather(*(service.score(t) for t in texts))
    finally:
        await service.close()
    assert sum(calls) == len(texts)
    assert max(calls) > 1  # at least one micro-batch held several comments
    assert len(calls) < len(texts)
    direct = classifier.score("you idiot")
    assert abs(results[-1].probability(Category.TOXICITY)
               - direct.probability(Category.TOXICITY)) < 1e-4
    assert service.load_seconds is not None


async def test_event_loop_stays_responsive(classifier):
    service = ScoringService(classifier)
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    task = asyncio.create_task(ticker())
    await asyncio.gather(*(service.score("a longer comment " * 30) for _ in range(16)))
    task.cancel()
    await service.close()
    assert ticks > 5


async def test_site_heads_replace_shipped_ones_for_that_site_only(classifier, tmp_path):
    from rejoinder.analysis.adapt import SiteHeadStore, site_heads_path
    from rejoinder.analysis.heads import LogisticHead, save_heads

    shipped = classifier.heads["spam"]
    always = LogisticHead(weights=shipped.weights * 0, bias=30.0, mean=shipped.mean,
                          scale=shipped.scale)
    path = site_heads_path(tmp_path, "strict-blog")
    save_heads(path, {"spam": always})
    service = ScoringService(classifier, site_heads=SiteHeadStore(tmp_path))
    text = "Lovely piece about the bakery."
    try:
        strict, normal, default = await asyncio.gather(
            service.score(text, "strict-blog"), service.score(text, "other"),
            service.score(text))
    finally:
        await service.close()
    assert strict.probability(Category.SPAM) > 0.99
    assert normal.probability(Category.SPAM) < 0.5
    assert abs(default.probability(Category.SPAM) - normal.probability(Category.SPAM)) < 1e-6
    assert abs(strict.probability(Category.TOXICITY)
               - normal.probability(Category.TOXICITY)) < 1e-6


async def test_workers_score_batches_side_by_side(classifier):
    service = ScoringService(classifier, max_batch=1, workers=2)
    both_running = threading.Barrier(2, timeout=10)
    met: list[str] = []
    original = classifier.score_items

    def meeting(texts, heads):
        if len(met) < 2:
            both_running.wait()  # only passes when a second batch runs at the same time
            met.append(threading.current_thread().name)
        return original(texts, heads)

    classifier.score_items = meeting  # type: ignore[method-assign]
    try:
        results = await asyncio.gather(*(service.score(f"comment {i} on the budget vote")
                                         for i in range(4)))
    finally:
        del classifier.score_items
        await service.close()
    assert len(results) == 4
    assert len(set(met)) == 2
