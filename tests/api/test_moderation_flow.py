"""The moderation pipeline as a commenter meets it through the API."""

from __future__ import annotations

from sqlalchemy import select

from rejoinder.store.tables import comments, decisions
from tests.conftest import RELAXED
from tests.helpers import post


async def stored_rows(client):
    async with client.services.db.read() as conn:
        return (await conn.execute(select(comments.c.id, comments.c.state))).all()


async def test_pre_moderation_holds_and_records_reasons(client_factory):
    client = await client_factory(site_settings={**RELAXED, "mode": "pre"})
    r = await post(client, "Please hold me")
    assert r.status_code == 201
    body = r.json()
    assert body["held"] is True and body["comment"]["state"] == "pending"
    assert body["message"] == "Your comment is awaiting moderation."
    page = await client.get("/api/v1/comments", params={"site": "test", "uri": "/post/1"})
    assert page.json()["total"] == 0 and page.json()["comments"] == []
    async with client.services.db.read() as conn:
        row = (await conn.execute(select(decisions.c.verdict, decisions.c.signals))).one()
    assert row.verdict == "hold"
    assert any("review" in s["reason"] for s in row.signals)


async def test_banned_word_is_rejected_with_a_neutral_message(client_factory):
    client = await client_factory(site_settings={**RELAXED, "banned_words": ["scumbag"]})
    r = await post(client, "You are a s.c.u.m.b.a.g and everyone knows it")
    assert r.status_code == 403
    assert r.json()["code"] == "comment_rejected"
    assert "scumbag" not in r.text and "word" not in r.json()["detail"].lower()
    assert await stored_rows(client) == []


async def test_suspect_word_and_links_hold(client_factory):
    client = await client_factory(site_settings={**RELAXED, "suspect_words": ["idiot"],
                                                 "max_links": 1})
    held = await post(client, "what an 1d10t take")
    assert held.json()["held"] is True
    links = await post(client, "see https://a.example and https://b.example and https://c.example")
    assert links.json()["held"] is True
    fine = await post(client, "A perfectly civil disagreement about the budget.")
    assert fine.json()["held"] is False


async def test_honeypot_rejects_and_fast_post_holds(client_factory):
    import time

    client = await client_factory()
    bot = await post(client, "buy now", hp="http://spam.example")
    assert bot.status_code == 403 and bot.json()["code"] == "comment_rejected"
    fast = await post(client, "typed at superhuman speed", loaded_at=time.time())
    assert fast.json()["held"] is True
    normal = await post(client, "took my time writing this", loaded_at=time.time() - 30)
    assert normal.json()["held"] is False


async def test_rate_limit_answers_429_before_writing(client_factory):
    client = await client_factory(site_settings={"post_per_ip": [3, 60]})
    codes = [(await post(client, f"burst number {n} with enough words")).status_code
             for n in range(6)]
    assert codes[:3] == [201, 201, 201] and set(codes[3:]) == {429}
    limited = await post(client, "one more")
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    assert len(await stored_rows(client)) == 3


async def test_duplicate_repost_is_held(client_factory):
    client = await client_factory()
    text = "This exact sentence is being posted again and again by the same person."
    first = await post(client, text, email="same@example.org")
    second = await post(client, text, email="same@example.org", uri="/post/2")
    assert first.json()["held"] is False
    assert second.json()["held"] is True


async def test_flags_from_distinct_readers_hide_until_review(client_factory):
    client = await client_factory(site_settings={**RELAXED, "flags_to_hide": 2})
    cid = (await post(client, "controversial")).json()["comment"]["id"]
    for voter, expected_total in (("r1", 1), ("r1", 1), ("r2", 0)):
        r = await client.post(f"/api/v1/comments/{cid}/flag", json={"reason": "spam"},
                              headers={"X-Rejoinder-Voter": voter})
        assert r.status_code == 202, r.text
        page = await client.get("/api/v1/comments", params={"site": "test", "uri": "/post/1"})
        assert page.json()["total"] == expected_total
    bad = await client.post(f"/api/v1/comments/{cid}/flag", json={"reason": "because"})
    assert bad.status_code == 422


async def test_flags_are_rate_limited(client_factory):
    client = await client_factory(site_settings={**RELAXED, "flag_per_ip": [2, 600],
                                                 "flags_to_hide": 100})
    cid = (await post(client, "flag me")).json()["comment"]["id"]
    codes = [(await client.post(f"/api/v1/comments/{cid}/flag", json={"reason": "other"},
                                headers={"X-Rejoinder-Voter": f"v{n}"})).status_code
             for n in range(4)]
    assert codes == [202, 202, 429, 429]


async def test_site_config(client):
    r = await client.get("/api/v1/sites/test/config")
    assert r.status_code == 200
    assert r.json()["edit_window_seconds"] == 900 and r.json()["nudge"] is True
