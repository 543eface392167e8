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
    assert results["spam"] == []


async def test_civil_comment_produces_nothing(loaded):
    results = await run_all(loaded, "I disagree with the author, but the data section is good.")
    assert all(r == [] for r in results.values())


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
    assert results["toxicity"] == []
