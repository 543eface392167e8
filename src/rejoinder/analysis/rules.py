"""Hand-written rules: each returns a feature value in [0, 1] and, when it fires, what matched.

Rules read the normalised text (see ``normalize``) so obfuscated spellings match too; the link
and capitals features read the original text because normalisation lower-cases it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_GROUPS = (r"(?:immigrants?|migrants?|refugees?|muslims?|jews?|christians?|blacks?|whites?|"
           r"asians?|arabs?|africans?|mexicans?|russians?|ukrainians?|americans?|gays?|"
           r"lesbians?|trans(?:gender)? people|women|feminists?|gypsies|roma|poles|chinese|"
           r"indians?|catholics?|atheists?|liberals|conservatives|foreigners)")
_VERMIN = (r"(?:vermin|rats|cockroaches|roaches|parasites|subhumans?|sub-humans?|animals|"
           r"savages|filth|scum|a disease|a plague|a cancer|lice|apes|monkeys|invaders)")

THREAT = re.compile(
    r"\b(?:should|ought to|must|deserves? to|needs? to|will|gonna|are going to) be "
    r"(?:shot|hanged|hung|killed|executed|lynched|strung up|beheaded|burned|gassed|"
    r"put down|put against (?:a|the) wall|wiped out|exterminated)\b(?! down\b)"
    r"|\bhang(?:ing|ed)? (?:them |him |her |all |these |those |\w+ )?(?:from|on) "
    r"(?:the )?(?:lanterns?|lamp ?posts?|trees?|street ?lights?|bridges?)\b"
    r"|\b(?:i|we)(?:'ll| will| am going to| are going to| gonna|'m going to|'m gonna) "
    r"(?:kill|shoot|stab|hunt down|find|burn|hurt|beat|strangle|end) (?:you|him|her|them|your)\b"
    r"|\bdeserves? (?:to die|a bullet|the rope|to be shot)\b"
    r"|\b(?:bullet|knife|rope) (?:in|through|for|around) (?:your|his|her|their)\b"
    r"|\bsomeone (?:should|needs to|ought to) (?:shoot|kill|stab|hang|burn|take out)\b"
    r"|\b(?:line them up|against the wall|kill (?:them|all of them|every one)|"
    r"burn (?:them|their houses|it all down)|know where you live)\b"
)
DEHUMANISING = re.compile(
    rf"\b{_GROUPS}\b[^.!?]{{0,40}}\b(?:are|is|=|being|like)\b[^.!?]{{0,20}}\b{_VERMIN}\b"
    rf"|\b{_VERMIN}\b[^.!?]{{0,20}}\b(?:like|these|those|all) {_GROUPS}\b"
    rf"|\b(?:deport|expel|ban|remove|get rid of|drive out|kick out) (?:all |every |the )?"
    rf"{_GROUPS}\b"
)
INSULT = re.compile(
    r"\b(?:you(?:'re| are|r)?|ur|u r|what an?|such an?|typical|this|go away|shut up),?"
    r" (?:\w+ ){0,3}?(?:idiot|moron|imbecile|cretin|clown|loser|retard(?:ed)?|stupid|dumb|"
    r"dumbass|dimwit|halfwit|fool|troll|shill|bot|scum|pig|coward|joke|brainwashed|pathetic|"
    r"ignorant|liar|hack|muppet|donkey|ass|jerk|lowlife|degenerate|parasite)s?\b"
    r"|\b(?:shut up|get lost|go to hell|crawl back|nobody asked you|kill yourself|kys)\b"
)
SPAM_TERMS = re.compile(
    r"\b(?:viagra|cialis|levitra|tramadol|xanax|oxycodone|pharmacy|no prescription|"
    r"pills?|casino|betting|jackpot|bitcoin|crypto|forex|investment|investing|passive income|"
    r"earn|per day|per week|work from home|click here|visit|dm me|whatsapp|telegram|promo|"
    r"discount|coupon|free trial|limited offer|lose weight|weight loss|followers|seo|backlinks|"
    r"loan|cheap|buy now|order now|sign up|subscribe|check out my|my channel|giveaway)\b"
)
PRICE = re.compile(r"(?:[$€£]\s?\d[\d,.]*|\d[\d,.]*\s?(?:usd|dollars|euros?|%\s*off|k/month))",
                   re.IGNORECASE)
LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|biz|info|ru|xyz|top|io|ly)"
                  r"(?:/\S*)?\b", re.IGNORECASE)
_TOKEN = re.compile(r"[a-z]{4,}")
_CONSONANT_RUN = re.compile(r"[^aeiouy]{5,}")
_ONLY_VOWELS = str.maketrans(dict.fromkeys("bcdfghjklmnpqrstvwxz"))  # deletes consonants


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule: str
    value: float
    matched: str


def _match(rule: str, pattern: re.Pattern[str], text: str) -> RuleHit:
    m = pattern.search(text)
    return RuleHit(rule, 1.0 if m else 0.0, m.group(0) if m else "")


def _gibberish(norm: str) -> RuleHit:
    tokens = _TOKEN.findall(norm)
    if len(tokens) < 3:
        return RuleHit("gibberish", 0.0, "")
    odd = [t for t in tokens if len(t.translate(_ONLY_VOWELS)) / len(t) < 0.2
           or _CONSONANT_RUN.search(t)]
    share = len(odd) / len(tokens)
    return RuleHit("gibberish", share if share >= 0.3 else 0.0, " ".join(odd[:3]))


def _caps(text: str) -> RuleHit:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 12:
        return RuleHit("caps", 0.0, "")
    share = sum(c.isupper() for c in letters) / len(letters)
    return RuleHit("caps", share if share > 0.6 else 0.0, f"{share:.0%} capitals")


def evaluate_rules(text: str, norm: str) -> list[RuleHit]:
    """All rule features in a fixed order (see ``RULE_NAMES``)."""
    links = LINK.findall(text)
    spam = SPAM_TERMS.findall(norm)
    prices = PRICE.findall(norm)
    return [
        _match("threat_phrase", THREAT, norm),
        _match("dehumanising", DEHUMANISING, norm),
        _match("insult", INSULT, norm),
        RuleHit("spam_terms", min(len(spam) / 3, 1.0), ", ".join(dict.fromkeys(spam))[:80]),
        RuleHit("price", min(len(prices) / 2, 1.0), ", ".join(prices[:3])),
        RuleHit("links", min(len(links) / 2, 1.0), f"{len(links)} link(s)" if links else ""),
        _caps(text),
        _gibberish(norm),
    ]


RULE_NAMES: tuple[str, ...] = tuple(h.rule for h in evaluate_rules("", ""))
