from __future__ import annotations

import random
import string
import time

import pytest

from rejoinder.domain.decision import Verdict
from rejoinder.moderation.signals.words import WordListSignal, WordMatcher, compile_words

MATCHER = WordMatcher(banned=["cunt", "ass", "kill yourself", "moron*"], suspect=["idiot", "class"])


def entries(text: str) -> list[str]:
    return [m.entry for m in MATCHER.find(text)]


@pytest.mark.parametrize(
    "text",
    [
        "You idiot.",
        "IDIOT!",
        "you 1d10t",
        "i.d.i.o.t",
        "i d i o t",
        "i-d-i-o-t",
        "what an idiooot",
        "i\u200bd\u200di\u2060ot",
        "іdіоt",  # Cyrillic і and о
        "ΙDΙΟΤ",  # Greek capitals
        "ｉｄｉｏｔ",  # full-width
        "ídíót",
        "you a i d i o t",
    ],
)
def test_obfuscated_suspect_word_is_found(text: str) -> None:
    assert entries(text) == ["idiot"]


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe United won",
        "The assessment was fair",
        "A classic case of passive voice",
        "He is as tall as me",
        "Idiotic? No: idiosyncratic.",
        "Грамотный ответ, спасибо",  # Russian text is not turned into Latin words
        "I came in 1st in 2022",
    ],
)
def test_no_false_positive(text: str) -> None:
    assert entries(text) == []


def test_whole_word_entries_and_prefix_entries() -> None:
    assert entries("a class act") == ["class"]
    assert entries("morons and moronic takes") == ["moron*"]
    assert entries("asss") == ["ass"]  # stretched letters
    assert entries("as") == []  # fewer letters than the entry is another word


@pytest.mark.parametrize("text", ["kill yourself", "KILL   your-self", "k1ll y0urself",
                                  "k-i-l-l y o u r s e l f"])
def test_phrases(text: str) -> None:
    assert entries(text) == ["kill yourself"]


def test_phrase_must_sit_on_word_boundaries() -> None:
    assert entries("skill yourselfish") == []


def test_word_on_both_lists_is_banned() -> None:
    matcher = WordMatcher(banned=["troll"], suspect=["troll"])
    assert [m.verdict for m in matcher.find("troll")] == [Verdict.REJECT]


def test_compiled_once_per_list_content() -> None:
    a = compile_words(("x1", "y1"), ("z1",))
    b = compile_words(tuple(["x1", "y1"]), ("z1",))
    assert a is b
    assert compile_words(("x1",), ()) is not a


async def test_signal_reasons(make_submission, make_context) -> None:
    signal = WordListSignal()
    ctx = make_context(banned_words=("moron",), suspect_words=("idiot",))
    results = await signal.assess(make_submission("what a 1d10t, and a moron"), ctx)
    assert [(r.suggests, r.reason) for r in results] == [
        (Verdict.REJECT, "banned word: moron"),
        (Verdict.HOLD, 'suspect word: idiot (as "1d10t")'),
    ]
    named = await signal.assess(make_submission("fine", author_name="Moron"), ctx)
    assert [r.reason for r in named] == ["banned word: moron in name"]
    assert await signal.assess(make_submission("fine words"), ctx) == []
    assert await signal.assess(make_submission("idiot"), make_context()) == []


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 10)))


def test_ten_thousand_words_is_fast() -> None:
    rng = random.Random(7)
    banned = [_word(rng) for _ in range(5_000)] + [f"{_word(rng)} {_word(rng)}" for _ in range(100)]
    suspect = [_word(rng) for _ in range(5_000)]
    started = time.perf_counter()
    matcher = WordMatcher(banned, suspect)
    build = time.perf_counter() - started
    words = [_word(rng) for _ in range(150)]
    text = " ".join([*words[:75], suspect[42].upper(), banned[-1], *words[75:]])
    started = time.perf_counter()
    for _ in range(100):
        found = matcher.find(text)
    per_call = (time.perf_counter() - started) / 100
    assert {m.entry for m in found} >= {suspect[42], banned[-1]}
    assert build < 2.0
    assert per_call < 0.005, per_call
