"""Live updates between two readers, hostile input shown as text, and languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_other_reader_sees_new_comment_bar(live, browser, page):
    live.seed("/t/live", 1)
    other_context = browser.new_context()
    try:
        other = other_context.new_page()
        other.goto(live.page("live"))
        wait_ready(other)
        page.goto(live.page("live"))
        wait_ready(page)
        page.wait_for_timeout(300)  # both event streams are open
        form = page.locator(".rj > form.f")
        form.locator("textarea").fill("Breaking: a live comment.")
        form.get_by_role("button", name="Post comment").click()
        expect(page.locator(".ls > .c")).to_have_count(2)
        bar = other.get_by_role("button", name=re.compile("1 new comment"))
        expect(bar).to_be_visible()
        expect(other.locator(".ls > .c")).to_have_count(1)  # nothing jumps until asked
        expect(page.get_by_role("button", name=re.compile("new comment"))).to_have_count(0)
        bar.click()
        expect(other.locator(".ls > .c")).to_have_count(2)
        expect(other.locator(".ls")).to_contain_text("Breaking: a live comment.")
    finally:
        other_context.close()


def test_script_attempts_are_inert_text(live, page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live.page("hostile"))
    wait_ready(page)
    form = page.locator(".rj > form.f")
    form.locator("textarea").fill(
        "<script>alert(1)</script> <img src=x onerror=alert(2)> [go](javascript:alert(3))"
    )
    form.get_by_label("Name (optional)").fill("<img src=x onerror=alert(4)>")
    form.get_by_role("button", name="Post comment").click()
    comment = page.locator(".ls > .c").first
    expect(comment.locator(".n")).to_have_text("<img src=x onerror=alert(4)>")
    page.reload()
    wait_ready(page)
    expect(comment.locator(".n")).to_have_text("<img src=x onerror=alert(4)>")
    page.wait_for_timeout(300)
    found = page.evaluate("""() => {
        const root = document.querySelector('#rejoinder').shadowRoot;
        const all = [...root.querySelectorAll('*')];
        return {
            scripts: all.filter(e => e.tagName === 'SCRIPT').length,
            handlers: all.flatMap(e => [...e.attributes].map(a => a.name))
                .filter(n => n.startsWith('on')),
            js: all.filter(e => /^\\s*javascript:/i.test(e.getAttribute('href') || '')).length,
        };
    }""")
    assert found == {"scripts": 0, "handlers": [], "js": 0}
    assert dialogs == []


def test_german_strings_by_attribute(live, page):
    live.seed("/t/deutsch", 2)
    page.goto(live.page("deutsch", lang="de"))
    wait_ready(page)
    expect(page.locator("h2")).to_have_text("2 Kommentare")
    expect(page.get_by_role("button", name="Kommentar senden")).to_be_visible()
    expect(page.locator(".c time").first).to_have_text(re.compile("vor .*Stunden"))


def test_page_language_picks_the_catalogue(live, page):
    live.seed("/t/francais", 1)
    page.goto(live.page("francais", page_lang="fr-FR"))
    wait_ready(page)
    expect(page.locator("h2")).to_have_text("1 commentaire")
    expect(page.get_by_role("button", name="Publier")).to_be_visible()


def test_unknown_language_falls_back_to_english(live, page):
    page.goto(live.page("klingon", lang="tlh"))
    wait_ready(page)
    expect(page.locator("h2")).to_have_text("No comments yet. Start the discussion.")
