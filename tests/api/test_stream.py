"""Server-Sent Events through a real server: a comment posted by one reader reaches another."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from rejoinder.app import build_services, create_app
from tests.conftest import RELAXED, make_settings
from tests.helpers import LiveServer

pytestmark = pytest.mark.slow


async def test_new_comments_stream_to_open_listeners(sqlite_url):
    settings = make_settings(sqlite_url)
    services = build_services(settings)
    await services.sites.add("test", "Test", ["https://blog.example.org"], RELAXED)
    app = create_app(settings, services)
    with LiveServer(app) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
            events: list[tuple[str, dict]] = []

            async def listen() -> None:
                async with client.stream(
                    "GET", "/api/v1/comments/stream", params={"site": "test", "uri": "/live"}
                ) as response:
                    assert response.headers["content-type"].startswith("text/event-stream")
                    name = None
                    async for line in response.aiter_lines():
                        if line.startswith("event: "):
                            name = line[7:]
                        elif line.startswith("data: ") and name:
                            events.append((name, json.loads(line[6:])))
                            if len(events) == 2:
                                return

            task = asyncio.create_task(listen())
            await asyncio.sleep(0.3)
            first = await client.post("/api/v1/comments", json={
                "site": "test", "uri": "/live", "text": "hello live readers"})
            await client.post("/api/v1/comments", json={
                "site": "test", "uri": "/elsewhere", "text": "not for this thread"})
            token = first.json()["edit_token"]
            cid = first.json()["comment"]["id"]
            await client.delete(f"/api/v1/comments/{cid}",
                                headers={"X-Rejoinder-Edit-Token": token})
            await asyncio.wait_for(task, 10)
    assert events[0][0] == "comment"
    assert events[0][1]["comment"]["html"] == "<p>hello live readers</p>"
    assert "text" not in events[0][1]["comment"]
    assert events[1] == ("delete", {"type": "delete", "id": cid})
    await services.db.dispose()
