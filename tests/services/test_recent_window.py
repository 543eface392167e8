from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from rejoinder.services.moderating import StoreRecentComments
from tests.helpers import post


def texts(rows) -> list[str]:
    return [r.text for r in rows]


def an_hour_ago() -> datetime:
    return datetime.now(UTC) - timedelta(hours=1)


async def test_new_comments_join_the_window_once_each(client_factory):
    client = await client_factory()
    recent = StoreRecentComments(client.services.db)
    since = an_hour_ago()
    await post(client, "the first comment")
    assert texts(await recent.recent("test", since, 10)) == ["the first comment"]
    await post(client, "the second comment")
    await post(client, "the third comment")
    seen = await asyncio.gather(*(recent.recent("test", since, 10) for _ in range(5)))
    for rows in seen:  # concurrent readers merge the same new rows without counting them twice
        assert texts(rows) == ["the third comment", "the second comment", "the first comment"]
    assert texts(await recent.recent("test", since, 2)) == [
        "the third comment", "the second comment"]
    assert await recent.recent("other-site", since, 10) == []


async def test_window_only_holds_its_limit_and_reloads_when_asked_for_more(client_factory):
    client = await client_factory()
    recent = StoreRecentComments(client.services.db)
    for n in range(4):
        await post(client, f"comment number {n}")
    assert len(await recent.recent("test", an_hour_ago(), 2)) == 2
    assert len(recent.window._windows["test"].rows) == 2
    assert texts(await recent.recent("test", an_hour_ago(), 10)) == [
        f"comment number {n}" for n in (3, 2, 1, 0)]


async def test_a_wider_time_window_reloads_older_comments(client_factory):
    client = await client_factory()
    recent = StoreRecentComments(client.services.db)
    await post(client, "written before the window")
    later = datetime.now(UTC) + timedelta(seconds=1)
    assert await recent.recent("test", later, 10) == []
    assert texts(await recent.recent("test", an_hour_ago(), 10)) == ["written before the window"]


async def test_edits_show_after_the_refresh_interval(client_factory):
    client = await client_factory()
    recent = StoreRecentComments(client.services.db)
    posted = (await post(client, "a comment with a tpyo")).json()
    assert texts(await recent.recent("test", an_hour_ago(), 10)) == ["a comment with a tpyo"]
    edited = await client.patch(
        f"/api/v1/comments/{posted['comment']['id']}", json={"text": "a comment with a typo"},
        headers={"X-Rejoinder-Edit-Token": posted["edit_token"]})
    assert edited.status_code == 200
    recent.window.refresh_seconds = 0.0
    assert texts(await recent.recent("test", an_hour_ago(), 10)) == ["a comment with a typo"]


async def test_rows_older_than_asked_are_left_out_of_a_loaded_window(client_factory):
    client = await client_factory()
    recent = StoreRecentComments(client.services.db)
    await post(client, "the older comment")
    between = datetime.now(UTC)
    await asyncio.sleep(0.01)
    await post(client, "the newer comment")
    assert texts(await recent.recent("test", an_hour_ago(), 10)) == [
        "the newer comment", "the older comment"]
    assert texts(await recent.recent("test", between, 10)) == ["the newer comment"]
    assert texts(await recent.recent("test", an_hour_ago(), 10)) == [
        "the newer comment", "the older comment"]
    await post(client, "the newest comment")
    assert texts(await recent.recent("test", between, 10)) == [
        "the newest comment", "the newer comment"]
