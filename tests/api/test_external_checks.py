"""Akismet and Perspective are off unless configured; when configured they take part in posting
(against a local server that speaks their protocols)."""

from __future__ import annotations

from tests.helpers import post
from tests.moderation.signals.conftest import fake_service  # noqa: F401


async def test_off_by_default(client_factory, fake_service):  # noqa: F811
    client = await client_factory(akismet_url=fake_service.base_url,
                                  perspective_url=fake_service.base_url)
    r = await post(client, "cheap spam here, lots of it")
    assert r.status_code == 201 and r.json()["held"] is False
    assert fake_service.requests == []  # nothing left the server


async def test_akismet_spam_is_held(client_factory, fake_service):  # noqa: F811
    client = await client_factory(akismet_api_key="akismet-key", akismet_url=fake_service.base_url)
    assert (await post(client, "a thoughtful reply about the budget")).json()["held"] is False
    assert (await post(client, "cheap spam here, lots of it")).json()["held"] is True
    assert len(fake_service.requests) == 2


async def test_perspective_toxicity_is_held(client_factory, fake_service):  # noqa: F811
    client = await client_factory(perspective_api_key="perspective-key",
                                  perspective_url=fake_service.base_url)
    r = await post(client, "an opinion the fake service scores as toxic")
    assert r.json()["held"] is True


async def test_fail_closed_holds_when_the_service_is_down(client_factory):
    client = await client_factory(akismet_api_key="akismet-key",
                                  akismet_url="http://127.0.0.1:9", external_fail_closed=True)
    r = await post(client, "a thoughtful reply about the budget")
    assert r.json()["held"] is True
