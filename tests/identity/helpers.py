from __future__ import annotations

import json
import re
from typing import Any

import httpx

from tests.conftest import ORIGIN, RELAXED

IDENTITY = {"methods": ["guest", "email", "oidc"]}


def site_settings(**identity: Any) -> dict[str, Any]:
    return {**RELAXED, "min_seconds_to_post": 0, "identity": {**IDENTITY, **identity}}


def posted_message(page: str) -> dict[str, Any]:
    """The message the done page hands to ``window.opener.postMessage``."""
    found = re.search(r"var message = (\{.*?\});\n", page)
    assert found, page
    message: dict[str, Any] = json.loads(found.group(1))
    return message


def target_origin(page: str) -> str:
    found = re.search(r'var origin = (".*?");\n', page)
    assert found, page
    origin: str = json.loads(found.group(1))
    return origin


async def oidc_signin(client: httpx.AsyncClient, site: str = "test",
                      origin: str = ORIGIN) -> httpx.Response:
    """Start in the popup, let the provider consent, come back to the callback page."""
    start = await client.get("/signin/oauth/oidc/start",
                             params={"site": site, "origin": origin})
    assert start.status_code == 303, start.text
    async with httpx.AsyncClient() as browser:
        consent = await browser.get(start.headers["location"])
    assert consent.status_code == 302, consent.text
    callback = httpx.URL(consent.headers["location"])
    return await client.get(callback.path, params=dict(callback.params))


def oidc_settings(issuer: str) -> dict[str, str]:
    from tests.identity.oidc_provider import CLIENT_ID, CLIENT_SECRET

    return {"oidc_issuer": issuer, "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET, "oidc_label": "Test ID"}
