from __future__ import annotations

from contextlib import aclosing

from rejoinder.domain.states import CommentState
from tests.web.seeding import HELD_SIGNALS, seed_comment


async def _public_texts(client, uri="/post/1"):
    r = await client.get("/api/v1/comments", params={"site": "test", "uri": uri})
    assert r.status_code == 200
    body = r.json()

    def walk(items):
        for item in items:
            yield item["html"]
            yield from walk(item.get("replies", []))

    return " ".join(walk(body.get("comments", body.get("items", []))))


async def test_pending_queue_shows_context_history_and_reasons(dash):
    db = dash.services.db
    parent = await seed_comment(db, "The parent's point", author="Pat",
                                state=CommentState.PUBLISHED)
    await seed_comment(db, "An earlier rejected one", state=CommentState.REJECTED)
    held = await seed_comment(db, "Held *reply*", parent=parent, signals=HELD_SIGNALS)
    client, _ = await dash.login("alice")
    async with aclosing(client):
        page = await client.get("/moderate/test/queue/pending")
    text = page.text
    assert page.status_code == 200
    assert f'id="c{held}"' in text and "<em>reply</em>" in text
    for reason in ("3 links", "suspect word: idiot", "toxicity 0.93"):
        assert reason in text
    assert "in reply to Pat" in text and "parent" in text.split("in reply to Pat")[1][:200]
    assert "0 approved · 1 rejected" in text
    assert "https://blog.example.org/post/1" in text
    assert "default-src 'self'" in page.headers["content-security-policy"]


async def test_approve_from_the_form_publishes_and_logs(dash):
    cid = await seed_comment(dash.services.db, "Worth publishing", signals=HELD_SIGNALS)
    client, csrf = await dash.login("alice")
    async with aclosing(client):
        assert "Worth publishing" not in await _public_texts(client)
        r = await client.post("/moderate/test/act", data={
            "csrf_token": csrf, "do": f"approve:{cid}",
            "back": "/moderate/test/queue/pending"})
        assert r.status_code == 303
        assert r.headers["location"].startswith("/moderate/test/queue/pending?done=")
        assert "Worth publishing" in await _public_texts(client)
        pending = await client.get("/moderate/test/queue/pending")
        assert f'id="c{cid}"' not in pending.text
        audit = await client.get("/moderate/test/audit")
        assert "alice" in audit.text and "approve" in audit.text


async def test_bulk_reject_with_reason_and_search(dash):
    db = dash.services.db
    ids = [await seed_comment(db, f"cheap pills {i}") for i in range(3)]
    keep = await seed_comment(db, "a thoughtful reply", author="Quinn")
    client, csrf = await dash.login("root")
    async with aclosing(client):
        found = await client.get("/moderate/test/queue/pending", params={"q": "pills"})
        assert found.text.count('class="item ') == 3
        by_author = await client.get("/moderate/test/queue/pending", params={"author": "quin"})
        assert by_author.text.count('class="item ') == 1
        r = await client.post("/moderate/test/act", data={
            "csrf_token": csrf, "do": "bulk:reject", "reason": "advertising",
            "ids": [str(i) for i in ids]})
        assert r.status_code == 303
        rejected = await client.get("/api/v1/moderate/test/queues/rejected")
        assert sorted(i["id"] for i in rejected.json()["items"]) == sorted(ids)
        pending = (await client.get("/api/v1/moderate/test/queues/pending")).json()
        assert [i["id"] for i in pending["items"]] == [keep]
        assert pending["counts"]["rejected"] == 3
        audit = (await client.get("/api/v1/moderate/test/audit")).json()["entries"]
        assert {e["reason"] for e in audit if e["action"] == "reject"} == {"advertising"}


async def test_reported_queue_and_flags_resolved_by_approval(dash):
    cid = await seed_comment(dash.services.db, "Controversial but fine",
                             state=CommentState.PUBLISHED, flags=2)
    client, csrf = await dash.login("alice")
    async with aclosing(client):
        reported = (await client.get("/api/v1/moderate/test/queues/reported")).json()
        assert [i["id"] for i in reported["items"]] == [cid]
        assert [f["reason"] for f in reported["items"][0]["flags"]] == ["harassment"] * 2
        r = await client.post(f"/api/v1/moderate/test/comments/{cid}/approve",
                              headers={"X-CSRF-Token": csrf})
        assert r.json()["resolved_flags"] == 2
        assert (await client.get("/api/v1/moderate/test/queues/reported")).json()["items"] == []


async def test_settings_form_is_stored_where_moderation_reads_it(dash):
    client, csrf = await dash.login("alice")
    async with aclosing(client):
        r = await client.post("/moderate/test/settings", data={
            "csrf_token": csrf, "mode": "pre_new", "new_commenter_threshold": "3",
            "max_links": "1", "banned_words": "viagra\ncasino", "suspect_words": "idiot",
            "blocked_domains": "spam.example", "post_per_ip_limit": "4",
            "post_per_ip_window": "30", "flags_to_hide": "2",
            "score_thresholds": "toxicity 0.8 0.97", "origins": "https://blog.example.org",
        })
        assert r.status_code == 200 and "Saved." in r.text
        bad = await client.post("/moderate/test/settings", data={
            "csrf_token": csrf, "mode": "pre", "score_thresholds": "toxicity high"})
        assert bad.status_code == 422
        api = (await client.get("/api/v1/moderate/test/settings")).json()
    from rejoinder.moderation.settings import site_settings

    dash.services.sites.forget()
    settings = site_settings(await dash.services.sites.require("test"))
    assert settings.mode.value == "pre_new" and settings.new_commenter_threshold == 3
    assert settings.banned_words == ("viagra", "casino")
    assert settings.post_per_ip.limit == 4 and settings.post_per_ip.window_seconds == 30
    assert settings.score_thresholds["toxicity"].reject == 0.97
    assert api["moderation"]["flags_to_hide"] == 2


async def test_edit_ban_and_stats_pages(dash):
    cid = await seed_comment(dash.services.db, "typo teh")
    client, csrf = await dash.login("alice")
    async with aclosing(client):
        r = await client.post(f"/moderate/test/comments/{cid}/edit",
                              data={"csrf_token": csrf, "text": "typo **the**"})
        assert r.status_code == 303
        item = (await client.get(f"/api/v1/moderate/test/comments/{cid}")).json()
        assert "<strong>the</strong>" in item["html"]
        r = await client.post("/moderate/test/act", data={
            "csrf_token": csrf, "do": f"ban:{cid}", f"ban_kind_{cid}": "email_domain",
            f"ban_days_{cid}": "7"})
        assert r.status_code == 303
        bans = (await client.get("/moderate/test/bans")).text
        assert "mail.spam.example" in bans
        stats = (await client.get("/api/v1/moderate/test/stats")).json()
        assert stats["total"] == 1 and stats["held"] == 1 and len(stats["per_day"]) == 14
        assert (await client.get("/moderate/test/stats")).status_code == 200


async def test_moderator_api_is_in_the_openapi_document(dash):
    async with dash.client() as client:
        spec = (await client.get("/api/v1/openapi.json")).json()
    paths = spec["paths"]
    assert "/api/v1/moderate/{site}/queues/{queue}" in paths
    assert "/api/v1/moderate/{site}/comments/{comment_id}/{action}" in paths
    params = {p["name"] for p in paths["/api/v1/moderate/{site}/bulk"]["post"]["parameters"]}
    assert "x-csrf-token" in params
    assert not any(p.startswith("/moderate") for p in paths)
