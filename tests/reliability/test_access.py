"""Access boundaries of the public API, one table row per (endpoint, caller).

Every row is an attempt that must fail with a stable 4xx problem and leave the data as it was.
Callers: anonymous (no credential), the edit token of another comment, an expired token, a forged
token, and a page on a foreign origin carrying the victim's own credential. Moderator endpoints
add rows to ``CASES`` the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from rejoinder.notify import links
from tests.conftest import ORIGIN

FOREIGN = "https://evil.example.com"


@dataclass
class World:
    """Two comments by different authors, their tokens and the app's signer."""

    client: httpx.AsyncClient
    victim: int
    victim_token: str
    other: int
    other_token: str
    signer: Any

    def expired_token(self) -> str:
        return self.signer.edit_token(self.victim, time.time() - 60)

    def forged_token(self) -> str:
        body = f"{self.victim}.{int(time.time()) + 600}"
        return f"{body}.{'A' * 32}"


Credential = Callable[[World], dict[str, str]]


def anonymous(_w: World) -> dict[str, str]:
    return {}


def other_token(w: World) -> dict[str, str]:
    return {"X-Rejoinder-Edit-Token": w.other_token}


def expired_token(w: World) -> dict[str, str]:
    return {"X-Rejoinder-Edit-Token": w.expired_token()}


def forged_token(w: World) -> dict[str, str]:
    return {"X-Rejoinder-Edit-Token": w.forged_token()}


def victim_cookie(w: World) -> dict[str, str]:
    return {"Cookie": f"rejoinder_edit_{w.victim}={w.victim_token}"}


def foreign_origin_with_cookie(w: World) -> dict[str, str]:
    """What a hostile page could make a reader's browser send (SameSite=None cookie)."""
    return {"Origin": FOREIGN, **victim_cookie(w)}


def foreign_origin(_w: World) -> dict[str, str]:
    return {"Origin": FOREIGN}


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str  # {victim} is replaced by the victim comment's id
    credential: Credential
    status: int
    code: str
    body: dict[str, Any] | None = None
    token_path: Callable[[World], str] | None = None
    marks: tuple[Any, ...] = field(default=())


def link(purpose: str, claims: dict[str, Any], ttl: float | None = None, *, forge: bool = False
         ) -> Callable[[World], str]:
    def make(w: World) -> str:
        token = links.sign(w.signer, purpose, claims, ttl)
        if forge:
            token = token.rsplit(".", 1)[0] + "." + "A" * 43
        return token
    return make


EDIT = {"text": "Hijacked text"}
CASES: list[Case] = [
    # editing and deleting: only the holder of this comment's token, inside the window
    *[
        Case(f"{verb}-{cred.__name__}", verb, "/api/v1/comments/{victim}", cred, 403, code,
             EDIT if verb == "PATCH" else None)
        for verb in ("PATCH", "DELETE")
        for cred, code in (
            (anonymous, "edit_token_missing"),
            (other_token, "edit_token_invalid"),
            (expired_token, "edit_window_expired"),
            (forged_token, "edit_token_invalid"),
        )
    ],
    # posting from a page that is not one of the site's origins
    Case("POST-comment-foreign_origin", "POST", "/api/v1/comments", foreign_origin, 403,
         "uri_not_allowed", {"site": "test", "uri": "/post/1", "text": "from elsewhere"}),
    Case("POST-comment-foreign_uri", "POST", "/api/v1/comments", anonymous, 403,
         "uri_not_allowed", {"site": "test", "uri": FOREIGN + "/post/1", "text": "elsewhere"}),
    Case("POST-reply-foreign_origin", "POST", "/api/v1/comments", foreign_origin, 403,
         "uri_not_allowed",
         {"site": "test", "uri": "/post/1", "text": "reply from elsewhere", "parent": -1}),
    # a hostile page cannot use the reader's edit cookie to edit or delete
    *[
        Case(f"{verb}-foreign_origin_with_cookie", verb, "/api/v1/comments/{victim}",
             foreign_origin_with_cookie, 403, "origin_not_allowed",
             EDIT if verb == "PATCH" else None)
        for verb in ("PATCH", "DELETE")
    ],
    # likes and flags are open to anonymous readers (one per voter), but a hostile page cannot
    # cast them from its readers' browsers: a body-less POST is a "simple" cross-origin
    # request that no preflight stops, so the server checks the Origin itself
    *[
        Case(f"{verb}-{what}-foreign_origin", verb, f"/api/v1/comments/{{victim}}/{what}",
             foreign_origin, 403, "origin_not_allowed", body)
        for verb, what, body in (("POST", "like", None), ("POST", "flag", {"reason": "spam"}))
    ],
    # signed email links: forged, expired, or of another purpose
    *[
        Case(f"POST-{name}-{kind}", "POST", f"/api/v1/{route}/{{token}}", anonymous, 403, code,
             token_path=maker)
        for name, route, purpose, claims in (
            ("unsubscribe", "notify/unsubscribe", links.UNSUBSCRIBE, {"c": 0}),
            ("moderate", "notify/moderate", links.MODERATE, {"c": 0, "do": "approve"}),
        )
        for kind, maker, code in (
            ("forged", link(purpose, claims, 3600, forge=True), "link_invalid"),
            ("expired", link(purpose, claims, -60), "link_expired"),
            ("other_purpose", link(links.PRIVACY, claims, 3600), "link_invalid"),
        )
    ],
]


async def _make_world(client: httpx.AsyncClient) -> World:
    made = []
    for name in ("Victim", "Other"):
        r = await client.post("/api/v1/comments", json={
            "site": "test", "uri": "/post/1", "text": f"Comment by {name}", "name": name,
        }, headers={"X-Forwarded-For": f"198.51.100.{len(made) + 1}"})
        assert r.status_code == 201, r.text
        made.append((r.json()["comment"]["id"], r.json()["edit_token"]))
    (victim, victim_token), (other, other_token_) = made
    return World(client, victim, victim_token, other, other_token_,
                 client.services.signer)  # type: ignore[attr-defined]


async def _state(client: httpx.AsyncClient) -> Any:
    r = await client.get("/api/v1/comments", params={"site": "test", "uri": "/post/1"})
    assert r.status_code == 200
    page = r.json()
    return sorted(
        (c["id"], c["text"] if "text" in c else c["html"], c["likes"], c.get("state"))
        for c in page["comments"]
    ), page["total"]


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES]
)
async def test_refused_and_nothing_changes(client: httpx.AsyncClient, case: Case) -> None:
    spec = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    template = case.path.replace("{victim}", "{comment_id}")
    if case.method.lower() not in spec.get(template, {}):
        pytest.skip(f"{case.path} is not mounted in this app")
    world = await _make_world(client)
    before = await _state(client)
    path = case.path.replace("{victim}", str(world.victim))
    if case.token_path is not None:
        path = path.replace("{token}", case.token_path(world))
    body = case.body
    if body and body.get("parent") == -1:
        body = {**body, "parent": world.victim}
    response = await client.request(
        case.method, path, json=body, headers={**case.credential(world)}
    )
    assert response.status_code == case.status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == case.code
    assert await _state(client) == before


async def test_the_rightful_holder_still_can(client: httpx.AsyncClient) -> None:
    """The table is only meaningful if the same requests succeed with the right credential."""
    world = await _make_world(client)
    r = await client.patch(f"/api/v1/comments/{world.victim}", json=EDIT,
                           headers={"X-Rejoinder-Edit-Token": world.victim_token})
    assert r.status_code == 200, r.text
    r = await client.post("/api/v1/comments", json={
        "site": "test", "uri": "/post/1", "text": "from the blog itself"},
        headers={"Origin": ORIGIN})
    assert r.status_code == 201, r.text
    r = await client.delete(f"/api/v1/comments/{world.victim}",
                            headers={"X-Rejoinder-Edit-Token": world.victim_token})
    assert r.status_code == 200, r.text
