"""Every moderator endpoint refuses anonymous users, moderators of other sites and missing CSRF."""

from __future__ import annotations

from contextlib import aclosing
from datetime import timedelta

import pytest

from rejoinder.domain.states import CommentState
from rejoinder.services.accounts import Moderator, Role
from rejoinder.store import comments as comment_store
from tests.web.seeding import seed_comment

QUEUES = ("pending", "reported", "spam", "rejected", "recent")
PAGES = [f"/moderate/test/queue/{q}" for q in QUEUES] + [
    "/moderate/test/comments/{cid}/edit", "/moderate/test/settings", "/moderate/test/bans",
    "/moderate/test/audit", "/moderate/test/stats",
]
FORMS = [
    ("/moderate/test/act", {"do": "approve:{cid}"}),
    ("/moderate/test/act", {"do": "bulk:approve", "ids": "{cid}"}),
    ("/moderate/test/act", {"do": "ban:{cid}", "ban_kind_{cid}": "ip"}),
    ("/moderate/test/comments/{cid}/edit", {"text": "rewritten"}),
    ("/moderate/test/settings", {"mode": "pre"}),
    ("/moderate/test/bans", {"kind": "ip", "value": "192.0.2.9"}),
    ("/moderate/test/bans/{ban}/delete", {}),
]
API_READS = [
    "/api/v1/moderate/test/queues/pending", "/api/v1/moderate/test/comments/{cid}",
    "/api/v1/moderate/test/bans", "/api/v1/moderate/test/audit",
    "/api/v1/moderate/test/stats", "/api/v1/moderate/test/settings",
]
API_WRITES = [
    ("POST", "/api/v1/moderate/test/comments/{cid}/approve", {}),
    ("POST", "/api/v1/moderate/test/comments/{cid}/close", {}),
    ("PATCH", "/api/v1/moderate/test/comments/{cid}", {"text": "rewritten"}),
    ("POST", "/api/v1/moderate/test/bulk", {"action": "spam", "ids": ["{cid}"]}),
    ("POST", "/api/v1/moderate/test/bans", {"kind": "ip", "value": "192.0.2.9"}),
    ("DELETE", "/api/v1/moderate/test/bans/{ban}", None),
    ("PUT", "/api/v1/moderate/test/settings", {"mode": "pre"}),
]


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [int(_fill(v, ids)) for v in value]
    if isinstance(value, dict):
        return {_fill(k, ids): _fill(v, ids) for k, v in value.items()}
    return value


@pytest.fixture
async def target(dash):
    cid = await seed_comment(dash.services.db, "held for review")
    root = Moderator(0, "root", Role.ADMIN, frozenset())
    actions = dash.app.state.dashboard_services.actions
    ban = await actions.ban(root, "test", kind="ip", value="192.0.2.1",
                            duration=timedelta(days=1))
    return {"cid": cid, "ban": ban.id}


async def _unchanged(dash, ids):
    async with dash.services.db.read() as conn:
        comment = await comment_store.comment_by_id(conn, ids["cid"])
    assert comment.state is CommentState.PENDING and comment.text == "held for review"
    site = await dash.services.sites.require("test")
    assert site.settings.get("mode") in (None, "post")
    bans = await dash.app.state.dashboard_services.actions.bans(
        Moderator(0, "root", Role.ADMIN, frozenset()), "test")
    assert [b.id for b in bans] == [ids["ban"]]


async def test_anonymous_is_sent_to_login_or_refused_everywhere(dash, target):
    async with dash.client() as client:
        for path in PAGES:
            r = await client.get(_fill(path, target))
            assert r.status_code == 303, path
            assert r.headers["location"].startswith("/moderate/login?next=%2Fmoderate"), path
        for path, data in FORMS:
            r = await client.post(_fill(path, target), data=_fill(data, target))
            assert (r.status_code, r.json()["code"]) == (403, "login_required"), path
        for path in [*API_READS, "/api/v1/moderate/sites"]:
            r = await client.get(_fill(path, target))
            assert (r.status_code, r.json()["code"]) == (403, "login_required"), path
        for method, path, body in API_WRITES:
            r = await client.request(method, _fill(path, target), json=_fill(body, target))
            assert (r.status_code, r.json()["code"]) == (403, "login_required"), path
    await _unchanged(dash, target)


async def test_moderator_of_another_site_is_refused_everywhere(dash, target):
    client, csrf = await dash.login("bob")
    async with aclosing(client):
        for path in PAGES:
            r = await client.get(_fill(path, target))
            assert (r.status_code, r.json()["code"]) == (403, "forbidden_site"), path
        for path, data in FORMS:
            r = await client.post(_fill(path, target),
                                  data={**_fill(data, target), "csrf_token": csrf})
            assert (r.status_code, r.json()["code"]) == (403, "forbidden_site"), path
        for path in API_READS:
            r = await client.get(_fill(path, target))
            assert (r.status_code, r.json()["code"]) == (403, "forbidden_site"), path
        for method, path, body in API_WRITES:
            r = await client.request(method, _fill(path, target), json=_fill(body, target),
                                     headers={"X-CSRF-Token": csrf})
            assert (r.status_code, r.json()["code"]) == (403, "forbidden_site"), path
        sites = (await client.get("/api/v1/moderate/sites")).json()
        assert [s["key"] for s in sites["sites"]] == ["other"]
    await _unchanged(dash, target)


async def test_changes_without_the_csrf_token_are_refused(dash, target):
    client, csrf = await dash.login("alice")
    async with aclosing(client):
        for path, data in FORMS:
            for token in (None, "wrong-token", csrf[:-2]):
                fields = _fill(data, target)
                if token:
                    fields["csrf_token"] = token
                r = await client.post(_fill(path, target), data=fields)
                assert (r.status_code, r.json()["code"]) == (403, "csrf_failed"), path
        for method, path, body in API_WRITES:
            r = await client.request(method, _fill(path, target), json=_fill(body, target))
            assert (r.status_code, r.json()["code"]) == (403, "csrf_failed"), path
        # the right token from another origin is refused too
        r = await client.post(f"/api/v1/moderate/test/comments/{target['cid']}/approve",
                              headers={"X-CSRF-Token": csrf,
                                       "Origin": "https://blog.example.org"})
        assert (r.status_code, r.json()["code"]) == (403, "csrf_failed")
    await _unchanged(dash, target)


async def test_the_same_requests_work_for_the_sites_moderator(dash, target):
    client, csrf = await dash.login("alice")
    async with aclosing(client):
        for path in PAGES:
            assert (await client.get(_fill(path, target))).status_code == 200, path
        for path in API_READS:
            assert (await client.get(_fill(path, target))).status_code == 200, path
        r = await client.post(f"/api/v1/moderate/test/comments/{target['cid']}/approve",
                              headers={"X-CSRF-Token": csrf,
                                       "Origin": "https://testserver"})
        assert r.status_code == 200 and r.json()["state"] == "published"
