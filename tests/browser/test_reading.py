"""Reading a thread: sorting, paging, more replies, permalinks, nesting."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_sort_switcher_reorders(live, page):
    live.seed("/t/sorting", 3)
    page.goto(live.page("sorting"))
    wait_ready(page)
    first = page.locator(".ls > .c").first
    expect(first).to_contain_text("Top-level comment number 0.")
    page.locator("#rjsort").select_option("newest")
    expect(first).to_contain_text("Top-level comment number 2.")
    expect(page.locator(".ls > .c")).to_have_count(3)


def test_show_more_comments_loads_the_next_page(live, page):
    live.seed("/t/paging", 25)
    page.goto(live.page("paging"))
    wait_ready(page)
    tops = page.locator(".ls > .c")
    expect(tops).to_have_count(20)
    expect(page.locator("h2")).to_have_text("25 comments")
    page.get_by_role("button", name="Show more comments").click()
    expect(tops).to_have_count(25)
    expect(page.get_by_role("button", name="Show more comments")).to_be_hidden()


def test_show_more_replies_inserts_under_the_parent(live, page):
    ids = live.seed("/t/replies", 1, replies=14)
    page.goto(live.page("replies"))
    wait_ready(page)
    kids = page.locator(f"#comment-{ids[0]} > .k > .c")
    expect(kids).to_have_count(10)
    page.get_by_role("button", name=re.compile("Show more replies")).click()
    expect(kids).to_have_count(14)
    expect(page.locator(f"#comment-{ids[14]}")).to_contain_text("Reply 14 to comment 0.")


def test_permalink_to_a_comment_on_a_later_page(live, page):
    ids = live.seed("/t/permalink", 26, replies=12)
    target = ids[24 * 13 + 12]  # last reply of the 25th top-level comment: page 2, reply 12
    page.goto(live.page("permalink") + f"#comment-{target}")
    wait_ready(page)
    found = page.locator(f"#comment-{target}")
    expect(found).to_be_visible()
    expect(found).to_contain_text("Reply 12 to comment 24.")
    expect(found).to_be_in_viewport()
    expect(found).to_be_focused()


def test_deep_replies_are_flat_with_in_reply_to(live, page):
    page.goto(live.base + "/articles/car-free-old-town")
    wait_ready(page)
    marker = page.locator(".ch a", has_text="in reply to").first
    expect(marker).to_be_visible()
    # nesting stops at the default visual depth of 4
    assert page.locator(".k .k .k .k .c").count() > 0
    assert page.locator(".k .k .k .k .k .c").count() == 0


def test_relative_time_has_exact_time_on_hover(live, page):
    live.seed("/t/times", 1)
    page.goto(live.page("times"))
    wait_ready(page)
    stamp = page.locator(".c time").first
    expect(stamp).to_have_text(re.compile("hours? ago"))
    assert stamp.get_attribute("datetime")
    assert stamp.get_attribute("title")


def test_counter_script_fills_counts(live, page):
    page.goto(live.base + "/articles/car-free-old-town")
    expect(page.locator("[data-rejoinder-count]")).to_have_text("36 comments")
