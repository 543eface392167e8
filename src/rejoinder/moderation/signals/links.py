"""Link count (hold above ``max_links``) and blocked domains (subdomains included)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rejoinder.domain.decision import SignalResult, Submission, Verdict
from rejoinder.moderation.context import ModerationContext

_MD_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+)>", re.IGNORECASE)
_BARE_URL = re.compile(r"\b(?:(?:https?|ftp)://|www\.)[^\s<>\[\]\"'`]+", re.IGNORECASE)
_HOST = re.compile(
    r"(?<![\w@.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62})\b",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\""


def find_links(text: str) -> list[str]:
    """Every link a reader could follow: Markdown links, autolinks and bare URLs, each once."""
    links: list[str] = []

    def take(match: re.Match[str]) -> str:
        links.append(match.group(1))
        return " "

    rest = _AUTOLINK.sub(take, _MD_LINK.sub(take, text))
    links.extend(m.group().rstrip(_TRAILING) for m in _BARE_URL.finditer(rest))
    return links


def host_of(link: str) -> str | None:
    if link.lower().startswith("www."):
        link = "http://" + link
    try:
        host = urlsplit(link).hostname
    except ValueError:
        return None
    return host.rstrip(".").lower() if host else None


def blocked_by(host: str, blocked: tuple[str, ...]) -> str | None:
    for domain in blocked:
        d = domain.strip().lstrip("*").lstrip(".").lower()
        if d and (host == d or host.endswith("." + d)):
            return d
    return None


class LinkSignal:
    name = "links"
    cost = 10

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        settings = context.settings
        links = find_links(submission.text)
        results: list[SignalResult] = []
        hosts = {h for h in map(host_of, links) if h}
        # A blocked domain also counts when merely named ("visit pills.example").
        hosts.update(m.group(1).lower() for m in _HOST.finditer(submission.text))
        if submission.author_website and (site := host_of(submission.author_website)):
            hosts.add(site)
        if settings.blocked_domains:
            hit = sorted({d for h in hosts if (d := blocked_by(h, settings.blocked_domains))})
            results += [
                SignalResult(self.name, 1.0, Verdict.REJECT, f"blocked domain: {d}") for d in hit
            ]
        if settings.max_links >= 0 and len(links) > settings.max_links:
            n = len(links)
            score = min(1.0, n / (2 * settings.max_links + 2))
            label = "link" if n == 1 else "links"
            results.append(SignalResult(self.name, score, Verdict.HOLD, f"{n} {label}"))
        return results
