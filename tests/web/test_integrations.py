"""The webhooks, import and privacy pages: who may use them, and that they do what they say."""

from __future__ import annotations

import json
import re
from contextlib import aclosing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rejoinder.domain.states import CommentState
from rejoinder.notify.worker import OutboxWorker
from rejoinder.services.notifications import WebhookDirectory
from rejoinder.services.privacy import author_data
from rejoinder.store import comments as comment_store
from rejoinder.store.tables import comments
from tests.notify.test_webhooks import Receiver
from tests.web.seeding import seed_comment

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "importers"
PAGES = ["/moderate/test/webhooks", "/moderate/test/import", "/moderate/test/privacy"]
FORMS = [
    ("/moderate/test/webhooks", {"url": "https://hooks.example.org/x"}),
    ("/moderate/test/webhooks/{hook}/disable", {}),
    ("/moderate/test/webhooks/{hook}/remove", {}),
    ("/moderate/test/privacy", {"email": "mallory@mail.spam.example"}),
    ("/moderate/test/privacy/export", {"email": "mallory@mail.spam.example"}),
    ("/moderate/test/privacy/erase", {"email": "mallory@mail.spam.example", "confirm": "erase"}),
]
COUNT = re.compile(r'data-count="([a-z-]+)">(\d+)<')


def counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in COUNT.findall(html)}


async def _site(dash):
    return await dash.services.sites.require("test")


@pytest.fixture
async def target(dash):
    """A webhook and an author on site "test" that refused requests must leave in place."""
    site = await _site(dash)
    hook = await WebhookDirectory(dash.services.db).add(site, "https://hooks.example.org/a")
    cid = await seed_comment(dash.services.db, "mine", state=CommentState.PUBLISHED)
    return {"hook": hook.id, "cid": cid}


async def _unchanged(dash, ids) -> None:
    hooks = await WebhookDirectory(dash.services.db).all(await _site(dash))
    assert [(h.id, h.active) for h in hooks] == [(ids["hook"], True)]
    async with dash.services.db.read() as conn:
        assert (await comment_store.comment_by_id(conn, ids["cid"])).text == "mine"


async def _import(client, csrf: str, name: str, fmt: str, content: bytes | None = None):
    body = content if content is not None else (FIXTURES / name).read_bytes()
    return await client.post("/moderate/test/import",
                             data={"csrf_token": csrf, "format": fmt},
                             files={"file": (name, body, "application/octet-stream")})


async def _comment_count(dash) -> int:
    async with dash.services.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(comments))).scalar())


async def test_anonymous_is_sent_to_login_or_refused(dash, target):
    async with dash.client() as client:
        for path in PAGES:
            r = await client.get(path)
            assert r.status_code == 303, path
            assert r.headers["location"].startswith("/moderate/login?next=%2Fmoderate"), path
        for path, data in FORMS:
            r = await client.post(path.format(**target), data=data)
            assert (r.status_code, r.json()["code"]) == (403, "login_required"), path
        r = await _import(client, "x", "disqus.xml", "disqus")
        assert (r.status_code, r.json()["code"]) == (403, "login_required")
    await _unchanged(dash, target)
    assert await _comment_count(dash) == 1


async def test_moderator_of_another_site_is_refused(dash, target):
    client, csrf = await dash.login("bob")
    async with aclosing(client):
        for path in PAGES:
            r = await client.get(path)
            assert (r.status_code, r.json()["code"]) == (403, "forbidden_site"), path
        for path, data in FORMS:
            r = await client.post(path.format(**target), data={**data, "csrf_token": csrf})
            assert (r.status_code, r.json()["code"]) == (403, "forbidden_site"), path
        r = await _import(client, csrf, "disqus.xml", "disqus")
        assert (r.status_code, r.json()["code"]) == (403, "forbidden_site")
    await _unchanged(dash, target)
    assert await _comment_count(dash) == 1


async def test_changes_without_the_csrf_token_are_refused(dash, target):
    client, csrf = await dash.login("root")
    async with aclosing(client):
        for path, data in FORMS:
            for token in (None, "wrong-token", csrf[:-2]):
                fields = dict(data)
                if token:
                    fields["csrf_token"] = token
                r = await client.post(path.format(**target), data=fields)
                assert (r.status_code, r.json()["code"]) == (403, "csrf_failed"), path
        r = await _import(client, "wrong-token", "disqus.xml", "disqus")
        assert (r.status_code, r.json()["code"]) == (403, "csrf_failed")
    await _unchanged(dash, target)
    assert await _comment_count(dash) == 1


async def test_the_sites_moderator_may_look_but_not_import_or_erase(dash, target):
    client, csrf = await dash.login("alice")
    async with aclosing(client):
        for path in PAGES:
            page = await client.get(path)
            assert page.status_code == 200, path
            for link in PAGES:
                assert f'href="{link}"' in page.text
        r = await _import(client, csrf, "disqus.xml", "disqus")
        assert (r.status_code, r.json()["code"]) == (403, "admin_only")
        r = await client.post("/moderate/test/privacy/erase", data={
            "csrf_token": csrf, "email": "mallory@mail.spam.example", "confirm": "erase"})
        assert (r.status_code, r.json()["code"]) == (403, "admin_only")
        found = await client.post("/moderate/test/privacy", data={
            "csrf_token": csrf, "email": "MALLORY@mail.spam.example"})
        assert counts(found.text) == {"authors": 1, "comments": 1}
        assert "Erase…" not in found.text
    await _unchanged(dash, target)


async def test_add_a_webhook_and_see_its_delivery(dash):
    receiver = Receiver()
    try:
        client, csrf = await dash.login("alice")
        async with aclosing(client):
            r = await client.post("/moderate/test/webhooks", data={
                "csrf_token": csrf, "url": receiver.url, "format": "json",
                "events": ["comment.approved", "comment.rejected"]})
            assert r.status_code == 201, r.text
            secret = re.search(r"data-secret>([^<]+)<", r.text).group(1)
            site = await _site(dash)
            (hook,) = await WebhookDirectory(dash.services.db).all(site)
            assert hook.secret == secret and hook.events == ["comment.approved",
                                                             "comment.rejected"]
            listing = await client.get("/moderate/test/webhooks")
            assert receiver.url in listing.text and secret not in listing.text
            assert "Nothing delivered yet." in listing.text

            cid = await seed_comment(dash.services.db, "approve me")
            async with dash.services.db.write() as conn:
                await comment_store.update_comment(conn, cid, state=CommentState.PUBLISHED)
                await dash.services.notifications.enqueue_for_state_change(
                    conn, site, cid, "approved")
            worker = OutboxWorker(dash.services.db, dash.services.notifications.cfg)
            try:
                stats = await worker.run_once()
            finally:
                await worker.stop()
            assert stats.sent == 1
            assert json.loads(receiver.requests[0][1])["comment"]["id"] == cid

            log = await client.get("/moderate/test/webhooks")
            rows = log.text.split('class="log deliveries"')[1]
            assert "comment.approved" in rows and "<td>200</td>" in rows
            assert "<code>ok</code>" in rows and " ms</td>" in rows

            r = await client.post(f"/moderate/test/webhooks/{hook.id}/disable",
                                  data={"csrf_token": csrf})
            assert r.status_code == 303
            (hook,) = await WebhookDirectory(dash.services.db).all(site)
            assert hook.active is False
            bad = await client.post("/moderate/test/webhooks", data={
                "csrf_token": csrf, "url": "ftp://nope", "format": "json"})
            assert bad.status_code == 422 and 'role="alert"' in bad.text
            r = await client.post(f"/moderate/test/webhooks/{hook.id}/remove",
                                  data={"csrf_token": csrf})
            assert r.status_code == 303
            assert await WebhookDirectory(dash.services.db).all(site) == []
    finally:
        receiver.close()


async def test_a_webhook_of_another_site_cannot_be_changed_from_this_one(dash):
    other = await dash.services.sites.require("other")
    hook = await WebhookDirectory(dash.services.db).add(other, "https://hooks.example.org/o")
    client, csrf = await dash.login("root")
    async with aclosing(client):
        r = await client.post(f"/moderate/test/webhooks/{hook.id}/remove",
                              data={"csrf_token": csrf})
        assert (r.status_code, r.json()["code"]) == (404, "webhook_not_found")
    assert [h.id for h in await WebhookDirectory(dash.services.db).all(other)] == [hook.id]


async def test_import_an_upload_and_see_the_report(dash):
    client, csrf = await dash.login("root")
    async with aclosing(client):
        r = await _import(client, csrf, "disqus.xml", "disqus")
        assert r.status_code == 200, r.text
        shown = counts(r.text)
        assert shown["imported"] > 0 and shown["threads"] > 0 and shown["skipped"] >= 1
        assert shown["imported"] == await _comment_count(dash)
        table = r.text.split('class="log skipped"')[1]
        assert table.count("<td>skipped</td>") == shown["skipped"]
        assert table.count("<td>kept at top level</td>") == shown["reattached"]
        again = await _import(client, csrf, "disqus.xml", "disqus")
        assert counts(again.text)["already"] == shown["imported"]
        assert counts(again.text)["imported"] == 0
    assert await _comment_count(dash) == shown["imported"]


async def test_a_broken_or_wrong_file_imports_nothing(dash):
    client, csrf = await dash.login("root")
    async with aclosing(client):
        for name, fmt, content in [
            ("broken.xml", "disqus", (FIXTURES / "disqus.xml").read_bytes()[:700]),
            ("wordpress.xml", "disqus", None),
            ("billion_laughs.xml", "wordpress", None),
            ("empty.xml", "disqus", b""),
        ]:
            r = await _import(client, csrf, name, fmt, content)
            assert r.status_code == 422, name
            assert 'role="alert"' in r.text and "data-count" not in r.text, name
    assert await _comment_count(dash) == 0


async def test_look_up_download_and_erase_an_author(dash):
    db = dash.services.db
    parent = await seed_comment(db, "first words", state=CommentState.PUBLISHED)
    await seed_comment(db, "an answer", author="Pat", email="pat@example.org",
                       state=CommentState.PUBLISHED, parent=parent)
    await seed_comment(db, "alone", state=CommentState.PUBLISHED, uri="/post/2")
    email = "mallory@mail.spam.example"
    client, csrf = await dash.login("root")
    async with aclosing(client):
        found = await client.post("/moderate/test/privacy",
                                  data={"csrf_token": csrf, "email": email})
        assert counts(found.text) == {"authors": 1, "comments": 2}
        download = await client.post("/moderate/test/privacy/export",
                                     data={"csrf_token": csrf, "email": email})
        assert "attachment" in download.headers["content-disposition"]
        assert sorted(c["text"] for c in download.json()["comments"]) == ["alone",
                                                                          "first words"]
        confirm = await client.post("/moderate/test/privacy/erase",
                                    data={"csrf_token": csrf, "email": email})
        assert confirm.status_code == 200 and 'name="confirm" value="erase"' in confirm.text
        assert len((await author_data(db, await _site(dash), email))["comments"]) == 2
        done = await client.post("/moderate/test/privacy/erase",
                                 data={"csrf_token": csrf, "email": email, "confirm": "erase"})
        assert counts(done.text) == {"removed": 1, "placeholders": 1, "erased-authors": 1}
    assert (await author_data(db, await _site(dash), email))["comments"] == []
    async with db.read() as conn:
        kept = await comment_store.comment_by_id(conn, parent)
    assert kept.state is CommentState.DELETED and kept.text == ""
    assert await _comment_count(dash) == 2


async def test_an_upload_over_the_size_cap_is_refused(dash, monkeypatch):
    from rejoinder.web.dashboard import integrations

    monkeypatch.setattr(integrations, "MAX_UPLOAD", 1000)
    client, csrf = await dash.login("root")
    async with aclosing(client):
        streamed = await _import(client, csrf, "disqus.xml", "disqus")  # caught while copying
        declared = await _import(client, csrf, "big.xml", "disqus", b"x" * (2 * 2**20))
        for r in (streamed, declared):
            assert r.status_code == 413 and "larger than 0 MB" in r.text
    assert await _comment_count(dash) == 0
