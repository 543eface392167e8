"""Bans by author key, IP address or network (CIDR) and email domain, with optional expiry."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
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

    async def lookup(
        self, site_key: str, *, author_key: str, email_domains: Sequence[str], with_ip: bool
    ) -> tuple[list[Ban], list[Ban]]:
        """Author bans for ``author_key`` and email-domain bans whose value is in
        ``email_domains`` (the domain and its parents, lower-case); then, when ``with_ip``
        (else empty), every IP/CIDR ban of the site (containment is tested by the caller, not
        in SQL). A store answers both with one query."""
        ...


class InMemoryBanList:
    def __init__(self) -> None:
        self._keyed: dict[tuple[str, BanKind, str], list[Ban]] = {}
        self._ip: dict[str, list[Ban]] = {}

    def add(self, site_key: str, ban: Ban) -> None:
        if ban.kind is BanKind.IP:
            self._ip.setdefault(site_key, []).append(ban)
        else:
            value = ban.value if ban.kind is BanKind.AUTHOR else ban.value.lower()
            self._keyed.setdefault((site_key, ban.kind, value), []).append(ban)

    async def find(
        self, site_key: str, *, author_key: str, email_domains: Sequence[str]
    ) -> list[Ban]:
        keys = [(site_key, BanKind.AUTHOR, author_key)]
        keys += [(site_key, BanKind.EMAIL_DOMAIN, d) for d in email_domains]
        return [ban for key in keys for ban in self._keyed.get(key, ())]

    async def ip_rules(self, site_key: str) -> list[Ban]:
        return list(self._ip.get(site_key, ()))

    async def lookup(
        self, site_key: str, *, author_key: str, email_domains: Sequence[str], with_ip: bool
    ) -> tuple[list[Ban], list[Ban]]:
        found = await self.find(site_key, author_key=author_key, email_domains=email_domains)
        return found, (await self.ip_rules(site_key) if with_ip else [])


def email_domains(email: str | None) -> list[str]:
    """``a@mail.Example.com`` → ``["mail.example.com", "example.com"]`` (no bare TLD)."""
    if not email or "@" not in email:
        return []
    domain = email.rsplit("@", 1)[1].strip().strip(".").lower()
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or ([domain] if domain else [])


_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=65_536)
def _network(rule: str) -> _Network | None:
    try:
        return ipaddress.ip_network(rule.strip(), strict=False)
    except ValueError:
        return None


def _address(ip: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


class IpRules:
    """IP bans grouped by prefix length: a lookup masks the address once per length present."""

    def __init__(self, bans: Sequence[Ban]) -> None:
        self._groups: dict[tuple[int, int], dict[int, Ban]] = {}
        for ban in bans:
            network = _network(ban.value)
            if network is not None:
                group = self._groups.setdefault((network.version, network.prefixlen), {})
                group.setdefault(int(network.network_address), ban)

    def matching(self, ip: str) -> list[Ban]:
        address = _address(ip)
        if address is None:
            return []
        value, bits = int(address), address.max_prefixlen
        found = []
        for (version, prefixlen), group in self._groups.items():
            if version == address.version:
                masked = value >> (bits - prefixlen) << (bits - prefixlen)
                if (ban := group.get(masked)) is not None:
                    found.append(ban)
        return found


def ip_matches(ip: str, rule: str) -> bool:
    return bool(IpRules([Ban(BanKind.IP, rule)]).matching(ip))


class BanSignal:
    name = "ban"
    cost = 5

    def __init__(self, bans: BanList) -> None:
        self.bans = bans
        self._rules: dict[str, tuple[tuple[Ban, ...], IpRules]] = {}

    def _compiled(self, site_key: str, rules: Sequence[Ban]) -> IpRules:
        """Compiled again only when the site's IP bans change."""
        key = tuple(rules)
        cached = self._rules.get(site_key)
        if cached is None or cached[0] != key:
            if len(self._rules) > 1_000:
                self._rules.clear()
            cached = self._rules[site_key] = (key, IpRules(rules))
        return cached[1]

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        now = context.now
        site = submission.site_key
        found, rules = await self.bans.lookup(
            site, author_key=submission.author_key,
            email_domains=email_domains(submission.author_email), with_ip=bool(submission.ip),
        )
        if submission.ip:
            found += self._compiled(site, rules).matching(submission.ip)
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
