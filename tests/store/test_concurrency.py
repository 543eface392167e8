"""Concurrent posts never fail with "database is locked", and every acknowledged one is kept."""

from __future__ import annotations

import asyncio

from tests.helpers import post


async def test_concurrent_posts_all_land(client):
    results = await asyncio.gather(*(post(client, f"comment {n}") for n in range(60)))
    assert all(r.status_code == 201 for r in results), [r.text for r in results if
                                                         r.status_code != 201][:1]
    page = await client.get("/api/v1/comments",
                            params={"site": "test", "uri": "/post/1", "limit": 100})
    texts = sorted(c["html"] for c in page.json()["comments"])
    assert texts == sorted(f"<p>comment {n}</p>" for n in range(60))


async def test_two_processes_worth_of_engines_share_one_sqlite_file(client_factory):
    first = await client_factory()
    second = await client_factory()
    results = await asyncio.gather(
        *(post(first if n % 2 else second, f"c{n}", uri="/shared") for n in range(40))
    )
    assert {r.status_code for r in results} == {201}
    for client in (first, second):
        page = await client.get("/api/v1/comments",
                                params={"site": "test", "uri": "/shared", "limit": 100})
        assert page.json()["total"] == 40


async def test_other_processes_writes_show_within_the_listing_cache_time(client_factory):
    reader = await client_factory(listing_cache_seconds=1)
    writer = await client_factory()
    params = {"site": "test", "uri": "/fresh"}
    await post(writer, "first", uri="/fresh")
    assert (await reader.get("/api/v1/comments", params=params)).json()["total"] == 1
    await post(writer, "second", uri="/fresh")
    await asyncio.sleep(1.1)
    assert (await reader.get("/api/v1/comments", params=params)).json()["total"] == 2
    await post(reader, "third", uri="/fresh")  # its own writes show at once
    assert (await reader.get("/api/v1/comments", params=params)).json()["total"] == 3


async def test_listing_cache_can_be_turned_off(client_factory):
    reader = await client_factory(listing_cache_seconds=0)
    writer = await client_factory()
    params = {"site": "test", "uri": "/fresh"}
    assert (await reader.get("/api/v1/comments", params=params)).json()["total"] == 0
    await post(writer, "first", uri="/fresh")
    assert (await reader.get("/api/v1/comments", params=params)).json()["total"] == 1
