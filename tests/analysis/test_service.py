import asyncio

from rejoinder.analysis.scores import Category
from rejoinder.analysis.service import ScoringService


async def test_concurrent_requests_are_batched_and_match_direct_scoring(classifier):
    service = ScoringService(classifier, max_batch=8, max_wait=0.05)
    calls: list[int] = []
    original = classifier.score_batch

    def counting(texts, heads=None):
        calls.append(len(texts))
        return original(texts, heads)

    classifier.score_batch = counting  # type: ignore[method-assign]
    try:
        texts = [f"comment number {i} about the budget" for i in range(10)] + ["you idiot"]
        results = await asyncio.gather(*(service.score(t) for t in texts))
    finally:
        del classifier.score_batch
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
