"""Writing: post, reply, quote, edit, delete, like, flag, keyboard use, drafts, held comments."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_ready
from tests.browser.server import HELD_SITE

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def post(page, text: str, name: str | None = None) -> None:
    form = page.locator(".rj > form.f")
    form.locator("textarea").fill(text)
    if name:
        form.get_by_label("Name (optional)").fill(name)
    form.get_by_role("button", name="Post comment").click()


def test_post_then_reply_nests_under_parent(live, page):
    page.goto(live.page("posting"))
    wait_ready(page)
    post(page, "First thoughts on **this**.", name="Ada")
    first = page.locator(".ls > .c").first
    expect(first).to_contain_text("First thoughts on this.")
    expect(first.locator(".n")).to_have_text("Ada")
    expect(first.locator("strong")).to_have_text("this")
    first.get_by_role("button", name="Reply to Ada").click()
    reply_form = first.locator(".sub form")
    reply_form.locator("textarea").fill("A reply to Ada.")
    reply_form.get_by_role("button", name="Post comment").click()
    expect(first.locator(".k > .c")).to_contain_text("A reply to Ada.")
    expect(page.locator("h2")).to_have_text("2 comments")


def test_quote_takes_selection_or_whole_comment(live, page):
    ids = live.seed("/t/quoting", 1)
    page.goto(live.page("quoting"))
    wait_ready(page)
    comment = page.locator(f"#comment-{ids[0]}")
    comment.get_by_role("button", name="Quote").click()
    textarea = comment.locator(".sub textarea")
    expect(textarea).to_have_value("> Top-level comment number 0.\n\n")
    comment.get_by_role("button", name="Cancel").click()
    page.evaluate(
        """id => {
        const p = document.querySelector('#rejoinder').shadowRoot
            .querySelector('#comment-' + id + ' .bd p').firstChild;
        getSelection().setBaseAndExtent(p, 10, p, 17);
    }""",
        ids[0],
    )
    comment.get_by_role("button", name="Quote").click()
    expect(textarea).to_have_value("> comment\n\n")


def test_edit_and_delete_own_comment(live, page):
    page.goto(live.page("editing"))
    wait_ready(page)
    post(page, "Original wording.")
    mine = page.locator(".ls > .c").first
    edit = mine.get_by_role("button", name=re.compile(r"Edit \(\d+ min left\)"))
    expect(edit).to_be_visible()
    edit.click()
    textarea = mine.locator(".sub textarea")
    expect(textarea).to_have_value("Original wording.")
    textarea.fill("Better wording.")
    mine.get_by_role("button", name="Save").click()
    expect(mine.locator(".bd")).to_have_text("Better wording.")
    page.reload()
    wait_ready(page)
    mine = page.locator(".ls > .c").first
    expect(mine.locator(".bd")).to_have_text("Better wording.")
    mine.get_by_role("button", name="Delete").click()
    mine.get_by_role("button", name="Really delete?").click()
    expect(page.locator(".ls > .c")).to_have_count(0)


def test_like_toggles_and_survives_reload(live, page):
    ids = live.seed("/t/liking", 1)
    page.goto(live.page("liking"))
    wait_ready(page)
    like = page.locator(f"#comment-{ids[0]}").get_by_role("button", name=re.compile("^Like"))
    expect(like).to_have_attribute("aria-pressed", "false")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_have_text("♥ 1")
    page.reload()
    wait_ready(page)
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_have_text("♥ 1")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(like).to_have_text("♥ 0")


def test_flag_with_a_reason(live, page):
    ids = live.seed("/t/flagging", 1)
    page.goto(live.page("flagging"))
    wait_ready(page)
    comment = page.locator(f"#comment-{ids[0]}")
    comment.get_by_role("button", name="Report").click()
    comment.get_by_label("Reason").select_option("harassment")
    comment.get_by_role("button", name="Send report").click()
    expect(comment).to_contain_text("Thank you. A moderator will look at it.")


def test_keyboard_only_posting(live, page):
    page.goto(live.page("keyboard"))
    wait_ready(page)
    focused = "document.querySelector('#rejoinder').shadowRoot.activeElement"
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate(f"{focused}?.tagName") == "TEXTAREA":
            break
    assert page.evaluate(f"{focused}?.tagName") == "TEXTAREA"
    page.keyboard.type("Typed without a mouse.")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate(f"{focused}?.type") == "submit":
            break
    assert page.evaluate(f"{focused}?.textContent") == "Post comment"
    outline = page.evaluate(f"getComputedStyle({focused}).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    expect(page.locator(".ls > .c").first).to_contain_text("Typed without a mouse.")


def test_failed_post_keeps_the_draft(live, page):
    page.goto(live.page("drafts"))
    wait_ready(page)

    def fail_posts(route):
        if route.request.method == "POST":
            route.abort()
        else:
            route.continue_()

    page.route("**/api/v1/comments", fail_posts)
    post(page, "Words I do not want to lose.")
    expect(page.locator(".rj > form.f .err")).to_contain_text("Could not reach the comment server")
    expect(page.locator(".ls > .c")).to_have_count(0)
    page.unroute("**/api/v1/comments")
    page.reload()
    wait_ready(page)
    textarea = page.locator(".rj > form.f textarea")
    expect(textarea).to_have_value("Words I do not want to lose.")
    page.locator(".rj > form.f").get_by_role("button", name="Post comment").click()
    expect(page.locator(".ls > .c")).to_have_count(1)
    page.reload()
    wait_ready(page)
    expect(textarea).to_have_value("")


def test_reply_draft_is_restored_after_reload(live, page):
    ids = live.seed("/t/reply-drafts", 1)
    page.goto(live.page("reply-drafts"))
    wait_ready(page)
    comment = page.locator(f"#comment-{ids[0]}")
    comment.get_by_role("button", name=re.compile("^Reply")).click()
    comment.locator(".sub textarea").fill("Half-written reply")
    page.reload()
    wait_ready(page)
    expect(comment.locator(".sub textarea")).to_have_value("Half-written reply")


def test_held_comment_is_shown_to_its_author(live, page):
    page.goto(live.page("held", site=HELD_SITE))
    wait_ready(page)
    post(page, "Please approve me.")
    mine = page.locator(".ls > .c").first
    expect(mine).to_contain_text("Please approve me.")
    expect(mine.locator(".badge")).to_have_text("Awaiting moderation")
    page.reload()
    wait_ready(page)
    expect(mine.locator(".badge")).to_have_text("Awaiting moderation")
    expect(mine).to_contain_text("Please approve me.")


def test_preview_shows_rendered_markdown(live, page):
    page.goto(live.page("preview"))
    wait_ready(page)
    form = page.locator(".rj > form.f")
    form.locator("textarea").fill("Some **bold** words")
    form.get_by_role("button", name="Preview").click()
    expect(form.locator(".pv strong")).to_have_text("bold")
    expect(form.locator("textarea")).to_be_hidden()
    form.get_by_role("button", name="Write").click()
    expect(form.locator("textarea")).to_have_value("Some **bold** words")


def test_hostile_draft_gets_a_gentle_nudge(live, page):
    page.goto(live.page("nudging"))
    wait_ready(page)
    form = page.locator(".rj > form.f")
    form.locator("textarea").fill("You are a stupid idiot and a moron, shut up and go away.")
    form.get_by_role("button", name="Post comment").click()
    nudge = form.locator(".nd")
    expect(nudge).to_be_visible()
    expect(page.locator(".ls > .c")).to_have_count(0)
    nudge.get_by_role("button", name="Post anyway").click()
    expect(page.locator(".ls > .c")).to_have_count(1)
