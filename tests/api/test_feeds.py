from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from rejoinder.domain.states import CommentState
from rejoinder.store import comments as comment_store
from tests.helpers import post

A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
async def feed_client(client_factory):
    client = await client_factory()
    return client


def parse(response) -> ET.Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{A}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{A}{required}").text
    datetime.fromisoformat(root.find(f"{A}updated").text)
    for entry in root.findall(f"{A}entry"):
        for required in ("id", "title", "updated"):
            assert entry.find(f"{A}{required}").text, required
        assert entry.find(f"{A}author/{A}name").text
        assert entry.find(f"{A}content").get("type") == "html"
    return root


async def test_thread_feed_lists_published_comments_newest_first(feed_client):
    client = feed_client
    first = (await post(client, "First <b>bold</b> & **strong**", name="Ann",
                        title="Essay & more")).json()["comment"]["id"]
    second = (await post(client, "Second", name="Bob", website="https://bob.example")
              ).json()["comment"]["id"]
    hidden = (await post(client, "Hidden")).json()["comment"]["id"]
    async with client.services.db.write() as conn:
        await comment_store.update_comment(conn, hidden, state=CommentState.PENDING)
    root = parse(await client.get("/api/v1/feeds/thread.atom",
                                  params={"site": "test", "uri": "/post/1"}))
    assert root.find(f"{A}title").text == "Comments on Essay & more"
    entries = root.findall(f"{A}entry")
    ids = [e.find(f"{A}id").text for e in entries]
    assert ids == [f"https://blog.example.org/post/1#rejoinder-{n}" for n in (second, first)]
    assert entries[0].find(f"{A}author/{A}uri").text == "https://bob.example"
    html = entries[1].find(f"{A}content").text
    assert "<strong>strong</strong>" in html and "<b>" not in html
    assert entries[1].find(f"{A}title").text == "Ann on Essay & more"


async def test_site_feed_spans_threads_and_unknowns_are_404(feed_client):
    client = feed_client
    await post(client, "On one", uri="/a")
    await post(client, "On two", uri="/b")
    root = parse(await client.get("/api/v1/feeds/site/test.atom"))
    links = [e.find(f"{A}link").get("href") for e in root.findall(f"{A}entry")]
    assert [link.split("#")[0] for link in links] == [
        "https://blog.example.org/b", "https://blog.example.org/a"]
    assert (await client.get("/api/v1/feeds/site/nope.atom")).status_code == 404
    missing = await client.get("/api/v1/feeds/thread.atom", params={"site": "test", "uri": "/x"})
    assert missing.status_code == 404


async def test_empty_site_feed_is_still_valid(feed_client):
    root = parse(await feed_client.get("/api/v1/feeds/site/test.atom"))
    assert root.findall(f"{A}entry") == []
