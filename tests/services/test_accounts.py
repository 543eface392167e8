from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from rejoinder.errors import RejoinderError
from rejoinder.services.accounts import LOCK_AFTER, LOGIN_FAILED, AccountService
from rejoinder.services.sites import SiteDirectory
from rejoinder.store.account_tables import sessions, users

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse battery"


@pytest.fixture
async def accounts(db):
    sites = SiteDirectory(db)
    await sites.add("test", "Test", [])
    return AccountService(db, sites, FAST)


async def test_add_authenticate_and_site_rights(accounts):
    made = await accounts.add_user("alice", PASSWORD, "moderator", ["test"])
    assert made.site_keys == ("test",) and not made.is_admin
    me = await accounts.authenticate("alice", PASSWORD)
    site = await accounts.sites.require("test")
    assert me.can_act_on(site.id) and not me.can_act_on(site.id + 1)
    with pytest.raises(RejoinderError) as err:
        await accounts.add_user("alice", PASSWORD, "admin", [])
    assert err.value.code == "user_exists"
    with pytest.raises(RejoinderError) as err:
        await accounts.add_user("carol", "short", "admin", [])
    assert err.value.code == "weak_password"
    with pytest.raises(RejoinderError) as err:
        await accounts.add_user("dave", PASSWORD, "moderator", ["missing"])
    assert err.value.code == "unknown_site"


async def test_lockout_and_unlock_by_new_password(accounts):
    await accounts.add_user("alice", PASSWORD, "moderator", [])
    for _ in range(LOCK_AFTER):
        with pytest.raises(RejoinderError):
            await accounts.authenticate("alice", "wrong wrong")
    with pytest.raises(RejoinderError) as err:
        await accounts.authenticate("alice", PASSWORD)
    assert err.value.detail == LOGIN_FAILED
    listed = await accounts.list_users()
    assert listed[0].locked_until > datetime.now(UTC) + timedelta(minutes=14)
    await accounts.set_password("alice", "another good one")
    assert (await accounts.authenticate("alice", "another good one")).username == "alice"


async def test_hash_is_upgraded_when_parameters_change(db, accounts):
    await accounts.add_user("alice", PASSWORD, "moderator", [])
    stronger = AccountService(db, accounts.sites,
                              PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    await stronger.authenticate("alice", PASSWORD)
    async with db.read() as conn:
        stored = (await conn.execute(select(users.c.password_hash))).scalar_one()
    assert "m=2048,t=2" in stored
    assert (await stronger.authenticate("alice", PASSWORD)).username == "alice"


async def test_sessions_store_only_a_hash_and_end(db, accounts):
    me = await accounts.add_user("alice", PASSWORD, "admin", [])
    token, session = await accounts.start_session(me)
    async with db.read() as conn:
        ids = (await conn.execute(select(sessions.c.id))).scalars().all()
    assert ids == [session.id] and token not in ids
    assert (await accounts.session(token)).moderator.username == "alice"
    assert await accounts.session("forged") is None
    await accounts.end_session(session)
    assert await accounts.session(token) is None
    token, _ = await accounts.start_session(me)
    async with db.write() as conn:
        await conn.execute(update(sessions).values(
            last_seen=datetime.now(UTC) - timedelta(days=1)))
    assert await accounts.session(token) is None  # idle too long
    token, _ = await accounts.start_session(me)
    await accounts.remove_user("alice")
    assert await accounts.session(token) is None
