"""Email-link sign-in, tokens, reserved names, sign-in rules for guests, and profiles."""

from __future__ import annotations

import re
import secrets
import statistics
import time

import pytest

from rejoinder.identity.providers import Profile
from rejoinder.notify.worker import OutboxWorker
from tests.conftest import RELAXED
from tests.mailbox import Mailbox
from tests.notify.conftest import notify_config

IDENTITY = {"methods": ["guest", "email"]}


def settings(**identity):
    return {**RELAXED, "min_seconds_to_post": 0, "identity": {**IDENTITY, **identity}}



@pytest.fixture
async def app(client_factory):
    return await client_factory(site_settings=settings())


def waiter() -> str:
    return secrets.token_hex(16)


async def deliver(app, mailbox: Mailbox) -> None:
    await OutboxWorker(app.services.db, notify_config(mailbox)).run_once()


def link_in(mailbox: Mailbox, to: str) -> str:
    message = next(m for m in reversed(mailbox.messages) if m["To"] == to)
    found = re.search(r"http://testserver(/signin/link\?t=\S+)",
                      message.get_body(("plain",)).get_content())
    assert found
    return found.group(1)


async def email_signin(app, mailbox: Mailbox, email: str = "reader@example.org") -> dict:
    wait = waiter()
    asked = await app.post("/api/v1/signin/email",
                           json={"site": "test", "email": email, "waiter": wait})
    assert asked.status_code == 202, asked.text
    pending = await app.post("/api/v1/signin/email/wait", json={"waiter": wait})
    assert pending.status_code == 202
    await deliver(app, mailbox)
    link = link_in(mailbox, email)
    page = await app.get(link)
    assert page.status_code == 200 and 'method="post"' in page.text
    token = link.split("t=", 1)[1]
    used = await app.post("/signin/link", data={"t": token})
    assert used.status_code == 200, used.text
    done = await app.post("/api/v1/signin/email/wait", json={"waiter": wait})
    assert done.status_code == 200
    body = done.json()
    body["link"] = token
    body["waiter"] = wait
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def post(app, name: str | None = "Guest", headers=None, **extra):
    body = {"site": "test", "uri": "/p", "text": "An opinion.", **extra}
    if name is not None:
        body["name"] = name
    return await app.post("/api/v1/comments", json=body, headers=headers or {})


async def test_email_link_signs_in_once(app, mailbox):
    signed = await email_signin(app, mailbox)
    assert signed["profile"]["email"] == "reader@example.org"
    assert signed["profile"]["name"] == "Reader"
    again = await app.post("/signin/link", data={"t": signed["link"]})
    assert again.status_code == 410
    assert 'data-code="link_used_or_expired"' in again.text
    # the waiting window collects once
    twice = await app.post("/api/v1/signin/email/wait", json={"waiter": signed["waiter"]})
    assert twice.status_code == 202


async def test_link_is_stored_hashed_and_expires(app, mailbox):
    from sqlalchemy import select, update

    from rejoinder.store.identity_tables import signin_links

    wait = waiter()
    await app.post("/api/v1/signin/email",
                   json={"site": "test", "email": "late@example.org", "waiter": wait})
    await deliver(app, mailbox)
    token = link_in(mailbox, "late@example.org").split("t=", 1)[1]
    async with app.services.db.write() as conn:
        stored = (await conn.execute(select(signin_links.c.link_hash))).scalars().all()
        assert token not in stored and len(stored[0]) == 64
        await conn.execute(update(signin_links).values(expires=signin_links.c.created))
    expired = await app.post("/signin/link", data={"t": token})
    assert expired.status_code == 410


async def test_same_answer_for_known_and_unknown_addresses(app, mailbox):
    await email_signin(app, mailbox, "known@example.org")
    known = await app.post("/api/v1/signin/email",
                           json={"site": "test", "email": "known@example.org", "waiter": waiter()})
    unknown = await app.post("/api/v1/signin/email", json={
        "site": "test", "email": "nobody@example.org", "waiter": waiter()})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert set(known.headers) == set(unknown.headers)


async def test_timing_does_not_tell_known_from_unknown(client_factory):
    # lenient on purpose: medians within a factor of three (the work is the same either way)
    app = await client_factory(site_settings=settings(), signin_link_per_address=1000)
    await app.services.signin.account_from_profile(
        await app.services.sites.require("test"),
        Profile(provider="email", subject="known@example.org", display_name="Known",
                email="known@example.org", email_verified=True),
    )
    app.services.signin.limiter.hit = _never_limited

    async def measure(email: str) -> float:
        start = time.perf_counter()
        r = await app.post("/api/v1/signin/email",
                           json={"site": "test", "email": email, "waiter": waiter()})
        assert r.status_code == 202
        return time.perf_counter() - start

    known, unknown = [], []
    for _ in range(15):
        known.append(await measure("known@example.org"))
        unknown.append(await measure(f"u{secrets.token_hex(4)}@example.org"))
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 1 / 3 < ratio < 3


async def _never_limited(key, limit, window):
    return None


async def test_requests_are_rate_limited_per_address(client_factory):
    app = await client_factory(site_settings=settings(), signin_link_per_address=2)
    codes = [
        (await app.post("/api/v1/signin/email", json={
            "site": "test", "email": "flood@example.org", "waiter": waiter()})).status_code
        for _ in range(3)
    ]
    assert codes == [202, 202, 429]
    other = await app.post("/api/v1/signin/email",
                           json={"site": "test", "email": "calm@example.org", "waiter": waiter()})
    assert other.status_code == 202


async def test_email_method_must_be_enabled(client_factory):
    app = await client_factory(site_settings=settings(methods=["guest"]))
    r = await app.post("/api/v1/signin/email",
                       json={"site": "test", "email": "a@example.org", "waiter": waiter()})
    assert r.status_code == 403
    assert r.json()["code"] == "signin_method_not_allowed"


async def test_signed_in_comment_and_reserved_name(app, mailbox):
    signed = await email_signin(app, mailbox, "ann.smith@example.org")
    renamed = await app.patch("/api/v1/me", json={"name": "Ann Smith"},
                              headers=bearer(signed["token"]))
    assert renamed.status_code == 200 and renamed.json()["name"] == "Ann Smith"
    mine = await post(app, name=None, headers=bearer(signed["token"]))
    assert mine.status_code == 201
    assert mine.json()["comment"]["author"] == {
        "name": "Ann Smith", "website": None, "avatar": mine.json()["comment"]["author"]["avatar"],
        "badge": "verified",
    }
    listing = (await app.get("/api/v1/comments",
                             params={"site": "test", "uri": "/p"})).json()
    [shown] = [c for c in listing["comments"] if c["id"] == mine.json()["comment"]["id"]]
    assert shown["author"]["badge"] == "verified"  # also after a reload, not only when posted
    for impostor in ("Ann Smith", "ann smith", "Аnn Smith", "Ann 5mith", "ANN SM1TH"):
        refused = await post(app, name=impostor)
        assert refused.status_code == 409, impostor
        assert refused.json()["code"] == "name_reserved"
    assert (await post(app, name="Ann Smythe")).status_code == 201


async def test_token_replayed_after_sign_out_is_refused(app, mailbox):
    signed = await email_signin(app, mailbox)
    assert (await app.get("/api/v1/me", headers=bearer(signed["token"]))).status_code == 200
    out = await app.post("/api/v1/signin/signout", headers=bearer(signed["token"]))
    assert out.status_code == 204
    me = await app.get("/api/v1/me", headers=bearer(signed["token"]))
    assert me.status_code == 401 and me.json()["code"] == "token_invalid"
    replay = await post(app, name=None, headers=bearer(signed["token"]))
    assert replay.status_code == 401


async def test_sign_out_everywhere_revokes_every_token(app, mailbox):
    first = await email_signin(app, mailbox)
    second = await email_signin(app, mailbox)
    assert first["profile"]["id"] == second["profile"]["id"]
    out = await app.post("/api/v1/signin/signout-all", headers=bearer(first["token"]))
    assert out.json() == {"revoked": 2}
    assert (await app.get("/api/v1/me", headers=bearer(second["token"]))).status_code == 401


async def test_garbage_token_is_refused(app):
    r = await post(app, headers=bearer("rj_not-a-token"))
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


async def test_guest_rules_of_the_site(client_factory):
    app = await client_factory(site_settings=settings(require_signin=True))
    r = await post(app)
    assert r.status_code == 401 and r.json()["code"] == "signin_required"
    app2 = await client_factory(site="named", site_settings=settings(guest_name="required",
                                                                     guest_email="required"))
    base = {"site": "named", "uri": "/p", "text": "Hello there."}
    r = await app2.post("/api/v1/comments", json=base)
    assert r.status_code == 422 and r.json()["code"] == "name_required"
    r = await app2.post("/api/v1/comments", json={**base, "name": "Bo"})
    assert r.status_code == 422 and r.json()["code"] == "email_required"
    r = await app2.post("/api/v1/comments", json={**base, "name": "Bo", "email": "b@example.org"})
    assert r.status_code == 201


async def test_options_show_the_methods(app):
    r = await app.get("/api/v1/signin/options", params={"site": "test"})
    assert r.json()["methods"] == ["guest", "email"]
    assert r.json()["require_signin"] is False


async def test_guest_comments_are_claimed_listed_and_deleted(app, mailbox):
    guest = await post(app, name="Wanderer")
    foreign = await post(app, name="Someone")
    signed = await email_signin(app, mailbox)
    forged = f"{foreign.json()['comment']['id']}.9999999999.AAAA"
    claimed = await app.post("/api/v1/me/claim", headers=bearer(signed["token"]), json={
        "edit_tokens": [guest.json()["edit_token"], forged]})
    assert claimed.json() == {"claimed": [guest.json()["comment"]["id"]]}
    listed = await app.get("/api/v1/me/comments", params={"site": "test"},
                           headers=bearer(signed["token"]))
    assert [c["id"] for c in listed.json()["comments"]] == [guest.json()["comment"]["id"]]
    page = (await app.get("/api/v1/comments", params={"site": "test", "uri": "/p"})).json()
    assert any(c["author"]["name"] == "Reader" for c in page["comments"])
    gone = await app.delete(f"/api/v1/me/comments/{foreign.json()['comment']['id']}",
                            headers=bearer(signed["token"]))
    assert gone.status_code == 404
    deleted = await app.delete(f"/api/v1/me/comments/{guest.json()['comment']['id']}",
                               headers=bearer(signed["token"]))
    assert deleted.json()["state"] == "deleted"


async def test_account_deletion_keeps_the_thread(app, mailbox):
    signed = await email_signin(app, mailbox, "leaving@example.org")
    top = await post(app, name=None, headers=bearer(signed["token"]))
    reply = await post(app, name="Answerer", parent=top.json()["comment"]["id"])
    assert reply.status_code == 201
    assert (await app.delete("/api/v1/me", headers=bearer(signed["token"]))).status_code == 204
    page = (await app.get("/api/v1/comments", params={"site": "test", "uri": "/p"})).json()
    placeholder = page["comments"][0]
    assert placeholder["state"] == "deleted" and placeholder["author"] is None
    assert placeholder["replies"][0]["author"]["name"] == "Answerer"
    assert (await app.get("/api/v1/me", headers=bearer(signed["token"]))).status_code == 401
    from sqlalchemy import select

    from rejoinder.store.tables import authors
    async with app.services.db.read() as conn:
        emails = (await conn.execute(select(authors.c.email))).scalars().all()
    assert "leaving@example.org" not in emails
    # the name is free again
    assert (await post(app, name="Leaving")).status_code == 201
