"""Deterministic generator of the labelled training corpus (``data/corpus.jsonl``).

Run ``python -m rejoinder.analysis.corpus`` to rewrite the file. Every row is
``{"id", "text", "topic", "kind", "labels"}``; ``labels`` lists categories (empty = acceptable).
Comments are drawn from template grammars filled with per-topic fillers, then varied by
typos, capitals, obfuscation, quoting, prefixes and suffixes, and two-sentence combinations.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path

from rejoinder.analysis import corpus_lexicon as lex
from rejoinder.analysis import corpus_templates as tpl

CORPUS_PATH = Path(__file__).parent / "data" / "corpus.jsonl"
SEED = 20240611

# kind -> (templates, labels, rows per topic)
KINDS: dict[str, tuple[list[str], list[str], int]] = {
    "civil": (tpl.CIVIL, [], 120),
    "heated": (tpl.HEATED, [], 80),
    "sarcasm": (tpl.SARCASM, [], 15),
    "toxic": (tpl.TOXIC, ["toxicity"], 55),
    "threat": (tpl.THREAT, ["threat"], 35),
    "identity": (tpl.IDENTITY, ["identity_attack"], 35),
    "profane": (tpl.PROFANE, ["profanity"], 35),
    "spam": (tpl.SPAM, ["spam"], 40),
}
_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
_CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і"}


def _fill(template: str, topic: str, rng: random.Random) -> str:
    subjects, people, claims, facts = lex.TOPICS[topic]
    values: dict[str, Callable[[], str]] = {
        "subject": lambda: rng.choice(subjects), "person": lambda: rng.choice(people),
        "claim": lambda: rng.choice(claims), "fact": lambda: rng.choice(facts),
        "insult": lambda: rng.choice(lex.INSULTS), "group": lambda: rng.choice(lex.GROUPS),
        "vermin": lambda: rng.choice(lex.VERMIN), "swear": lambda: rng.choice(lex.SWEARS),
        "harm": lambda: rng.choice(lex.HARM), "target": lambda: rng.choice(lex.TARGETS),
        "product": lambda: rng.choice(lex.PRODUCTS), "domain": lambda: rng.choice(lex.DOMAINS),
        "price": lambda: rng.choice(["$", "€", "£"]) + str(rng.choice([19, 49, 99, 250, 500,
                                                                     1200, 5000])),
        "n": lambda: str(rng.choice([10, 20, 30, 50, 70, 90])),
    }
    out = template
    for key, make in values.items():
        while "{" + key + "}" in out:
            out = out.replace("{" + key + "}", make(), 1)
    return out[0].upper() + out[1:] if out else out


def _typo(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(1, max(2, len(chars) - 1))
        op = rng.random()
        if op < 0.4 and chars[i].isalpha():
            chars[i - 1], chars[i] = chars[i], chars[i - 1]
        elif op < 0.7:
            del chars[i]
        else:
            chars.insert(i, chars[i])
    return "".join(chars)


def _obfuscate(word: str, rng: random.Random) -> str:
    style = rng.choice(["leet", "spaced", "zero_width", "cyrillic", "dots"])
    if style == "leet":
        return "".join(_LEET.get(c, c) if rng.random() < 0.6 else c for c in word)
    if style == "spaced":
        return " ".join(word)
    if style == "zero_width":
        return "\u200b".join(word)
    if style == "dots":
        return ".".join(word)
    return "".join(_CYRILLIC.get(c, c) for c in word)


def _obfuscate_lexicon(text: str, words: list[str], rng: random.Random) -> str:
    for w in sorted(words, key=len, reverse=True):
        if w in text and " " not in w:
            return text.replace(w, _obfuscate(w, rng), 1)
    return text


def _vary(text: str, kind: str, rng: random.Random) -> str:
    if kind in ("toxic", "profane") and rng.random() < 0.2:
        text = _obfuscate_lexicon(text, lex.INSULTS + lex.SWEARS, rng)
    if rng.random() < 0.15:
        text = _typo(text, rng)
    if rng.random() < 0.08:
        text = text.upper()
    elif rng.random() < 0.08:
        text = text.lower()
    prefix = rng.choice(tpl.PREFIXES)
    if prefix.endswith(", ") and not text.isupper():
        text = text[:1].lower() + text[1:]
    return prefix + text + rng.choice(tpl.SUFFIXES)


def _quote(topic: str, rng: random.Random) -> tuple[str, str]:
    """A reply that quotes someone; quoting abuse to object to it is civil."""
    if rng.random() < 0.35:
        quoted = _fill(rng.choice(tpl.TOXIC), topic, rng)
        reply = rng.choice(["Calling people names like that adds nothing. Please keep it civil.",
                            "Reported. This is not how we argue here.",
                            "Whoever wrote this needs a break from the internet, honestly.",
                            "Someone said this to me yesterday. I'd rather discuss the facts."])
    else:
        quoted = _fill(rng.choice(tpl.CIVIL + tpl.HEATED), topic, rng)
        reply = _fill(rng.choice(tpl.CIVIL + tpl.HEATED), topic, rng)
    return f"> {quoted}\n{reply}", "quote"


def _gibberish(rng: random.Random) -> str:
    words = ["".join(rng.choice(tpl.GIBBERISH_SYLLABLES) for _ in range(rng.randint(2, 4)))
             for _ in range(rng.randint(3, 9))]
    return " ".join(words)


def _rows_for_topic(topic: str, rng: random.Random) -> Iterator[tuple[str, str, list[str]]]:
    for kind, (templates, labels, count) in KINDS.items():
        for _ in range(count):
            text = _fill(rng.choice(templates), topic, rng)
            if kind in ("civil", "heated") and rng.random() < 0.3:
                text += " " + _fill(rng.choice(tpl.CIVIL + tpl.HEATED), topic, rng)
            if kind == "toxic" and rng.random() < 0.2:
                text = f"{rng.choice(lex.SWEARS).capitalize()} off. {text}"
                yield _vary(text, kind, rng), kind, ["toxicity", "profanity"]
                continue
            yield _vary(text, kind, rng), kind, list(labels)
    for _ in range(20):
        text, kind = _quote(topic, rng)
        yield text, kind, []
    for _ in range(8):
        yield rng.choice(lex.FOREIGN_CIVIL), "foreign", []
    for _ in range(4):
        yield rng.choice(lex.FOREIGN_TOXIC), "foreign_toxic", ["toxicity"]
    for _ in range(6):
        yield _gibberish(rng), "gibberish", ["spam"]


def generate(seed: int = SEED) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for topic in lex.TOPICS:
        for text, kind, labels in _rows_for_topic(topic, rng):
            key = f"{topic}|{text}"
            if key in seen:
                continue
            seen.add(key)
            rows.append({"id": len(rows), "text": text, "topic": topic, "kind": kind,
                         "labels": labels})
    return rows


def load_corpus(path: Path = CORPUS_PATH) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_corpus(path: Path = CORPUS_PATH, seed: int = SEED) -> int:
    rows = generate(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


if __name__ == "__main__":
    print(f"wrote {write_corpus()} rows to {CORPUS_PATH}")
