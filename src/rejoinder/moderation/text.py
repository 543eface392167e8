"""Text folding shared by the word lists and duplicate detection.

``fold`` makes text comparable: NFKC, casefold, accents and zero-width characters removed.
``tokens`` then splits it into words, mapping look-alike Cyrillic/Greek letters to Latin inside
words that are Latin (or entirely made of look-alikes), and reports the separator before each word
so callers can re-join obfuscated spellings such as ``i.d.i.o.t`` or ``i d i o t``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
        "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d"
        "\u206e\u206f\u3164\ufe0f\ufeff\uffa0"),
    None,
)

# Lower-case Cyrillic and Greek letters that render like Latin ones (text is casefolded first).
_HOMOGLYPHS = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "і": "i", "ї": "i", "ј": "j", "к": "k",
    "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s",
    "ԁ": "d", "ӏ": "l", "ɡ": "g", "ԛ": "q", "ԝ": "w", "ь": "b", "һ": "h", "п": "n", "г": "r",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "γ": "y", "μ": "u", "σ": "o", "ς": "c",
})

# Digits and symbols used as letters. "1" and "|" are ambiguous (i or l): both are tried.
_LEET = str.maketrans({
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "i", "+": "t",
})
_LEET_L = str.maketrans({"1": "l", "|": "l"})
_LEET_CHARS = re.compile(r"[013457-9@$!|+]")

_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_WORD = re.compile(r"(?:[^\W_]|[@$|+!])+")
_JOINERS = frozenset(".-_*~'’·•/\\")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_INVISIBLE)
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
        text = unicodedata.normalize("NFC", text)
    return text


def unconfuse(word: str) -> str:
    """Map look-alike letters to Latin when the word is Latin or made only of look-alikes."""
    if word.isascii():
        return word
    mapped = word.translate(_HOMOGLYPHS)
    if mapped.isascii() or any("a" <= ch <= "z" for ch in word):
        return mapped
    return word


def deleet(word: str) -> tuple[str, ...]:
    """Spellings of ``word`` with digits/symbols read as letters; empty when nothing to read."""
    if _LEET_CHARS.search(word) is None or word.isdigit():
        return ()
    first = word.translate(_LEET)
    if "1" in word or "|" in word:
        second = word.translate(_LEET_L).translate(_LEET)
        return (first, second) if second != first else (first,)
    return (first,)


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # folded, look-alikes mapped; leet not applied
    start: int
    end: int
    glued: bool  # joined to the previous token by a short in-word separator ("." "-" "*" …)
    spaced: bool  # separated from the previous token by whitespace only


def tokens(folded: str) -> Iterator[Token]:
    prev_end = -1
    for match in _WORD.finditer(folded):
        raw = match.group().strip("!")
        if not raw:
            continue
        sep = folded[prev_end:match.start()] if prev_end >= 0 else ""
        glued = bool(sep) and len(sep) <= 3 and all(ch in _JOINERS for ch in sep)
        spaced = bool(sep) and sep.isspace()
        prev_end = match.start() + len(raw)
        yield Token(unconfuse(raw), match.start(), prev_end, glued, spaced)


def squeeze(word: str) -> tuple[str, tuple[int, ...]]:
    """Collapse runs of a repeated character: ``idiooot`` → (``idiot``, (1, 1, 1, 3, 1))."""
    letters: list[str] = []
    runs: list[int] = []
    for ch in word:
        if letters and letters[-1] == ch:
            runs[-1] += 1
        else:
            letters.append(ch)
            runs.append(1)
    return "".join(letters), tuple(runs)


_SPACE_PUNCT = re.compile(r"[\W_]+")


def fingerprint_text(text: str) -> str:
    """Text reduced for duplicate detection: folded, punctuation and spacing ignored."""
    return _SPACE_PUNCT.sub(" ", fold(text)).strip()
