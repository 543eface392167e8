"""The on-server classifiers as part of posting, and the nudge before posting."""

from __future__ import annotations

from sqlalchemy import select

from rejoinder.store.tables import decisions
from tests.helpers import post


async def test_threat_is_held_with_the_classifier_reason(client_factory):
    client = await client_factory(classifiers=True)
    civil = await post(client, "I disagree with the council's plan; the costs were never "
                               "published and the consultation was rushed.")
    assert civil.json()["held"] is False
    threat = await post(client, "People like the councillor should be shot and hanged from "
                                "lanterns in the square.")
    assert threat.json()["held"] is True
    async with client.services.db.read() as conn:
        rows = (await conn.execute(
            select(decisions.c.verdict, decisions.c.signals).order_by(decisions.c.id))).all()
    held = rows[-1]
    assert held.verdict == "hold"
    assert any(s["signal"] == "threat" and s["suggests"] == "hold" for s in held.signals)


async def test_draft_nudge(client_factory):
    client = await client_factory(classifiers=True)
    rude = await client.post("/api/v1/drafts/score", json={
        "site": "test", "text": "You are a pathetic moron and everyone here knows it."})
    assert rude.status_code == 200 and rude.json()["nudge"] is True
    assert rude.json()["message"]
    kind = await client.post("/api/v1/drafts/score", json={
        "site": "test", "text": "Thanks for the thoughtful article, I learned a lot."})
    assert kind.json() == {"nudge": False, "message": None, "categories": []}


async def test_nudge_can_be_turned_off_per_site(client_factory):
    client = await client_factory(classifiers=True, site_settings={"nudge": False})
    r = await client.post("/api/v1/drafts/score", json={
        "site": "test", "text": "You are a pathetic moron and everyone here knows it."})
    assert r.json()["nudge"] is False


async def test_reworded_copy_of_a_recent_comment_is_held_and_linked(client_factory):
    client = await client_factory(classifiers=True)
    original = await post(client, "The new bus timetable leaves the northern estates without any "
                                  "service after nine in the evening, which is unacceptable.",
                          email="one@example.org")
    assert original.json()["held"] is False
    reworded = await post(client, "After nine in the evening the new bus timetable leaves the "
                                  "northern estates with no service at all, which is unacceptable.",
                          email="two@example.org", uri="/post/2")
    assert reworded.json()["held"] is True
    async with client.services.db.read() as conn:
        row = (await conn.execute(
            select(decisions.c.signals).order_by(decisions.c.id.desc()).limit(1))).one()
    [hit] = [s for s in row.signals if s["signal"] == "rewording"
             and s["suggests"] == "hold"]
    assert hit["related"] == original.json()["comment"]["id"]
    different = await post(client, "Separately, the library opening hours on Sundays have been "
                                   "extended, which families in the centre will welcome.",
                           email="three@example.org", uri="/post/3")
    assert different.json()["held"] is False


async def test_site_thresholds_can_reject_abuse_outright(client_factory):
    client = await client_factory(classifiers=True, site_settings={
        "score_thresholds": {"toxicity": {"hold": 0.5, "reject": 0.9}}})
    r = await post(client, "You are a pathetic moron and a disgrace, nobody wants to read "
                           "your garbage opinions here.")
    assert r.status_code == 403 and r.json()["code"] == "comment_rejected"
