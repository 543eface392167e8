# ruff: noqa: F811  (fixtures imported from tests/notify/conftest.py)
from __future__ import annotations

from sqlalchemy import select

from rejoinder.services import privacy
from rejoinder.store.tables import authors, comments
from tests.helpers import post
from tests.notify.conftest import notify_client  # noqa: F401
from tests.notify.helpers import URL, body_text, notes_of, post_and_notify, run_outbox


async def test_erasure_keeps_thread_shape_and_removes_personal_data(client):
    services = client.services
    site = await services.sites.require("test")
    top = (await post(client, "Ann's top", name="Ann", email="ann@example.org",
                      website="https://ann.example")).json()["comment"]["id"]
    reply = (await post(client, "Bob answers", parent=top, name="Bob")).json()["comment"]["id"]
    leaf = (await post(client, "Ann's leaf", parent=reply, name="Ann", email="ann@example.org")
            ).json()["comment"]["id"]
    alone = (await post(client, "Ann alone", name="Ann", email="Ann@Example.org")
             ).json()["comment"]["id"]
    data = await privacy.author_data(services.db, site, "ANN@example.org")
    assert [c["id"] for c in data["comments"]] == [top, leaf, alone]
    assert data["comments"][0]["ip"] == "203.0.113.7"
    assert data["authors"][0]["website"] == "https://ann.example"
    done = await privacy.erase_author(services.db, site, "ann@example.org", actor="test")
    assert (done.removed, done.placeholders) == (2, 1)
    async with services.db.read() as conn:
        rows = {r.id: r for r in (await conn.execute(select(comments))).all()}
        people = (await conn.execute(select(authors))).all()
    assert set(rows) == {top, reply}
    kept = rows[top]
    assert (kept.state, kept.text, kept.author_name, kept.author_website, kept.ip,
            kept.author_id) == ("deleted", "", None, None, None, None)
    assert rows[reply].text == "Bob answers" and rows[reply].parent_id == top
    assert all(p.email is None and p.name != "Ann" for p in people)
    assert (await privacy.author_data(services.db, site, "ann@example.org"))["comments"] == []
    listing = (await client.get("/api/v1/comments", params={"site": "test", "uri": "/post/1"}))
    assert "Ann" not in listing.text and "Bob answers" in listing.text


async def test_request_by_email_sends_a_link_only_to_known_addresses(notify_client, mailbox):
    client = notify_client
    await post_and_notify(client, "Mine", name="Ann", email="ann@example.org")
    await post_and_notify(client, "Other", name="Bob", email="bob@example.org")
    answers = []
    for address in ("ann@example.org", "nobody@example.org"):
        response = await client.post("/api/v1/privacy/request",
                                     json={"site": "test", "email": address, "kind": "export"})
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1] and answers[0][0] == 202
    await run_outbox(client)
    assert [m["To"] for m in mailbox.messages] == ["ann@example.org"]
    [link] = URL.findall(body_text(mailbox.messages[0]))
    exported = await client.get(link)
    assert exported.status_code == 200
    assert [c["text"] for c in exported.json()["comments"]] == ["Mine"]
    assert (await client.post(link)).status_code == 404  # an export link erases nothing


async def test_erase_link_confirms_then_erases(notify_client, mailbox):
    client = notify_client
    await post_and_notify(client, "Forget me", name="Ann", email="ann@example.org")
    response = await client.post("/api/v1/privacy/request",
                                 json={"site": "test", "email": "ann@example.org",
                                       "kind": "erase"})
    assert response.status_code == 202
    await run_outbox(client)
    [link] = URL.findall(body_text(mailbox.messages[0]))
    page = await client.get(link)
    assert page.status_code == 200 and "<form" in page.text
    site = await client.services.sites.require("test")
    assert (await privacy.author_data(client.services.db, site, "ann@example.org"))["comments"]
    erased = await client.post(link)
    assert erased.status_code == 200 and erased.json()["removed"] == 1
    assert not (await privacy.author_data(client.services.db, site,
                                          "ann@example.org"))["comments"]
    forged = await client.get(link[:-2] + "xx")
    assert forged.status_code == 403
    assert notes_of(client).cfg.public_url == "http://testserver"
