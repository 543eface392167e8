from __future__ import annotations

import asyncio

import pytest

from rejoinder.services import listing
from rejoinder.services.single_flight import SingleFlight
from tests.helpers import post


async def test_concurrent_callers_share_one_load():
    flights = SingleFlight()
    loads = 0
    release = asyncio.Event()

    async def load() -> str:
        nonlocal loads
        loads += 1
        await release.wait()
        return f"value {loads}"

    waiting = [asyncio.ensure_future(flights.run("k", load)) for _ in range(10)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(*waiting) == ["value 1"] * 10
    assert loads == 1
    assert await flights.run("k", load) == "value 2"  # finished: the next call loads again
    assert await flights.run("other", load) == "value 3"


async def test_a_failure_reaches_every_caller_and_a_cancelled_one_leaves_the_rest():
    flights = SingleFlight()
    release = asyncio.Event()

    async def load() -> str:
        await release.wait()
        raise RuntimeError("database went away")

    first = asyncio.ensure_future(flights.run("k", load))
    second = asyncio.ensure_future(flights.run("k", load))
    await asyncio.sleep(0)
    first.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await first
    with pytest.raises(RuntimeError, match="went away"):
        await second


async def test_a_cold_listing_reads_the_thread_once_for_all_concurrent_readers(
        client_factory, monkeypatch):
    writer = await client_factory()
    for n in range(5):
        assert (await post(writer, f"comment number {n} on this page")).status_code == 201
    reader = await client_factory()  # its caches are empty
    calls = {"head": 0, "comments": 0}
    head, comments = listing.thread_store.thread_head, listing.comment_store.thread_comments

    async def counted_head(*args, **kwargs):
        calls["head"] += 1
        return await head(*args, **kwargs)

    async def counted_comments(*args, **kwargs):
        calls["comments"] += 1
        return await comments(*args, **kwargs)

    monkeypatch.setattr(listing.thread_store, "thread_head", counted_head)
    monkeypatch.setattr(listing.comment_store, "thread_comments", counted_comments)
    query = {"site": "test", "uri": "/post/1"}
    answers = await asyncio.gather(
        *(reader.get("/api/v1/comments", params=query) for _ in range(20)))
    assert {a.status_code for a in answers} == {200}
    assert {len(a.json()["comments"]) for a in answers} == {5}
    assert calls == {"head": 1, "comments": 1}
