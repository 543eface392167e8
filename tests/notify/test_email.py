from __future__ import annotations

from sqlalchemy import select

from rejoinder.store import comments as comment_store
from rejoinder.store import outbox as outbox_store
from rejoinder.store.tables import audit_log, threads
from tests.notify.helpers import body_text, hold, links_in, post_and_notify, run_outbox


async def test_reply_email_has_unsubscribe_headers_and_the_link_works(notify_client, mailbox):
    client = notify_client
    parent = await post_and_notify(client, "First", name="Ann", email="ann@example.org",
                                   notify=True, title="An essay")
    reply = await post_and_notify(client, "I *disagree*", parent=parent, name="Bob",
                                  email="bob@example.org")
    assert await run_outbox(client) == (1, 0)
    assert len(mailbox.messages) == 1
    message = mailbox.messages[0]
    assert message["To"] == "ann@example.org"
    assert message["From"] == "Comments <comments@example.org>"
    assert "Bob replied" in message["Subject"] and "An essay" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("http://testserver/api/v1/notify/unsubscribe/")
    assert "I *disagree*" in body_text(message)
    html = message.get_body(("html",)).get_content()
    assert "<em>disagree</em>" in html and f"#rejoinder-{reply}" in html
    # one email per reply: a second pass and a repeated hook add nothing
    await post_and_notify(client, "again", parent=parent, name="Bob", email="bob@example.org")
    site = await client.services.sites.require("test")
    from tests.notify.helpers import notes_of
    async with client.services.db.write() as conn:
        assert await notes_of(client).enqueue_for_new_comment(conn, site, reply) == 0
    assert await run_outbox(client) == (1, 0)
    assert len(mailbox.messages) == 2
    # GET only shows a confirmation; the one-click POST unsubscribes
    path = unsubscribe.removeprefix("http://testserver")
    page = await client.get(path)
    assert page.status_code == 200 and "<form method=\"post\"" in page.text
    async with client.services.db.read() as conn:
        assert (await comment_store.comment_by_id(conn, parent)).notify
    done = await client.post(path, content="List-Unsubscribe=One-Click")
    assert done.status_code == 200
    async with client.services.db.read() as conn:
        assert not (await comment_store.comment_by_id(conn, parent)).notify
    await post_and_notify(client, "third", parent=parent, name="Bob", email="bob@example.org")
    assert await run_outbox(client) == (0, 0)
    tampered = await client.post(path[:-3] + "abc")
    assert tampered.status_code == 403 and tampered.json()["code"] == "link_invalid"


async def test_no_email_for_own_replies_or_without_opt_in(notify_client, mailbox):
    client = notify_client
    parent = await post_and_notify(client, "Mine", name="Ann", email="ann@example.org",
                                   notify=True)
    await post_and_notify(client, "Answering myself", parent=parent, name="Ann",
                          email="ANN@example.org")
    quiet = await post_and_notify(client, "No mail please", name="Cy", email="cy@example.org")
    await post_and_notify(client, "Reply to Cy", parent=quiet, name="Bob", email="b@example.org")
    assert await run_outbox(client) == (0, 0)
    assert mailbox.messages == []


async def test_held_comment_mails_moderators_and_links_moderate(notify_client, mailbox):
    client = notify_client
    comment = await post_and_notify(client, "Buy now", name="Spammer", title="Post")
    assert await hold(client, comment, ("2 links", "new author")) == 1
    assert await run_outbox(client) == (1, 0)
    message = mailbox.messages[0]
    assert message["To"] == "mod@example.org"
    text = body_text(message)
    assert "2 links; new author" in text and "Buy now" in text
    approve, reject = links_in(message)
    assert "/notify/moderate/" in approve and approve != reject
    async with client.services.db.read() as conn:
        version = (await conn.execute(select(threads.c.version))).scalar_one()
    assert (await client.get(approve)).status_code == 200
    async with client.services.db.read() as conn:  # GET changes nothing
        assert (await comment_store.comment_by_id(conn, comment)).state.value == "pending"
    done = await client.post(approve)
    assert done.status_code == 200 and "published" in done.text
    async with client.services.db.read() as conn:
        assert (await comment_store.comment_by_id(conn, comment)).state.value == "published"
        assert (await conn.execute(select(threads.c.version))).scalar_one() == version + 1
        actors = (await conn.execute(
            select(audit_log.c.actor, audit_log.c.to_state).where(audit_log.c.action == "approve")
        )).all()
    assert [tuple(a) for a in actors] == [("email link", "published")]
    again = await client.post(reject)
    assert again.status_code == 200 and "Already moderated" in again.text
    async with client.services.db.read() as conn:
        assert (await comment_store.comment_by_id(conn, comment)).state.value == "published"


async def test_expired_moderation_link_is_refused(notify_client, mailbox):
    from rejoinder.notify import links

    client = notify_client
    comment = await post_and_notify(client, "Held")
    token = links.sign(client.services.signer, links.MODERATE, {"c": comment, "do": "reject"},
                       ttl=-1)
    response = await client.post(f"/api/v1/notify/moderate/{token}")
    assert response.status_code == 403 and response.json()["code"] == "link_expired"


async def test_templates_follow_the_site_language(notify_client, mailbox):
    client = notify_client
    await client.services.sites.update("test", settings={"language": "uk"})
    parent = await post_and_notify(client, "Перший", name="Оля", email="o@example.org",
                                   notify=True, title="Есей")
    await post_and_notify(client, "Відповідь", parent=parent, name="Тарас",
                          email="t@example.org")
    assert await run_outbox(client) == (1, 0)
    subject = mailbox.messages[0]["Subject"]
    assert subject == "Тарас відповідає на ваш коментар до «Есей»"
    assert "Читати обговорення" in body_text(mailbox.messages[0])


async def test_smtp_outage_keeps_rows_and_delivers_once_when_back(notify_client, mailbox):
    client = notify_client
    parent = await post_and_notify(client, "Top", name="Ann", email="ann@example.org",
                                   notify=True)
    await post_and_notify(client, "Reply", parent=parent, name="Bob", email="b@example.org")
    mailbox.stop()
    assert await run_outbox(client) == (0, 1)
    async with client.services.db.read() as conn:
        [row] = await outbox_store.rows(conn, kind="email")
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    assert await run_outbox(client) == (0, 0)  # backing off: not due yet
    mailbox.start()
    assert await run_outbox(client) == (0, 0)
    async with client.services.db.write() as conn:
        from sqlalchemy import update

        from rejoinder.store.notify_tables import outbox
        await conn.execute(update(outbox).values(next_attempt_at=row.next_attempt_at.replace(
            year=2000)))
    assert await run_outbox(client) == (1, 0)
    assert await run_outbox(client) == (0, 0)
    assert len(mailbox.messages) == 1
    async with client.services.db.read() as conn:
        [row] = await outbox_store.rows(conn, kind="email")
    assert row.sent_at is not None and row.attempts == 2 and row.last_error is None
