"""Undo the usual obfuscations before rules and the profanity model look at a comment.

Zero-width and other invisible characters are dropped, look-alike letters from other scripts
(Cyrillic/Greek а, е, о, р, с, ...) become Latin when they sit inside an otherwise Latin word,
l33t digits become letters inside words that also hold letters ("1d1ot" -> "idiot") and runs of
single spaced letters are joined ("i d i o t" -> "idiot").
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff]")

# Letters from Cyrillic and Greek that render like Latin letters.
_CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ɡ": "g", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M",
    "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J",
    "α": "a", "ο": "o", "ρ": "p", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "τ": "t",
    "υ": "u", "χ": "x", "Α": "A", "Β": "B", "Ε": "E", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X", "Υ": "Y", "Ζ": "Z",
})
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i", "|": "l", "+": "t"})
_WORD = re.compile(r"[\w@$!|+]+", re.UNICODE)
_SPACED = re.compile(r"(?<![\w])(?:[^\W_][ .\-_*]){2,}[^\W_](?![\w])", re.UNICODE)
_REPEAT = re.compile(r"(\w)\1{2,}", re.UNICODE)


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _fix_word(word: str) -> str:
    if word.isascii() and word.isalpha():
        return word  # most words: nothing to undo (checked in C before the loops below)
    latin = sum(1 for c in word if _is_latin(c))
    foreign = sum(1 for c in word if c.isalpha() and not c.isascii())
    if foreign and latin:
        # mixed-script word: a look-alike swap, not a real Cyrillic or Greek word
        word = word.translate(_CONFUSABLES)
    letters = sum(1 for c in word if c.isalpha())
    if letters and letters < len(word) and any(c in "0134579@$!|+" for c in word):
        stripped = word.rstrip("!")
        tail = word[len(stripped):]
        word = stripped.translate(_LEET) + tail
    return word


def normalize(text: str) -> str:
    """Return a lower-cased, de-obfuscated copy of ``text`` for rules and the profanity model."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACED.sub(lambda m: re.sub(r"[ .\-_*]", "", m.group(0)), text)
    text = _WORD.sub(lambda m: _fix_word(m.group(0)), text)
    text = _REPEAT.sub(r"\1\1", text)
    return text.lower()
