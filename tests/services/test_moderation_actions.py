from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from rejoinder.domain.states import CommentState
from rejoinder.errors import RejoinderError
from rejoinder.live.memory import MemoryBus
from rejoinder.services.accounts import Moderator, Role
from rejoinder.services.moderation_actions import ModerationActions, StoreBanList
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.validation import Limits
from rejoinder.store import comments as comment_store
from rejoinder.store import moderation_queries as mq
from rejoinder.store.account_tables import bans, moderation_labels
from rejoinder.store.tables import audit_log, flags, threads
from tests.web.seeding import HELD_SIGNALS, seed_comment

ADMIN = Moderator(1, "root", Role.ADMIN, frozenset())


@pytest.fixture
async def actions(db):
    sites = SiteDirectory(db)
    await sites.add("test", "Test", ["https://blog.example.org"])
    await sites.add("other", "Other", ["https://other.example.org"])
    return ModerationActions(db, sites, MemoryBus(), limits=Limits(10000, 80, 254, 500))


async def _version(db, comment_id):
    async with db.read() as conn:
        c = await comment_store.comment_by_id(conn, comment_id)
        return (await conn.execute(select(threads.c.version).where(
            threads.c.id == c.thread_id))).scalar_one(), c


async def test_approve_resolves_flags_labels_audits_and_bumps(db, actions):
    cid = await seed_comment(db, "Held with [a](https://a.example)", signals=HELD_SIGNALS,
                             flags=2)
    before, _ = await _version(db, cid)
    done = await actions.act(ADMIN, "test", cid, "approve")
    assert done.state == "published" and done.resolved_flags == 2
    after, comment = await _version(db, cid)
    assert after > before and comment.state is CommentState.PUBLISHED
    async with db.read() as conn:
        assert (await conn.execute(select(flags.c.resolved))).scalars().all() == [True, True]
        labels = (await conn.execute(select(moderation_labels.c.label,
                                            moderation_labels.c.text))).all()
        actions_logged = (await conn.execute(
            select(audit_log.c.actor, audit_log.c.action, audit_log.c.to_state)
            .where(audit_log.c.actor == "root"))).all()
    assert labels == [("approve", "Held with [a](https://a.example)")]
    assert actions_logged == [("root", "approve", "published")]


async def test_reject_with_reason_and_confirmed_flags(db, actions):
    cid = await seed_comment(db, "nasty", state=CommentState.PUBLISHED, flags=1)
    await actions.act(ADMIN, "test", cid, "reject", "personal attack")
    async with db.read() as conn:
        labels = sorted((await conn.execute(select(moderation_labels.c.label))).scalars())
        reason = (await conn.execute(select(audit_log.c.reason).where(
            audit_log.c.action == "reject"))).scalar_one()
    assert labels == ["flag_confirmed", "reject"]
    assert reason == "personal attack"


async def test_moderator_of_another_site_is_refused(db, actions):
    cid = await seed_comment(db, "x")
    other = await SiteDirectory(db).require("other")
    outsider = Moderator(2, "bob", Role.MODERATOR, frozenset({other.id}))
    with pytest.raises(RejoinderError) as err:
        await actions.act(outsider, "test", cid, "approve")
    assert (err.value.status, err.value.code) == (403, "forbidden_site")
    # and a comment of one site cannot be reached through another site's address
    with pytest.raises(RejoinderError) as err:
        await actions.act(outsider, "other", cid, "approve")
    assert err.value.status == 404
    _, comment = await _version(db, cid)
    assert comment.state is CommentState.PENDING


async def test_delete_keeps_the_row_empty_and_blocks_later_approval(db, actions):
    cid = await seed_comment(db, "to go", state=CommentState.PUBLISHED)
    await actions.act(ADMIN, "test", cid, "delete")
    _, comment = await _version(db, cid)
    assert comment.state is CommentState.DELETED and comment.text == "" and comment.html == ""
    with pytest.raises(RejoinderError) as err:
        await actions.act(ADMIN, "test", cid, "approve")
    assert err.value.code == "comment_deleted"


async def test_edit_renders_again(db, actions):
    cid = await seed_comment(db, "old")
    await actions.edit(ADMIN, "test", cid, "**new** <script>x</script>")
    _, comment = await _version(db, cid)
    assert comment.text.startswith("**new**")
    assert "<strong>new</strong>" in comment.html and "<script>" not in comment.html
    assert comment.edited is not None


async def test_bulk_skips_foreign_comments(db, actions):
    ours = [await seed_comment(db, f"spam {i}") for i in range(3)]
    theirs = await seed_comment(db, "elsewhere", site="other")
    done = await actions.bulk(ADMIN, "test", [*ours, theirs, ours[0]], "spam")
    assert [d.comment_id for d in done] == ours
    _, other = await _version(db, theirs)
    assert other.state is CommentState.PENDING


async def test_pin_close_and_author_flags(db, actions):
    cid = await seed_comment(db, "pin me", state=CommentState.PUBLISHED)
    await actions.act(ADMIN, "test", cid, "pin")
    await actions.act(ADMIN, "test", cid, "close")
    await actions.act(ADMIN, "test", cid, "trust")
    await actions.act(ADMIN, "test", cid, "always_hold")
    async with db.read() as conn:
        row = await mq.queue_row(conn, cid)
    assert row.comment.pinned and row.thread_closed and row.trusted and row.always_hold
    await actions.act(ADMIN, "test", cid, "reopen")
    await actions.act(ADMIN, "test", cid, "untrust")
    async with db.read() as conn:
        row = await mq.queue_row(conn, cid)
    assert not row.thread_closed and not row.trusted


async def test_bans_from_a_comment_feed_the_ban_list(db, actions):
    cid = await seed_comment(db, "buy now", email="x@mail.spam.example", ip="198.51.100.23")
    await actions.ban(ADMIN, "test", kind="email_domain", comment_id=cid, reason="spammer")
    await actions.ban(ADMIN, "test", kind="ip", value="203.0.113.0/24",
                      duration=timedelta(days=1))
    author_ban = await actions.ban(ADMIN, "test", kind="author", comment_id=cid,
                                   duration=timedelta(days=7))
    assert author_ban.value == "key-mallory"
    banned = StoreBanList(db)
    hit = await banned.is_banned("test", "someone", None, "joe@spam.example")
    assert hit is None  # the ban is on mail.spam.example, not the parent domain
    hit = await banned.is_banned("test", "someone", None, "joe@mail.spam.example")
    assert hit is not None and hit.value == "mail.spam.example" and hit.note == "spammer"
    assert (await banned.is_banned("test", "someone", "203.0.113.77", None)).kind == "ip"
    assert await banned.is_banned("test", "key-mallory", None, None) is not None
    assert await banned.is_banned("other", "key-mallory", "203.0.113.77", None) is None
    listed = await actions.bans(ADMIN, "test")
    assert len(listed) == 3
    await actions.unban(ADMIN, "test", author_ban.id)
    assert await banned.is_banned("test", "key-mallory", None, None) is None


async def test_lookup_answers_find_and_ip_rules_in_one_read(db, actions):
    cid = await seed_comment(db, "buy now", email="x@mail.spam.example", ip="198.51.100.23")
    await actions.ban(ADMIN, "test", kind="email_domain", comment_id=cid)
    await actions.ban(ADMIN, "test", kind="author", comment_id=cid)
    await actions.ban(ADMIN, "test", kind="ip", value="203.0.113.0/24")
    await actions.ban(ADMIN, "other", kind="ip", value="192.0.2.0/24")
    banned = StoreBanList(db)
    domains = ["mail.spam.example", "spam.example"]
    for with_ip in (True, False):
        found, rules = await banned.lookup("test", author_key="key-mallory",
                                           email_domains=domains, with_ip=with_ip)
        assert found == await banned.find("test", author_key="key-mallory",
                                          email_domains=domains)
        assert {b.kind.value for b in found} == {"author", "email_domain"}
        assert rules == (await banned.ip_rules("test") if with_ip else [])
    found, rules = await banned.lookup("test", author_key="nobody", email_domains=[],
                                       with_ip=True)
    assert found == [] and [b.value for b in rules] == ["203.0.113.0/24"]


async def test_expired_bans_do_not_match(db, actions):
    await actions.ban(ADMIN, "test", kind="ip", value="192.0.2.1",
                      duration=timedelta(seconds=1))
    async with db.write() as conn:
        await conn.execute(update(bans).values(expires=datetime.now(UTC) - timedelta(hours=1)))
    assert await StoreBanList(db).is_banned("test", "k", "192.0.2.1", None) is None
    assert await actions.bans(ADMIN, "test") == []


async def test_ban_needs_a_value(db, actions):
    cid = await seed_comment(db, "no ip", ip=None)
    with pytest.raises(RejoinderError) as err:
        await actions.ban(ADMIN, "test", kind="ip", comment_id=cid)
    assert err.value.code == "invalid_ban_value"
    with pytest.raises(RejoinderError) as err:
        await actions.ban(ADMIN, "test", kind="nonsense", value="x")
    assert err.value.code == "invalid_ban_kind"
