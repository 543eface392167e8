"""Sign-in in Chromium: the popup on the comment server, the email link, postMessage origins."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rejoinder.notify.worker import OutboxWorker
from rejoinder.services.sites import SiteDirectory
from tests.browser.conftest import wait_ready
from tests.browser.server import RELAXED
from tests.notify.conftest import notify_config

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SITE = "signin"


@pytest.fixture(scope="module")
def signin_site(live) -> str:
    async def add(db) -> None:
        directory = SiteDirectory(db)
        if await directory.get(SITE) is None:
            await directory.add(SITE, "Sign-in blog", [live.base], {
                **RELAXED, "identity": {"methods": ["guest", "email"]},
            })

    live.run(add)
    return SITE



def signed_in_name(page) -> str:
    return page.locator(".acct .me")


def test_email_link_in_the_popup_signs_the_widget_in(live, page, context, signin_site, mailbox):
    page.goto(live.page("signin-flow", site=signin_site))
    wait_ready(page)
    with page.expect_popup() as opened:
        page.locator(".acct").get_by_role("button", name="Sign in").click()
    popup = opened.value
    popup.wait_for_load_state()
    assert popup.url.startswith(f"{live.base}/signin?")
    popup.get_by_label("Email address").fill("popup.reader@example.org")
    popup.get_by_role("button", name="Email me a sign-in link").click()
    expect(popup.locator("#status")).to_contain_text("on its way")

    live.run(lambda db: OutboxWorker(db, notify_config(mailbox)).run_once())
    text = mailbox.messages[-1].get_body(("plain",)).get_content()
    link = re.search(r"(http://\S+/signin/link\?t=\S+)", text).group(1)
    tab = context.new_page()
    tab.goto(link)
    tab.get_by_role("button", name="Sign in").click()
    expect(tab.locator("h1")).to_contain_text("Signed in as Popup Reader")

    expect(signed_in_name(page)).to_contain_text("Signed in as Popup Reader", timeout=15000)
    form = page.locator(".rj > form.f")
    expect(form.get_by_label("Name (optional)")).to_be_hidden()
    form.locator("textarea").fill("Words from a signed-in reader.")
    form.get_by_role("button", name="Post comment").click()
    first = page.locator(".ls > .c").first
    expect(first.locator(".n")).to_have_text("Popup Reader")
    expect(first.locator(".vb")).to_be_visible()

    page.locator(".acct").get_by_role("button", name="My comments").click()
    expect(page.locator(".acct .my li")).to_contain_text("Words from a signed-in reader.")
    page.locator(".acct").get_by_role("button", name="Sign out").click()
    expect(page.locator(".acct").get_by_role("button", name="Sign in")).to_be_visible()
    assert page.evaluate("localStorage.getItem('rejoinder:tok:signin')") is None


def test_messages_from_other_origins_or_of_other_types_are_ignored(live, page, signin_site):
    page.goto(live.page("signin-foreign", site=signin_site))
    wait_ready(page)
    foreign = live.base.replace("127.0.0.1", "localhost")
    page.evaluate("""(src) => { const f = document.createElement('iframe');
                                f.src = src; document.body.append(f); }""",
                  f"{foreign}/healthz/live")
    page.wait_for_function("document.querySelector('iframe') !== null")
    frame = None
    for _ in range(100):
        frame = next((f for f in page.frames if f.url.startswith(foreign)), None)
        if frame is not None:
            break
        page.wait_for_timeout(50)
    assert frame is not None
    frame.evaluate("""() => parent.postMessage({type: 'rejoinder:signin', token: 'rj_forged',
                                                profile: {name: 'Mallory'}}, '*')""")
    page.evaluate("""() => window.postMessage({type: 'something-else', token: 'rj_x',
                                               profile: {name: 'Eve'}}, '*')""")
    page.wait_for_timeout(500)
    assert page.evaluate("localStorage.getItem('rejoinder:tok:signin')") is None
    expect(signed_in_name(page)).to_have_count(0)
    # the same message from the comment server's own origin is taken: the origin decided
    page.evaluate("""() => window.postMessage({type: 'rejoinder:signin', token: 'rj_same',
                                               profile: {name: 'Trusted'}}, '*')""")
    expect(signed_in_name(page)).to_contain_text("Signed in as Trusted")
    page.evaluate("localStorage.removeItem('rejoinder:tok:signin')")
