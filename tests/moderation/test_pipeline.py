from __future__ import annotations

import asyncio
from datetime import timedelta

from rejoinder.domain.decision import SignalResult, Submission, Verdict
from rejoinder.domain.site import Site
from rejoinder.domain.states import ModerationMode
from rejoinder.moderation.context import AuthorStatus
from rejoinder.moderation.moderator import InMemoryAuthorDirectory, SiteModerator
from rejoinder.moderation.pipeline import (
    HELD_MESSAGE,
    REJECTED_MESSAGE,
    REMOTE_COST,
    ModerationPipeline,
    commenter_message,
    standard_signals,
)
from rejoinder.moderation.settings import ModerationSettings
from rejoinder.moderation.signals.bans import Ban, BanKind, InMemoryBanList
from rejoinder.moderation.signals.duplicates import InMemoryRecentComments, RecentComment


class Recorder:
    """A plain ``Signal`` (evaluate only), like the classifier signals."""

    def __init__(self, name: str, cost: int, suggests: Verdict | None = None) -> None:
        self.name, self.cost, self.suggests = name, cost, suggests
        self.calls = 0

    async def evaluate(self, submission: Submission) -> list[SignalResult]:
        self.calls += 1
        if self.suggests is None:
            return []
        return [SignalResult(self.name, 0.9, self.suggests, f"{self.name} says so")]


class Broken:
    name, cost = "broken", 5

    async def evaluate(self, submission: Submission) -> list[SignalResult]:
        raise RuntimeError("model missing")


async def test_cheapest_first_and_short_circuit_on_reject(make_submission, now) -> None:
    cheap, reject = Recorder("cheap", 1), Recorder("r", 5, Verdict.REJECT)
    pricey = Recorder("x", 99, Verdict.HOLD)
    remote = Recorder("remote", REMOTE_COST, Verdict.HOLD)
    pipeline = ModerationPipeline([remote, pricey, reject, cheap])
    decision = await pipeline.decide(make_submission(), ModerationSettings(), now=now)
    assert decision.verdict is Verdict.REJECT
    # local signals all start at once, but what is dearer than a rejection does not count...
    assert [r.signal for r in decision.results] == ["r"]
    # ...and a remote service never sees a comment that is rejected anyway
    assert remote.calls == 0


class Slow:
    """Waits for ``gate`` before answering, like a signal reading the database."""

    def __init__(self, name: str, cost: int, gate: asyncio.Event, log: list[str]) -> None:
        self.name, self.cost, self.gate, self.log = name, cost, gate, log

    async def evaluate(self, submission: Submission) -> list[SignalResult]:
        self.log.append(f"{self.name} started")
        await self.gate.wait()
        return [SignalResult(self.name, 0.1, Verdict.PUBLISH, self.name)]


async def test_local_signals_overlap_but_are_judged_in_cost_order(make_submission) -> None:
    gate, log = asyncio.Event(), []
    cheap, dear = Slow("cheap", 5, gate, log), Slow("dear", 60, gate, log)
    remote = Recorder("remote", REMOTE_COST)
    deciding = asyncio.create_task(
        ModerationPipeline([remote, dear, cheap]).decide(make_submission(), ModerationSettings()))
    await asyncio.sleep(0.01)
    assert sorted(log) == ["cheap started", "dear started"]  # both wait at once
    assert remote.calls == 0  # remote ones wait for the local verdicts
    gate.set()
    decision = await deciding
    assert [r.signal for r in decision.results] == ["cheap", "dear"]
    assert remote.calls == 1


async def test_hold_does_not_short_circuit(make_submission) -> None:
    hold, later = Recorder("h", 1, Verdict.HOLD), Recorder("later", 50, Verdict.PUBLISH)
    pipeline = ModerationPipeline([hold, later])
    decision = await pipeline.decide(make_submission(), ModerationSettings())
    assert decision.verdict is Verdict.HOLD
    assert [r.signal for r in decision.results] == ["h", "later"]


async def test_failing_signal_holds_and_says_so(make_submission) -> None:
    decision = await ModerationPipeline([Broken()]).decide(make_submission(), ModerationSettings())
    assert decision.verdict is Verdict.HOLD
    assert decision.reasons == ["check failed: broken"]


async def test_standard_signals_end_to_end(make_submission, now) -> None:
    bans = InMemoryBanList()
    bans.add("blog", Ban(BanKind.EMAIL_DOMAIN, "mailinator.com"))
    recent = InMemoryRecentComments()
    spam = "Visit my wonderful site for great deals on everything you could want today"
    recent.add("blog", RecentComment(812, "author-1", spam, now - timedelta(minutes=3)))
    pipeline = ModerationPipeline(standard_signals(bans=bans, recent=recent))
    settings = ModerationSettings(suspect_words=("idiot",), banned_words=("scum",))

    async def decide(sub: Submission, status: AuthorStatus | None = None) -> tuple[Verdict, list]:
        d = await pipeline.decide(sub, settings, status, now=now)
        return d.verdict, d.reasons

    assert await decide(make_submission("A thoughtful reply.")) == (Verdict.PUBLISH, [])
    assert await decide(make_submission("you 1d10t")) == (
        Verdict.HOLD, ['suspect word: idiot (as "1d10t")']
    )
    trusted = await decide(make_submission("you 1d10t"), AuthorStatus(trusted=True))
    assert trusted[0] is Verdict.PUBLISH
    assert await decide(make_submission("s c u m")) == (
        Verdict.REJECT, ['banned word: scum (as "s c u m")']
    )
    banned = make_submission("hello", author_email="x@mailinator.com")
    assert await decide(banned, AuthorStatus(trusted=True)) == (
        Verdict.REJECT, ["banned email domain: mailinator.com"]
    )
    assert await decide(make_submission(spam)) == (Verdict.HOLD, ["duplicate of #812"])
    assert await decide(make_submission("hi", honeypot="x")) == (
        Verdict.REJECT, ["hidden form field was filled in"]
    )


async def test_pre_moderation_holds_everything(make_submission) -> None:
    pipeline = ModerationPipeline(standard_signals())
    settings = ModerationSettings(mode=ModerationMode.PRE)
    decision = await pipeline.decide(make_submission(), settings, AuthorStatus(trusted=True))
    assert (decision.verdict, decision.reasons) == (
        Verdict.HOLD, ["site holds all comments for review"]
    )


async def test_site_moderator_reads_site_settings_and_author(make_submission) -> None:
    authors = InMemoryAuthorDirectory({("blog", "author-1"): AuthorStatus(always_hold=True)})
    moderator = SiteModerator(ModerationPipeline(standard_signals()), authors)
    site = Site(1, "blog", "Blog", [], {"moderation": {"max_links": 0}})
    held = await moderator.decide(site, make_submission())
    assert held.reasons == ["author is always held for review"]
    other = await moderator.decide(site, make_submission("see https://x.example", author_key="b"))
    assert other.reasons == ["1 link"]


def test_commenter_message_does_not_reveal_the_rule() -> None:
    assert commenter_message(Verdict.HOLD) == HELD_MESSAGE
    assert commenter_message(Verdict.REJECT) == REJECTED_MESSAGE
    assert commenter_message(Verdict.PUBLISH) is None
    assert "ban" not in REJECTED_MESSAGE and "word" not in REJECTED_MESSAGE


class Gated:
    """A cheap signal that finishes only when the test lets it."""

    name, cost = "gated", 1

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def evaluate(self, submission: Submission) -> list[SignalResult]:
        await self.release.wait()
        return []


class Preparing(Recorder):
    """An expensive signal that starts its work in ``prepare``, as the classifiers do."""

    def __init__(self) -> None:
        super().__init__("slow", 50)
        self.prepared_while: list[bool] = []
        self.gate: Gated | None = None

    def prepare(self, submission: Submission) -> None:
        assert self.gate is not None
        self.prepared_while.append(not self.gate.release.is_set())


async def test_slow_signals_are_prepared_before_cheap_ones_finish(make_submission) -> None:
    gate, slow = Gated(), Preparing()
    slow.gate = gate
    pipeline = ModerationPipeline([slow, gate])
    deciding = asyncio.create_task(pipeline.decide(make_submission(), ModerationSettings()))
    await asyncio.sleep(0.01)
    assert slow.prepared_while == [True]  # started while the cheap signal still ran
    assert not deciding.done()  # the cheap one is still judged first
    gate.release.set()
    await deciding
    assert slow.calls == 1
