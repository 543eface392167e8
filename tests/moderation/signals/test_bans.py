from __future__ import annotations

from datetime import timedelta

import pytest

from rejoinder.domain.decision import Verdict
from rejoinder.moderation.signals.bans import (
    Ban,
    BanKind,
    BanSignal,
    InMemoryBanList,
    email_domains,
    ip_matches,
)


def bans(*items: Ban) -> BanSignal:
    store = InMemoryBanList()
    for ban in items:
        store.add("blog", ban)
    return BanSignal(store)


async def reasons(signal: BanSignal, sub, ctx) -> list[str]:
    results = await signal.assess(sub, ctx)
    assert all(r.suggests is Verdict.REJECT and r.score == 1.0 for r in results)
    return [r.reason for r in results]


async def test_author_ban(make_submission, make_context) -> None:
    signal = bans(Ban(BanKind.AUTHOR, "author-1"))
    assert await reasons(signal, make_submission(), make_context()) == ["banned author: author-1"]
    assert await reasons(signal, make_submission(author_key="author-2"), make_context()) == []


async def test_ban_on_another_site_does_not_apply(make_submission, make_context) -> None:
    store = InMemoryBanList()
    store.add("other", Ban(BanKind.AUTHOR, "author-1"))
    assert await BanSignal(store).assess(make_submission(), make_context()) == []


async def test_email_domain_ban_covers_subdomains(make_submission, make_context) -> None:
    signal = bans(Ban(BanKind.EMAIL_DOMAIN, "mailinator.com"))
    sub = make_submission(author_email="x@Eu.Mailinator.COM")
    assert await reasons(signal, sub, make_context()) == ["banned email domain: mailinator.com"]
    sub = make_submission(author_email="x@notmailinator.com")
    assert await reasons(signal, sub, make_context()) == []


@pytest.mark.parametrize(
    ("ip", "rule", "hit"),
    [
        ("203.0.113.9", "203.0.113.9", True),
        ("203.0.113.9", "203.0.113.0/24", True),
        ("203.0.114.9", "203.0.113.0/24", False),
        ("::ffff:203.0.113.9", "203.0.113.0/24", True),
        ("2001:db8::1", "2001:db8::/32", True),
        ("2001:db9::1", "2001:db8::/32", False),
        ("not an ip", "203.0.113.0/24", False),
    ],
)
def test_ip_matches(ip: str, rule: str, hit: bool) -> None:
    assert ip_matches(ip, rule) is hit


async def test_network_ban(make_submission, make_context) -> None:
    signal = bans(Ban(BanKind.IP, "198.51.100.0/24", note="spam wave"))
    assert await reasons(signal, make_submission(), make_context()) == [
        "banned network: 198.51.100.0/24 — spam wave"
    ]
    assert await reasons(signal, make_submission(ip=None), make_context()) == []


async def test_expired_ban_is_ignored(make_submission, make_context, now) -> None:
    until = now + timedelta(hours=1)
    signal = bans(
        Ban(BanKind.IP, "198.51.100.7", expires_at=now - timedelta(seconds=1)),
        Ban(BanKind.AUTHOR, "author-1", expires_at=until),
    )
    assert await reasons(signal, make_submission(), make_context()) == [
        f"banned author: author-1 (until {until.isoformat(timespec='minutes')})"
    ]


def test_email_domains() -> None:
    assert email_domains("a@mail.Example.co.uk") == ["mail.example.co.uk", "example.co.uk", "co.uk"]
    assert email_domains("nobody") == []
    assert email_domains(None) == []


async def test_ip_rules_follow_changes(make_submission, make_context) -> None:
    store = InMemoryBanList()
    signal = BanSignal(store)
    store.add("blog", Ban(BanKind.IP, "10.0.0.0/8"))
    assert await reasons(signal, make_submission(), make_context()) == []
    store.add("blog", Ban(BanKind.IP, "198.51.100.0/25"))
    store.add("blog", Ban(BanKind.IP, "2001:db8::/32"))
    assert await reasons(signal, make_submission(), make_context()) == [
        "banned network: 198.51.100.0/25"
    ]
    assert await reasons(signal, make_submission(ip="198.51.100.200"), make_context()) == []
    assert await reasons(signal, make_submission(ip="2001:db8:1::9"), make_context()) == [
        "banned network: 2001:db8::/32"
    ]
