"""Sign-in through a real (local) OpenID Connect provider: PKCE, state, nonce, ID token."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ORIGIN
from tests.identity.helpers import (
    oidc_settings,
    oidc_signin,
    posted_message,
    site_settings,
    target_origin,
)

pytestmark = pytest.mark.usefixtures("oidc")


@pytest.fixture
async def app(client_factory, oidc):
    return await client_factory(site_settings=site_settings(), **oidc_settings(oidc.issuer))


async def test_signin_hands_token_and_profile_to_the_opening_origin(app, oidc):
    done = await oidc_signin(app)
    assert done.status_code == 200
    message = posted_message(done.text)
    assert message["type"] == "rejoinder:signin"
    assert message["token"].startswith("rj_")
    assert message["profile"]["name"] == "Ada Lovelace"
    assert message["profile"]["badge"] == "verified"
    assert target_origin(done.text) == ORIGIN  # never "*"
    assert "nonce-" in done.headers["content-security-policy"]
    me = await app.get("/api/v1/me", headers={"Authorization": f"Bearer {message['token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "ada@example.org"


async def test_comment_posted_with_token_is_attributed_and_badged(app):
    token = posted_message((await oidc_signin(app)).text)["token"]
    posted = await app.post("/api/v1/comments", json={
        "site": "test", "uri": "/a", "text": "Signed in and arguing.", "name": "Someone else",
    }, headers={"Authorization": f"Bearer {token}"})
    assert posted.status_code == 201, posted.text
    author = posted.json()["comment"]["author"]
    assert author["name"] == "Ada Lovelace"
    assert author["badge"] == "verified"
    assert author["avatar_url"].startswith("/api/v1/avatars/")


async def test_same_identity_signs_into_the_same_account(app):
    first = posted_message((await oidc_signin(app)).text)["profile"]
    second = posted_message((await oidc_signin(app)).text)["profile"]
    assert first["id"] == second["id"]


async def test_replayed_state_is_refused(app):
    start = await app.get("/signin/oauth/oidc/start", params={"site": "test", "origin": ORIGIN})
    async with httpx.AsyncClient() as browser:
        consent = await browser.get(start.headers["location"])
    callback = httpx.URL(consent.headers["location"])
    first = await app.get(callback.path, params=dict(callback.params))
    assert first.status_code == 200
    again = await app.get(callback.path, params=dict(callback.params))
    assert again.status_code == 400
    assert 'data-code="state_invalid"' in again.text
    assert "rejoinder:signin" not in again.text


async def test_forged_state_is_refused_before_any_code_exchange(app, oidc):
    forged = await app.get("/signin/oauth/oidc/callback",
                           params={"code": "stolen", "state": "made-up-state"})
    assert forged.status_code == 400
    assert 'data-code="state_invalid"' in forged.text
    assert oidc.token_errors == []  # the provider was never asked


async def test_state_of_another_provider_is_refused(app):
    start = await app.get("/signin/oauth/oidc/start", params={"site": "test", "origin": ORIGIN})
    async with httpx.AsyncClient() as browser:
        consent = await browser.get(start.headers["location"])
    callback = httpx.URL(consent.headers["location"])
    other = await app.get("/signin/oauth/github/callback", params=dict(callback.params))
    assert other.status_code == 400


async def test_authorize_request_carries_pkce_and_nonce(app):
    start = await app.get("/signin/oauth/oidc/start", params={"site": "test", "origin": ORIGIN})
    params = httpx.URL(start.headers["location"]).params
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) >= 43
    assert params["nonce"] and params["state"]
    assert "code_verifier" not in params


@pytest.mark.parametrize("lie", [{"aud": "someone-else"}, {"nonce": "replayed"},
                                 {"iss": "https://evil.example"}])
async def test_id_token_that_lies_is_refused(app, oidc, lie):
    oidc.tamper = lie
    done = await oidc_signin(app)
    assert done.status_code == 502
    assert 'data-code="signin_failed"' in done.text
    assert "rejoinder:signin" not in done.text


async def test_popup_from_a_foreign_origin_is_refused(app):
    start = await app.get("/signin/oauth/oidc/start",
                          params={"site": "test", "origin": "https://evil.example"})
    assert start.status_code == 403
    chooser = await app.get("/signin", params={"site": "test", "origin": "https://evil.example"})
    assert chooser.status_code == 403


async def test_provider_not_enabled_for_the_site_is_refused(client_factory, oidc):
    app = await client_factory(site_settings=site_settings(methods=["guest"]),
                               **oidc_settings(oidc.issuer))
    start = await app.get("/signin/oauth/oidc/start", params={"site": "test", "origin": ORIGIN})
    assert start.status_code == 403
    assert 'data-code="signin_method_not_allowed"' in start.text


async def test_avatar_is_proxied_by_the_server(app):
    profile = posted_message((await oidc_signin(app)).text)["profile"]
    app.services.profiles.plain_http_avatars = True  # the local provider speaks plain HTTP
    avatar = await app.get(profile["avatar_url"])
    assert avatar.status_code == 200
    assert avatar.headers["content-type"] == "image/png"
    assert avatar.content.startswith(b"\x89PNG")
    app.services.profiles.avatar_max_bytes = 10  # served from the cache now, not refetched
    assert (await app.get(profile["avatar_url"])).status_code == 200


async def test_avatar_over_plain_http_is_not_fetched(app):
    profile = posted_message((await oidc_signin(app)).text)["profile"]
    assert (await app.get(profile["avatar_url"])).status_code == 404
