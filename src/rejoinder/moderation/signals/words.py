"""Banned words (suggest REJECT) and suspect words (suggest HOLD), per site.

Matching is on whole words after folding (see ``moderation.text``), so "Scunthorpe", "class" or
"assessment" never match a short entry hidden inside them. Obfuscations are undone before lookup:
leet digits ("1d10t"), look-alike letters ("іdіоt" in Cyrillic), stretched letters ("idiooot"),
and words split by dots, dashes or spaces ("i.d.i.o.t", "i d i o t"). An entry ending in ``*``
matches words starting with it ("idiot*"); entries of several words are phrases.

Lists are compiled once into hash tables and cached by content, so a 10,000-word list costs a
few dictionary look-ups per word of the comment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rejoinder.domain.decision import SignalResult, Submission, Verdict
from rejoinder.moderation.context import ModerationContext
from rejoinder.moderation.text import Token, deleet, fold, squeeze, tokens

_REPEAT = re.compile(r"(.)\1")
_MAX_CHAIN = 40


@dataclass(frozen=True, slots=True)
class WordMatch:
    entry: str  # the list entry as the site wrote it
    verdict: Verdict
    written: str  # how the comment wrote it (folded)


@dataclass(frozen=True, slots=True)
class _Entry:
    text: str
    verdict: Verdict


_Note = Callable[[_Entry | None, int, int], None]


class WordMatcher:
    def __init__(self, banned: Iterable[str], suspect: Iterable[str]) -> None:
        self._exact: dict[str, _Entry] = {}
        self._squeezed: dict[str, list[tuple[tuple[int, ...], _Entry]]] = {}
        self._prefixes: dict[str, _Entry] = {}
        self._phrases: dict[str, _Entry] = {}
        self._phrase_prefixes: set[str] = set()
        # Suspect first so a word on both lists ends up banned.
        for verdict, words in ((Verdict.HOLD, suspect), (Verdict.REJECT, banned)):
            for word in words:
                self._add(word.strip(), verdict)
        lengths = [len(p) for p in self._prefixes]
        self._prefix_range = (min(lengths), max(lengths)) if lengths else (0, -1)

    def __bool__(self) -> bool:
        return bool(self._exact or self._prefixes or self._phrases)

    def _add(self, word: str, verdict: Verdict) -> None:
        prefix = word.endswith("*")
        parts = [t.text for t in tokens(fold(word.rstrip("*")))]
        if not parts:
            return
        entry = _Entry(word, verdict)
        if len(parts) > 1:
            joined = "".join(parts)
            self._phrases[joined] = entry
            self._phrase_prefixes.update(joined[:n] for n in range(1, len(joined) + 1))
        elif prefix:
            self._prefixes[parts[0]] = entry
        else:
            self._exact[parts[0]] = entry
            key, runs = squeeze(parts[0])
            self._squeezed.setdefault(key, []).append((runs, entry))

    def lookup(self, word: str) -> _Entry | None:
        """The entry a single (already folded) word matches, if any."""
        found = self._exact.get(word)
        if found is not None:
            return found
        if _REPEAT.search(word) is not None:
            key, runs = squeeze(word)
            for wanted, entry in self._squeezed.get(key, ()):
                if all(have >= need for have, need in zip(runs, wanted, strict=True)):
                    return entry
        low, high = self._prefix_range
        for size in range(low, min(len(word), high) + 1):
            found = self._prefixes.get(word[:size])
            if found is not None:
                return found
        return None

    def _lookup_any(self, word: str) -> _Entry | None:
        found = self.lookup(word)
        if found is None:
            for variant in deleet(word):
                found = self.lookup(variant)
                if found is not None:
                    break
        return found

    def find(self, text: str) -> list[WordMatch]:
        folded = fold(text)
        toks = list(tokens(folded))
        found: dict[str, WordMatch] = {}

        def note(entry: _Entry | None, start: int, end: int) -> None:
            if entry is not None and entry.text not in found:
                found[entry.text] = WordMatch(entry.text, entry.verdict, folded[start:end])

        for tok in toks:
            note(self._lookup_any(tok.text), tok.start, tok.end)
        for chain in _chains(toks):
            self._scan_chain(chain, note)
        if self._phrases:
            self._scan_phrases(toks, note)
        return sorted(found.values(), key=lambda m: -m.verdict.severity())

    def _scan_chain(self, chain: Sequence[Token], note: _Note) -> None:
        joined = "".join(t.text for t in chain)
        note(self._lookup_any(joined), chain[0].start, chain[-1].end)
        if all(len(t.text) == 1 for t in chain):
            # Spelled-out letters: also look at every run inside ("a i d i o t").
            for i in range(len(chain)):
                for j in range(i + 2, len(chain) + 1):
                    if (i, j) != (0, len(chain)):
                        note(self._lookup_any(joined[i:j]), chain[i].start, chain[j - 1].end)

    def _scan_phrases(self, toks: Sequence[Token], note: _Note) -> None:
        """Phrases are matched with the spaces between words removed, starting and ending on
        word boundaries, so "kill your-self" and "k1ll y o u r s e l f" both match."""
        plain = [t.text for t in toks]
        read = [(deleet(t) or (t,))[0] for t in plain]
        for stream in (plain, read) if read != plain else (plain,):
            for i in range(len(stream)):
                joined = stream[i]
                j = i
                while joined in self._phrase_prefixes:
                    note(self._phrases.get(joined), toks[i].start, toks[j].end)
                    j += 1
                    if j == len(stream):
                        break
                    joined += stream[j]


def _chains(toks: Sequence[Token]) -> list[list[Token]]:
    """Runs of tokens that probably form one obfuscated word."""
    chains: list[list[Token]] = []
    current: list[Token] = []
    for tok in toks:
        prev = current[-1] if current else None
        joins = prev is not None and (
            tok.glued or (tok.spaced and len(tok.text) == 1 and len(prev.text) == 1)
        )
        if joins and len(current) < _MAX_CHAIN:
            current.append(tok)
        else:
            if len(current) > 1:
                chains.append(current)
            current = [tok]
    if len(current) > 1:
        chains.append(current)
    return chains


@lru_cache(maxsize=32)
def compile_words(banned: tuple[str, ...], suspect: tuple[str, ...]) -> WordMatcher:
    return WordMatcher(banned, suspect)


class WordListSignal:
    """Checks the comment text and the author's name against the site's word lists."""

    name = "words"
    cost = 10

    def __init__(self, max_reported: int = 5) -> None:
        self.max_reported = max_reported

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        settings = context.settings
        if not settings.banned_words and not settings.suspect_words:
            return []
        matcher = compile_words(settings.banned_words, settings.suspect_words)
        matches = [(m, "") for m in matcher.find(submission.text)]
        if submission.author_name:
            matches += [(m, " in name") for m in matcher.find(submission.author_name)]
        return [self._result(m, where) for m, where in matches[: self.max_reported]]

    def _result(self, match: WordMatch, where: str) -> SignalResult:
        banned = match.verdict is Verdict.REJECT
        label = "banned word" if banned else "suspect word"
        entry = match.entry.rstrip("*")
        shown = "" if fold(entry) == match.written else f' (as "{match.written}")'
        return SignalResult(
            self.name, 1.0 if banned else 0.6, match.verdict, f"{label}: {entry}{shown}{where}"
        )
