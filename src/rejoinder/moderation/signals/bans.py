"""Bans by author key, IP address or network (CIDR) and email domain, with optional expiry."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from rejoinder.domain.decision import SignalResult, Submission, Verdict
from rejoinder.moderation.context import ModerationContext


class BanKind(StrEnum):
    AUTHOR = "author"
    IP = "ip"  # a single address or a CIDR network ("203.0.113.0/24", "2001:db8::/32")
    EMAIL_DOMAIN = "email_domain"  # also bans its subdomains


@dataclass(frozen=True, slots=True)
class Ban:
    kind: BanKind
    value: str
    expires_at: datetime | None = None  # None: permanent
    id: int | None = None
    note: str | None = None  # moderator's own words, shown beside the reason

    def active(self, now: datetime) -> bool:
        return self.expires_at is None or now < self.expires_at


class BanList(Protocol):
    """What the ban signal needs from the store. Expired bans may be returned; they are ignored."""

    async def find(
        self, site_key: str, *, author_key: str, email_domains: Sequence[str]
    ) -> list[Ban]:
        """Author bans for ``author_key`` and email-domain bans whose value is in
        ``email_domains`` (the domain and its parents, lower-case)."""
        ...

    async def ip_rules(self, site_key: str) -> list[Ban]:
        """Every IP/CIDR ban of the site (containment is tested here, not in SQL)."""
        ...


class InMemoryBanList:
    def __init__(self, bans: dict[str, list[Ban]] | None = None) -> None:
        self._bans: dict[str, list[Ban]] = {k: list(v) for k, v in (bans or {}).items()}

    def add(self, site_key: str, ban: Ban) -> None:
        self._bans.setdefault(site_key, []).append(ban)

    async def find(
        self, site_key: str, *, author_key: str, email_domains: Sequence[str]
    ) -> list[Ban]:
        wanted = {(BanKind.AUTHOR, author_key)}
        wanted.update((BanKind.EMAIL_DOMAIN, d) for d in email_domains)
        return [
            b for b in self._bans.get(site_key, [])
            if (b.kind, b.value if b.kind is BanKind.AUTHOR else b.value.lower()) in wanted
        ]

    async def ip_rules(self, site_key: str) -> list[Ban]:
        return [b for b in self._bans.get(site_key, []) if b.kind is BanKind.IP]


def email_domains(email: str | None) -> list[str]:
    """``a@mail.Example.com`` → ``["mail.example.com", "example.com"]`` (no bare TLD)."""
    if not email or "@" not in email:
        return []
    domain = email.rsplit("@", 1)[1].strip().strip(".").lower()
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or ([domain] if domain else [])


def ip_matches(ip: str, rule: str) -> bool:
    try:
        address = ipaddress.ip_address(ip)
        network = ipaddress.ip_network(rule, strict=False)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.version == network.version and address in network


class BanSignal:
    name = "ban"
    cost = 5

    def __init__(self, bans: BanList) -> None:
        self.bans = bans

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        now = context.now
        site = submission.site_key
        found = await self.bans.find(
            site, author_key=submission.author_key,
            email_domains=email_domains(submission.author_email),
        )
        if submission.ip:
            rules = await self.bans.ip_rules(site)
            found += [b for b in rules if ip_matches(submission.ip, b.value)]
        return [
            SignalResult(self.name, 1.0, Verdict.REJECT, _reason(ban, now))
            for ban in found
            if ban.active(now)
        ]


def _reason(ban: Ban, now: datetime) -> str:
    what = {
        BanKind.AUTHOR: "banned author",
        BanKind.IP: "banned IP" if "/" not in ban.value else "banned network",
        BanKind.EMAIL_DOMAIN: "banned email domain",
    }[ban.kind]
    text = f"{what}: {ban.value}"
    if ban.expires_at is not None:
        text += f" (until {ban.expires_at.isoformat(timespec='minutes')})"
    if ban.note:
        text += f" — {ban.note}"
    return text
