"""Deterministic comment threads written identically into Rejoinder and Isso.

Each thread is a list of ``Spec`` rows in posting order. About 35% of comments start a new
top-level discussion; the rest answer an earlier comment, favouring recent ones, so reply chains
form. Texts are 20–150 words of Markdown with an occasional ``>`` quote, link or emphasis.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_VOCABULARY = (
    "the talks ceasefire agreement border people article argument point really think never "
    "always evidence source claim history treaty sanctions government minister week year "
    "because however although perhaps clearly obviously nobody everybody question answer reason "
    "policy election vote market price energy winter city street bicycle traffic council plan "
    "budget school children parents teacher river bridge railway station journalist editor "
    "column opinion fact figure report study data model forecast"
)
WORDS = tuple(_VOCABULARY.split())
NAMES = ("Anna", "Bohdan", "Claire", "Dmytro", "Elena", "Farid", "Greta", "Hugo", "Iryna",
         "Jonas", "Kateryna", "Luca", "Marta", "Nadia", "Oleh", "Priya")
MAX_DEPTH = 6  # Rejoinder's default max_depth; deeper answers attach to the deepest ancestor
SIZES = (10, 100, 1_000, 10_000)
QUICK_SIZES = (10, 100)


@dataclass(frozen=True, slots=True)
class Spec:
    index: int
    parent: int | None  # index of the comment answered, None for top level
    depth: int
    root: int  # index of the top-level comment of this chain (Isso keeps one reply level)
    author: str
    text: str
    minute: int  # minutes after the thread's first comment


def sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    if rng.random() < 0.2:
        i = rng.randrange(len(chosen))
        chosen[i] = f"*{chosen[i]}*"
    return " ".join(chosen).capitalize() + rng.choice((".", ".", ".", "?", "!"))


def comment_text(rng: random.Random, quoted: str | None) -> str:
    total = rng.randint(20, 150)
    parts: list[str] = []
    if quoted and rng.random() < 0.3:
        parts.append("> " + " ".join(quoted.split()[:12]))
    written = 0
    paragraph: list[str] = []
    while written < total:
        n = min(total - written, rng.randint(6, 18))
        paragraph.append(sentence(rng, n))
        written += n
        if rng.random() < 0.25:
            parts.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        parts.append(" ".join(paragraph))
    if rng.random() < 0.15:
        parts.append(f"See [the report](https://example.org/report/{rng.randrange(1000)}).")
    return "\n\n".join(parts)


def thread(size: int, seed: int = 7) -> list[Spec]:
    rng = random.Random(seed * 1_000_003 + size)
    specs: list[Spec] = []
    for i in range(size):
        parent: Spec | None = None
        if specs and rng.random() > 0.35:
            window = min(len(specs), 30)
            parent = specs[len(specs) - 1 - min(int(rng.expovariate(0.15)), window - 1)]
            while parent.depth >= MAX_DEPTH and parent.parent is not None:
                parent = specs[parent.parent]
        depth = parent.depth + 1 if parent else 0
        specs.append(Spec(
            index=i,
            parent=parent.index if parent else None,
            depth=depth,
            root=parent.root if parent else i,
            author=rng.choice(NAMES),
            text=comment_text(rng, parent.text if parent else None),
            minute=i * 3,
        ))
    return specs


def post_text(n: int) -> str:
    """A distinct, ordinary comment for the posting scenario (distinct so no duplicate check
    fires)."""
    rng = random.Random(n)
    return comment_text(rng, None) + f"\n\nReader note {n}."
