"""Cost per comment of the moderation pipeline without classifiers.

A 10,000-entry word list (banned + suspect, a few hundred of them phrases), 1,000 bans,
500 recent comments for duplicate detection, and a few thousand comments of realistic length
with links, Markdown, quotes and the odd obfuscated word.

    .venv/bin/python bench/bench_moderation.py [--comments 3000] [--corpus FILE]

``--corpus`` reads one comment per non-empty line of a text file instead of generating them.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import string
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rejoinder.domain.decision import Submission, Verdict
from rejoinder.domain.states import ModerationMode
from rejoinder.moderation.context import AuthorStatus
from rejoinder.moderation.pipeline import ModerationPipeline, standard_signals
from rejoinder.moderation.settings import ModerationSettings
from rejoinder.moderation.signals.author import InMemoryAuthorHistory
from rejoinder.moderation.signals.bans import Ban, BanKind, InMemoryBanList
from rejoinder.moderation.signals.duplicates import InMemoryRecentComments, RecentComment

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
_VOCAB_TEXT = (
    "the a of to and in that is was it for on with as by this be are not or have from at but "
    "they which you one their an we has his all would there been if more when will can who no "
    "so out up what about than into them some could these other time only then its also two "
    "war peace talks negotiations treaty ceasefire border neutrality sanctions ukraine russia "
    "professor article essay evidence argument history facts opinion government security pact "
    "agreement propaganda ridiculous obviously frankly honestly nonsense interesting thanks "
    "source link read again point missing completely wrong right agree disagree question"
)
VOCAB = _VOCAB_TEXT.split()
SUSPECT_REAL = ["idiot", "moron", "stupid", "shill", "troll", "liar", "clown", "coward"]
BANNED_REAL = ["scumbag", "kill yourself", "subhuman"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 11)))


def word_lists(rng: random.Random) -> tuple[tuple[str, ...], tuple[str, ...]]:
    banned = [*BANNED_REAL, *(word(rng) for _ in range(4_700))]
    banned += [f"{word(rng)} {word(rng)}" for _ in range(300)]
    suspect = [*SUSPECT_REAL, *(word(rng) for _ in range(4_992))]
    return tuple(banned), tuple(suspect)


def comment(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(1, 6)):
        words = [rng.choice(VOCAB) for _ in range(rng.randint(6, 24))]
        sentences.append(" ".join(words).capitalize() + rng.choice([".", "?", "!", "..."]))
    text = " ".join(sentences)
    roll = rng.random()
    if roll < 0.15:
        text += f" See https://news{rng.randint(1, 50)}.example/story/{rng.randint(1, 9999)}"
    elif roll < 0.22:
        text = f"> {sentences[0]}\n\n{text} [source](https://archive.example/{rng.randint(1, 99)})"
    elif roll < 0.27:
        text += " " + rng.choice(["you 1d10t", "what a m.o.r.o.n", "sтupid", "s c u m b a g"])
    elif roll < 0.29:
        text += " http://a.example http://b.example http://c.example"
    return text


def load_corpus(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if len(line.strip()) > 3]


async def run(count: int, corpus: list[str] | None) -> None:
    rng = random.Random(20260301)
    banned, suspect = word_lists(rng)
    settings = ModerationSettings(
        mode=ModerationMode.PRE_NEW, banned_words=banned, suspect_words=suspect,
        blocked_domains=tuple(f"{word(rng)}.example" for _ in range(200)),
    )
    bans = InMemoryBanList()
    for i in range(1_000):
        kind = (BanKind.AUTHOR, BanKind.IP, BanKind.EMAIL_DOMAIN)[i % 3]
        value = {BanKind.AUTHOR: f"author-{i}", BanKind.IP: f"10.{i % 250}.0.0/16",
                 BanKind.EMAIL_DOMAIN: f"{word(rng)}.example"}[kind]
        bans.add("blog", Ban(kind, value))
    recent = InMemoryRecentComments()
    for i in range(500):
        created = NOW - timedelta(minutes=i)
        recent.add("blog", RecentComment(10_000 + i, f"r-{i % 40}", comment(rng), created))
    history = InMemoryAuthorHistory({("blog", f"a-{i}"): i % 4 for i in range(300)})
    pipeline = ModerationPipeline(standard_signals(bans=bans, recent=recent, history=history))
    texts = corpus if corpus else [comment(rng) for _ in range(count)]

    def submission(i: int, text: str) -> Submission:
        return Submission(
            site_key="blog", thread_uri="/essays/peace-talks", text=text,
            author_name=f"Reader {i % 300}", author_email=f"r{i % 300}@mail.example",
            author_website=None, ip=f"198.51.{i % 200}.{i % 250}", author_key=f"a-{i % 300}",
            form_loaded_at=NOW - timedelta(seconds=30), submitted_at=NOW,
        )

    started = time.perf_counter()
    await pipeline.decide(submission(0, "warm up"), settings, now=NOW)
    first = time.perf_counter() - started

    timings: list[float] = []
    verdicts = {v: 0 for v in Verdict}
    for i, text in enumerate(texts):
        sub = submission(i, text)
        t0 = time.perf_counter()
        decision = await pipeline.decide(sub, settings, AuthorStatus(), now=NOW)
        timings.append(time.perf_counter() - t0)
        verdicts[decision.verdict] += 1

    timings.sort()
    ms = [t * 1000 for t in timings]
    p50 = statistics.median(ms)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    words = statistics.mean(len(t.split()) for t in texts)
    print(f"word list: {len(banned) + len(suspect)} entries; first call (compile): "
          f"{first * 1000:.0f} ms")
    print(f"comments: {len(texts)} (mean {words:.0f} words); "
          + ", ".join(f"{v.value} {n}" for v, n in verdicts.items()))
    print(f"per comment: p50 {p50:.3f} ms, p99 {p99:.3f} ms, max {ms[-1]:.3f} ms, "
          f"mean {statistics.mean(ms):.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--comments", type=int, default=3_000)
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args()
    asyncio.run(run(args.comments, load_corpus(args.corpus) if args.corpus else None))


if __name__ == "__main__":
    main()
