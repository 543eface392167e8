from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rejoinder.services.sites import SiteDirectory
from rejoinder.store import accounts as store


async def test_users_sites_and_failed_logins(db):
    sites = SiteDirectory(db)
    a = await sites.add("a", "A", [])
    b = await sites.add("b", "B", [])
    async with db.write() as conn:
        uid = await store.create_user(conn, "alice", "hash", "moderator", [b.id, a.id, a.id])
        with pytest.raises(store.UserExists):
            async with conn.begin_nested():
                await store.create_user(conn, "alice", "hash", "admin", [])
    async with db.write() as conn:
        row = await store.user_by_username(conn, "alice")
        assert row.site_keys == ["a", "b"] and row.id == uid
        until = datetime.now(UTC) + timedelta(minutes=15)
        assert await store.record_failed_login(conn, uid, lock_after=2, lock_until=until) == 1
        assert await store.record_failed_login(conn, uid, lock_after=2, lock_until=until) == 2
        row = await store.user_by_id(conn, uid)
        assert row.locked_until is not None and row.failed_logins == 0
        await store.set_user_sites(conn, uid, [])
        await store.record_login(conn, uid)
    async with db.read() as conn:
        row = (await store.all_users(conn))[0]
    assert row.site_keys == [] and row.locked_until is None and row.last_login is not None
