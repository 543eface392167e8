"""Reserved names: a guest may not post under a signed-in reader's display name.

Names are compared by a *skeleton*: NFKC, casefold, a small map of look-alike letters and
digits, then letters and digits only. "Ann Smith", "ANN SMITH", "Аnn Smith" (Cyrillic А) and
"Ann 5mith" share one skeleton.
"""

from __future__ import annotations

import unicodedata

CONFUSABLES = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "г": "r", "е": "e", "ё": "e", "з": "3", "і": "l", "ї": "l", "ј": "j",
    "к": "k", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y",
    "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ь": "b", "ӏ": "l",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "l", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ζ": "z", "μ": "u",
    # digits and signs that pass for letters
    "0": "o", "1": "l", "i": "l", "|": "l", "3": "e", "5": "s", "$": "s", "8": "b",
    "@": "a", "9": "g", "7": "t", "4": "a",
})


def skeleton(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).casefold()
    # decompose so accents drop away ("é" -> "e"), then map look-alikes
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch)
    )
    mapped = plain.translate(CONFUSABLES)
    mapped = mapped.replace("rn", "m").replace("vv", "w")
    return "".join(ch for ch in mapped if ch.isalnum())[:200]
