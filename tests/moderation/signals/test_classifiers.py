import asyncio

import pytest

from rejoinder.analysis.classifier import CommentClassifier
from rejoinder.analysis.scores import Category
from rejoinder.analysis.service import ScoringService
from rejoinder.domain.decision import Submission, Verdict
from rejoinder.moderation.signals.classifiers import (
    CategoryPolicy,
    ClassifierPolicy,
    classifier_signals,
)
from tests.helpers import counting_batches


@pytest.fixture(scope="module")
def loaded() -> CommentClassifier:
    c = CommentClassifier()
    c.load()
    return c


def submission(text: str, site: str = "blog") -> Submission:
    return Submission(site_key=site, thread_uri="/a", text=text, author_name="x",
                      author_email=None, author_website=None, ip=None, author_key="k")


async def run_all(loaded, text, policy=None, site="blog"):
    service = ScoringService(loaded)
    try:
        signals = classifier_signals(service, policy)
        return {s.name: await s.evaluate(submission(text, site)) for s in signals}
    finally:
        await service.close()


async def test_one_signal_per_category_and_threat_holds(loaded):
    results = await run_all(loaded, "Those traitors should be hanging from lanterns.")
    assert set(results) == {c.value for c in Category}
    [threat] = results["threat"]
    assert threat.suggests is Verdict.HOLD
    assert threat.reason.startswith("threat 0.") or threat.reason.startswith("threat 1.")
    assert "hanging from lanterns" in threat.reason
    assert [r.suggests for r in results["spam"]] == [Verdict.PUBLISH]


async def test_civil_comment_only_records_scores(loaded):
    results = await run_all(loaded, "I disagree with the author, but the data section is good.")
    assert all(len(r) == 1 and r[0].suggests is Verdict.PUBLISH for r in results.values())
    assert all(r[0].score < 0.5 for r in results.values())


async def test_one_or_two_words_are_not_judged_by_the_heads_alone(loaded):
    for text in ("first", "Nice", "child", "Breaking: a live comment."):
        results = await run_all(loaded, text)
        assert all(r[0].suggests is Verdict.PUBLISH for r in results.values()), text
    rule = await run_all(loaded, "Buy cheap viagra now")
    assert rule["spam"][0].suggests is Verdict.HOLD


async def test_per_site_reject_threshold(loaded):
    policy = ClassifierPolicy(per_site={"strict": {Category.TOXICITY: CategoryPolicy(
        hold=0.3, reject=0.8)}})
    strict = await run_all(loaded, "You are a pathetic idiot.", policy, site="strict")
    assert strict["toxicity"][0].suggests is Verdict.REJECT
    relaxed = await run_all(loaded, "You are a pathetic idiot.", policy, site="blog")
    assert relaxed["toxicity"][0].suggests is Verdict.HOLD


async def test_hold_threshold_can_silence_a_category(loaded):
    policy = ClassifierPolicy(default={Category.TOXICITY: CategoryPolicy(hold=1.01)})
    results = await run_all(loaded, "You are a pathetic idiot.", policy)
    assert [r.suggests for r in results["toxicity"]] == [Verdict.PUBLISH]


async def test_prepare_starts_one_scoring_that_the_signals_then_share(loaded):
    service = ScoringService(loaded)
    try:
        with counting_batches(loaded) as batches:
            signals = classifier_signals(service)
            sub = submission("The council approved the new budget for the library today.")
            signals[0].prepare(sub)
            await asyncio.sleep(0.5)  # scoring runs without anyone awaiting it
            assert batches == [1]
            results = [await s.evaluate(sub) for s in signals]
    finally:
        await service.close()
    assert batches == [1]  # every category reused the prefetched scores
    assert all(len(r) == 1 for r in results)
