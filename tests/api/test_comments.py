from __future__ import annotations

from typing import Any

import httpx

from tests.helpers import post


async def listing(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    query = {"site": "test", "uri": "/post/1", **params}
    response = await client.get("/api/v1/comments", params=query)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_post_and_list_renders_markdown_once(client):
    response = await post(client, "Hello *world*, see https://example.org", name="Ann")
    assert response.status_code == 201, response.text
    body = response.json()
    comment = body["comment"]
    assert comment["state"] == "published"
    assert comment["html"] == (
        '<p>Hello <em>world</em>, see <a href="https://example.org" '
        'rel="nofollow ugc noopener">https://example.org</a></p>'
    )
    assert body["edit_token"] and body["held"] is False
    assert "rejoinder_edit_" in response.headers["set-cookie"]
    page = await listing(client)
    assert page["total"] == 1
    assert page["comments"][0]["author"]["name"] == "Ann"
    assert page["comments"][0]["html"] == comment["html"]
    assert "email" not in response.text.lower() or "email" not in str(page)


async def test_email_is_never_exposed(client):
    await post(client, "hi", name="Bo", email="bo@example.org")
    page = await listing(client)
    assert "bo@example.org" not in str(page)
    assert page["comments"][0]["author"]["avatar"]


async def test_thread_is_created_with_title_and_normalized_uri(client):
    r = await post(client, "first", uri="https://blog.example.org/post/1/?utm=x#c", title="T")
    assert r.status_code == 201
    page = await listing(client, uri="/post/1")
    assert page["thread"]["title"] == "T" and page["total"] == 1


async def test_replies_are_nested_and_depth_is_capped(client_factory):
    client = await client_factory(max_depth=2)
    parent = None
    ids = []
    for n in range(5):
        r = await post(client, f"level {n}", parent=parent, name=f"u{n}")
        assert r.status_code == 201, r.text
        parent = r.json()["comment"]["id"]
        ids.append(parent)
    page = await listing(client)
    root = page["comments"][0]
    assert root["id"] == ids[0]
    level1 = root["replies"][0]
    level2 = level1["replies"][0]
    assert level2["depth"] == 2
    # deeper replies attach to the deepest allowed ancestor but remember whom they answer
    deeper = level2["replies"]
    assert deeper == []
    flat_ids = [c["id"] for c in level1["replies"]]
    assert ids[3] in flat_ids and ids[4] in flat_ids
    by_id = {c["id"]: c for c in level1["replies"]}
    assert by_id[ids[3]]["reply_to"] == ids[2] and by_id[ids[3]]["reply_to_name"] == "u2"
    assert by_id[ids[4]]["reply_to"] == ids[3] and by_id[ids[4]]["depth"] == 2


async def test_pagination_by_cursor_in_each_sort(client):
    ids = [(await post(client, f"c{n}")).json()["comment"]["id"] for n in range(7)]
    await client.post(f"/api/v1/comments/{ids[3]}/like")
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = await listing(client, **params)
        seen += [c["id"] for c in page["comments"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ids
    newest = await listing(client, sort="newest", limit=100)
    assert [c["id"] for c in newest["comments"]] == list(reversed(ids))
    top = await listing(client, sort="top", limit=2)
    assert top["comments"][0]["id"] == ids[3]
    rest = await listing(client, sort="top", limit=100, cursor=top["next_cursor"])
    assert [c["id"] for c in rest["comments"]] == [i for i in ids if i not in
                                                   (ids[3], top["comments"][1]["id"])]


async def test_more_replies_cursor(client):
    root = (await post(client, "root")).json()["comment"]["id"]
    replies = [(await post(client, f"r{n}", parent=root)).json()["comment"]["id"]
               for n in range(5)]
    page = await listing(client, replies=2)
    item = page["comments"][0]
    assert [r["id"] for r in item["replies"]] == replies[:2]
    assert item["replies_total"] == 5
    more = await client.get(f"/api/v1/comments/{root}/replies",
                            params={"cursor": item["replies_cursor"], "limit": 2})
    assert more.status_code == 200
    data = more.json()
    assert [c["id"] for c in data["comments"]] == replies[2:4]
    last = await client.get(f"/api/v1/comments/{root}/replies",
                            params={"cursor": data["next_cursor"]})
    assert [c["id"] for c in last.json()["comments"]] == replies[4:]
    assert last.json()["next_cursor"] is None


async def test_etag_gives_304_until_the_thread_changes(client):
    await post(client, "one")
    first = await client.get("/api/v1/comments", params={"site": "test", "uri": "/post/1"})
    etag = first.headers["etag"]
    again = await client.get("/api/v1/comments", params={"site": "test", "uri": "/post/1"},
                             headers={"If-None-Match": etag})
    assert again.status_code == 304
    await post(client, "two")
    changed = await client.get("/api/v1/comments", params={"site": "test", "uri": "/post/1"},
                               headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["total"] == 2


async def test_edit_and_delete_with_token_inside_window(client):
    posted = (await post(client, "typo hree")).json()
    cid, token = posted["comment"]["id"], posted["edit_token"]
    edited = await client.patch(f"/api/v1/comments/{cid}", json={"text": "typo here"},
                                headers={"X-Rejoinder-Edit-Token": token})
    assert edited.status_code == 200
    assert edited.json()["html"] == "<p>typo here</p>" and edited.json()["edited"]
    page = await listing(client)
    assert page["comments"][0]["html"] == "<p>typo here</p>"
    deleted = await client.delete(f"/api/v1/comments/{cid}",
                                  headers={"X-Rejoinder-Edit-Token": token})
    assert deleted.status_code == 200
    assert (await listing(client))["comments"] == []


async def test_deleted_comment_with_replies_stays_as_placeholder(client):
    posted = (await post(client, "parent text", name="P")).json()
    cid = posted["comment"]["id"]
    await post(client, "child", parent=cid)
    await client.delete(f"/api/v1/comments/{cid}",
                        headers={"X-Rejoinder-Edit-Token": posted["edit_token"]})
    page = await listing(client)
    placeholder = page["comments"][0]
    assert placeholder["state"] == "deleted"
    assert placeholder["html"] == "" and placeholder["author"] is None
    assert "parent text" not in str(page)
    assert placeholder["replies"][0]["html"] == "<p>child</p>"
    assert page["total"] == 1 and page["visible"] == 2


async def test_edit_token_rules(client):
    a = (await post(client, "a")).json()
    b = (await post(client, "b")).json()
    cases = [
        (None, "edit_token_missing"),
        ("garbage", "edit_token_invalid"),
        (b["edit_token"], "edit_token_invalid"),
        (a["edit_token"][:-2] + "xx", "edit_token_invalid"),
    ]
    for token, code in cases:
        headers = {"X-Rejoinder-Edit-Token": token} if token else {}
        r = await client.patch(f"/api/v1/comments/{a['comment']['id']}", json={"text": "x"},
                               headers=headers)
        assert r.status_code == 403 and r.json()["code"] == code
    page = await listing(client)
    assert page["comments"][0]["html"] == "<p>a</p>"


async def test_edit_window_expires(client_factory):
    client = await client_factory(edit_window_seconds=0)
    posted = (await post(client, "late")).json()
    import asyncio

    await asyncio.sleep(1.1)
    r = await client.delete(f"/api/v1/comments/{posted['comment']['id']}",
                            headers={"X-Rejoinder-Edit-Token": posted["edit_token"]})
    assert r.status_code == 403 and r.json()["code"] == "edit_window_expired"


async def test_likes_one_per_voter(client):
    cid = (await post(client, "likeable")).json()["comment"]["id"]
    for _ in range(3):
        r = await client.post(f"/api/v1/comments/{cid}/like",
                              headers={"X-Rejoinder-Voter": "v1"})
        assert r.json()["likes"] == 1
    r = await client.post(f"/api/v1/comments/{cid}/like", headers={"X-Rejoinder-Voter": "v2"})
    assert r.json()["likes"] == 2
    r = await client.delete(f"/api/v1/comments/{cid}/like", headers={"X-Rejoinder-Voter": "v1"})
    assert r.json() == {"id": cid, "likes": 1, "liked": False}
    r = await client.delete(f"/api/v1/comments/{cid}/like", headers={"X-Rejoinder-Voter": "v1"})
    assert r.json()["likes"] == 1
    assert (await listing(client))["comments"][0]["likes"] == 1


async def test_counts_and_recent(client):
    await post(client, "a", uri="/p/a")
    await post(client, "b", uri="/p/a")
    await post(client, "c", uri="/p/b")
    r = await client.post("/api/v1/counts",
                          json={"site": "test", "uris": ["/p/a", "/p/b/", "/p/none"]})
    assert r.json() == {"counts": {"/p/a": 2, "/p/b/": 1, "/p/none": 0}}
    recent = (await client.get("/api/v1/sites/test/recent", params={"limit": 2})).json()
    assert [c["html"] for c in recent["comments"]] == ["<p>c</p>", "<p>b</p>"]
    assert recent["comments"][0]["thread"]["uri"] == "/p/b"
    too_many = await client.post("/api/v1/counts",
                                 json={"site": "test", "uris": [f"/{n}" for n in range(101)]})
    assert too_many.status_code == 422


async def test_preview_and_health(client):
    r = await client.post("/api/v1/preview", json={"text": "**b** <script>x</script>"})
    assert r.json()["html"] == "<p><strong>b</strong> &lt;script&gt;x&lt;/script&gt;</p>"
    health = await client.get("/healthz")
    assert health.status_code == 200 and health.json()["database"] == "ok"


async def test_held_comment_visible_only_to_its_author(client):
    posted = (await post(client, "visible")).json()
    cid = posted["comment"]["id"]
    from rejoinder.domain.states import CommentState
    from rejoinder.store.comments import update_comment

    services = client.services
    async with services.db.write() as conn:
        await update_comment(conn, cid, state=CommentState.PENDING)
    anonymous = await client.get(f"/api/v1/comments/{cid}")
    assert anonymous.status_code == 404
    owner = await client.get(f"/api/v1/comments/{cid}",
                             headers={"X-Rejoinder-Edit-Token": posted["edit_token"]})
    assert owner.status_code == 200 and owner.json()["state"] == "pending"
    assert owner.json()["text"] == "visible"
