"""Every kind of bad input gets a 4xx problem response with its own code and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import post


async def assert_problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code and body["status"] == status and body["detail"]


async def total(client: Any) -> int:
    r = await client.get("/api/v1/comments", params={"site": "test", "uri": "/post/1"})
    return int(r.json()["total"])


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"site": "nope"}, 404, "unknown_site"),
        ({"uri": "https://evil.example.com/post/1"}, 403, "uri_not_allowed"),
        ({"url": "https://evil.example.com/post/1"}, 403, "uri_not_allowed"),
        ({"text": "   "}, 422, "text_empty"),
        ({"text": "x" * 10001}, 422, "text_too_long"),
        ({"name": "n" * 81}, 422, "name_too_long"),
        ({"email": "not-an-email"}, 422, "email_invalid"),
        ({"website": "javascript:alert(1)"}, 422, "website_invalid"),
        ({"parent": 999999}, 422, "parent_not_in_thread"),
        ({"text": 42}, 422, "invalid_request"),
        ({"parent": "one"}, 422, "invalid_request"),
        ({"uri": ""}, 422, "uri_missing"),
    ],
)
async def test_bad_posts(client, fields, status, code):
    await assert_problem(await post(client, **fields), status, code)
    assert await total(client) == 0


async def test_parent_in_another_thread(client):
    other = (await post(client, "elsewhere", uri="/other")).json()["comment"]["id"]
    await assert_problem(await post(client, "reply", parent=other), 422, "parent_not_in_thread")


async def test_malformed_json_and_wrong_shapes(client):
    r = await client.post("/api/v1/comments", content=b"{nope",
                          headers={"content-type": "application/json"})
    await assert_problem(r, 400, "malformed_json")
    r = await client.post("/api/v1/comments", json=["list"])
    await assert_problem(r, 422, "invalid_request")
    r = await client.post("/api/v1/comments", json={"site": "test"})
    await assert_problem(r, 422, "invalid_request")
    assert {e["field"] for e in r.json()["errors"]} >= {"uri", "text"}


async def test_closed_thread_refuses_comments(client):
    await post(client, "first")
    from rejoinder.store.threads import set_closed, thread_by_uri

    services = client.services
    site = await services.sites.require("test")
    async with services.db.write() as conn:
        thread = await thread_by_uri(conn, site.id, "/post/1")
        await set_closed(conn, thread.id, True)
    await assert_problem(await post(client, "second"), 403, "thread_closed")
    assert await total(client) == 1


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/v1/comments?site=test&uri=/x&cursor=%%%", 422, "invalid_cursor"),
        ("GET", "/api/v1/comments?site=test&uri=/x&cursor=WzEsMiwzXQ", 200, ""),
        ("GET", "/api/v1/comments?site=test&uri=/x&limit=0", 422, "invalid_request"),
        ("GET", "/api/v1/comments?site=test&uri=/x&sort=sideways", 422, "invalid_request"),
        ("GET", "/api/v1/comments?uri=/x", 422, "invalid_request"),
        ("GET", "/api/v1/comments/abc", 422, "invalid_request"),
        ("GET", "/api/v1/comments/99999999999999999999999", 422, "invalid_request"),
        ("GET", "/api/v1/comments/12345", 404, "comment_not_found"),
        ("POST", "/api/v1/comments/12345/like", 404, "comment_not_found"),
        ("GET", "/api/v1/sites/nope/recent", 404, "unknown_site"),
        ("GET", "/api/v1/nothing-here", 404, "not_found"),
        ("PUT", "/api/v1/comments", 405, "method_not_allowed"),
    ],
)
async def test_bad_requests(client, method, path, status, code):
    await post(client, "exists", uri="/x")
    r = await client.request(method, path)
    if status == 200:
        assert r.status_code in (200, 422)  # a well-formed but foreign cursor is tolerated
        return
    await assert_problem(r, status, code)


async def test_direction_overrides_are_removed_from_names(client):
    r = await post(client, "hi", name="\u202eevil\u202c Ann")
    assert r.json()["comment"]["author"]["name"] == "evil Ann"
