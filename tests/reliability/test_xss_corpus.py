"""The hostile-input corpus against the renderer and against the widget in Chromium.

The fast tests walk ``render()`` output for every payload (images off and on). The browser test
posts every payload as a comment body and as the author name, and every website payload as the
author's website, then opens each thread with the widget and fails if any script ran (dialog,
``window.__pwned`` trap, page error, navigation, new frame) or if anything inside a comment
body or author name is outside the renderer's allow-list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from rejoinder.render import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, IMAGE_TAGS, LINK_REL, render
from tests.reliability.xss_corpus import COMMENT_TEXT, WEBSITES

SAFE_SCHEMES = {"http", "https", "mailto"}
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
BATCH = 20  # the widget's first page holds 20 top-level comments
NAME_LIMIT = 80


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see: C0/space trimmed, tabs and newlines removed inside."""
    cleaned = re.sub(r"[\t\n\r]", "", value.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b"
                                                   "\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
                                                   "\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
    match = SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


class AllowListCheck(HTMLParser):
    """Collects every tag, attribute or URL in a fragment that the allow-list does not permit."""

    def __init__(self, allow_images: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.tags = ALLOWED_TAGS | IMAGE_TAGS if allow_images else ALLOWED_TAGS
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.tags:
            self.problems.append(f"tag <{tag}>")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"<{tag}> attribute {name}={value!r}")
            elif name in {"href", "src"} and url_scheme(value or "") not in SAFE_SCHEMES | {None}:
                self.problems.append(f"<{tag}> {name}={value!r}")
            elif name == "rel" and value != LINK_REL:
                self.problems.append(f"<a> rel={value!r}")
        if tag == "a" and dict(attrs).get("rel") != LINK_REL:
            self.problems.append(f"<a> without rel {LINK_REL!r}")

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment <!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration <!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction <?{data}>")


def allow_list_problems(html: str, allow_images: bool) -> list[str]:
    check = AllowListCheck(allow_images)
    check.feed(html)
    check.close()
    return check.problems


def test_corpus_is_large_and_distinct():
    payloads = [p for _, p in COMMENT_TEXT]
    assert len(payloads) >= 150
    assert len(set(payloads)) == len(payloads)
    assert len({group for group, _ in COMMENT_TEXT}) >= 14


def test_checker_catches_what_it_should():
    assert allow_list_problems('<a href="javascript:x">y</a>', False)
    assert allow_list_problems('<a href="java\tscript:x" rel="nofollow ugc noopener">y</a>', False)
    assert allow_list_problems("<p onclick=x>y</p>", False)
    assert allow_list_problems("<img src=x>", False)
    assert allow_list_problems('<img src="data:x" alt="">', True)
    assert allow_list_problems("<svg></svg>", False)
    ok = f'<p><a href="/x?y" rel="{LINK_REL}" title="t">y</a></p><ol start="2"><li>a</li></ol>'
    assert allow_list_problems(ok, False) == []


@pytest.mark.parametrize("allow_images", [False, True], ids=["no-images", "images"])
def test_render_output_stays_inside_the_allow_list(allow_images):
    failures = {}
    for group, payload in COMMENT_TEXT:
        problems = allow_list_problems(render(payload, allow_images=allow_images), allow_images)
        if problems:
            failures[f"{group}: {payload!r}"] = problems
    assert failures == {}


# ---------------------------------------------------------------------------------------------
# In Chromium, through the API and the widget

TRAPS = """
window.__calls = [];
for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
  const original = window[name];
  window[name] = function (...args) {
    window.__calls.push(name + '(' + args.join(',') + ')');
    return name === 'open' ? null : original.apply(window, args);
  };
}
Object.defineProperty(window, '__pwned', {
  configurable: false,
  get() { return undefined; },
  set(value) { window.__calls.push('__pwned=' + value); },
});
"""

# Pokes every element of the comment bodies and names with the events payloads hook, then
# reports everything outside the allow-list. Anchors are not clicked (that would navigate); their
# href scheme is checked instead.
INSPECT = """
([tags, attrs, safe]) => {
  const host = document.querySelector('#rejoinder');
  const root = host.shadowRoot;
  const problems = [];
  const poke = ['mouseover', 'mouseenter', 'pointerover', 'pointerenter', 'focus', 'focusin',
                'dblclick', 'copy', 'toggle', 'animationstart', 'scroll', 'load', 'error'];
  const where = el => (el.closest('.c') || {dataset: {}}).dataset.id;
  const checkHref = (el, id) => {
    const raw = el.getAttribute('href');
    if (raw === null) return;
    const proto = new URL(raw, document.baseURI).protocol.replace(':', '');
    if (!safe.includes(proto)) problems.push(`#${id} href ${JSON.stringify(raw)}`);
  };
  const bodies = [...root.querySelectorAll('.c > .bd')];
  for (const body of bodies) {
    const id = where(body);
    for (const a of body.attributes) {
      if (a.name !== 'class') problems.push(`#${id} body attribute ${a.name}`);
    }
    for (const el of body.querySelectorAll('*')) {
      const tag = el.localName;
      if (!tags.includes(tag)) { problems.push(`#${id} tag <${tag}>`); continue; }
      for (const a of el.attributes) {
        if (!(attrs[tag] || []).includes(a.name)) {
          problems.push(`#${id} <${tag}> ${a.name}=${JSON.stringify(a.value)}`);
        }
      }
      if (tag === 'a') checkHref(el, id);
      for (const type of poke) el.dispatchEvent(new Event(type, {bubbles: true}));
      if (tag !== 'a') el.dispatchEvent(new MouseEvent('click', {bubbles: true}));
    }
  }
  const names = [...root.querySelectorAll('.c > .ch > .n')];
  for (const n of names) {
    const id = where(n);
    if (n.children.length) problems.push(`#${id} name has child elements: ${n.innerHTML}`);
    const expected = n.localName === 'a' ? ['class', 'href', 'rel', 'target'] : ['class'];
    for (const a of n.attributes) {
      if (!expected.includes(a.name)) problems.push(`#${id} name attribute ${a.name}`);
    }
    if (n.localName === 'a') {
      const proto = new URL(n.getAttribute('href'), document.baseURI).protocol;
      if (proto !== 'http:' && proto !== 'https:') problems.push(`#${id} website ${n.href}`);
    }
    for (const type of poke) n.dispatchEvent(new Event(type, {bubbles: true}));
  }
  const banned = 'script, iframe, frame, object, embed, base, meta, link, form[action], svg script';
  for (const el of root.querySelectorAll(banned)) problems.push(`widget holds <${el.localName}>`);
  if (root.querySelectorAll('style').length !== 1) problems.push('extra <style> in the widget');
  if (document.querySelectorAll('script').length !== 1) problems.push('extra <script> in page');
  if (document.querySelectorAll('iframe, object, embed, base').length) problems.push('page grew');
  return {
    problems,
    calls: window.__calls,
    ids: bodies.map(where),
    names: Object.fromEntries(names.map(n => [where(n), n.textContent])),
  };
}
"""


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from tests.browser.server import start_server

    server = start_server(Path(tmp_path_factory.mktemp("xss")))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.browser.conftest import ARGS, CHROMIUM

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def post_all(base: str) -> dict[str, dict[int, str | None]]:
    """Posts the corpus; returns, per thread name, the acknowledged ids and their author names."""
    threads: dict[str, dict[int, str | None]] = {}
    refused: list[str] = []
    with httpx.Client(base_url=base, headers={"Origin": base}, timeout=20) as client:

        def post(thread: str, **fields: str) -> httpx.Response:
            body = {"site": "test", "uri": f"/t/{thread}", "loaded_at": 0, **fields}
            return client.post("/api/v1/comments", json=body)

        for n, (_group, payload) in enumerate(COMMENT_TEXT):
            thread = f"xss-{n // BATCH}"
            r = post(thread, text=payload, name=payload[:NAME_LIMIT])
            if r.status_code != 201:
                refused.append(f"{payload!r}: {r.status_code} {r.text[:200]}")
                continue
            comment = r.json()["comment"]
            threads.setdefault(thread, {})[comment["id"]] = comment["author"]["name"]
        for n, website in enumerate(WEBSITES):
            r = post("xss-web", text=f"Website probe {n}", name=f"Probe {n}", website=website)
            if r.status_code == 422:
                assert r.json()["code"] == "website_invalid", r.text
                continue
            assert r.status_code == 201, r.text
            comment = r.json()["comment"]
            threads.setdefault("xss-web", {})[comment["id"]] = comment["author"]["name"]
    assert refused == []
    return threads


def publish_held(live: object, ids: list[int]) -> None:
    """Held comments are not listed; publish them so the widget shows every payload."""
    from rejoinder.domain.states import CommentState
    from rejoinder.store import comments as comment_store
    from rejoinder.store import threads as thread_store

    async def go(db) -> None:
        async with db.write() as conn:
            for comment_id in ids:
                stored = await comment_store.comment_by_id(conn, comment_id)
                assert stored is not None
                if stored.state != CommentState.PUBLISHED:
                    await comment_store.update_comment(
                        conn, comment_id, state=CommentState.PUBLISHED
                    )
                    await thread_store.bump_version(conn, stored.thread_id)

    live.run(go)  # type: ignore[attr-defined]


def canary_is_caught(page, tags: list[str], attrs: dict[str, list[str]]) -> list[str]:
    """Plants HTML the server would never send; the traps and the inspection must see it."""
    page.evaluate("""() => {
        const body = document.querySelector('#rejoinder').shadowRoot.querySelector('.c > .bd');
        body.innerHTML = '<img src=x onerror="window.__pwned=1"><a href="java&#9;script:0">x</a>';
    }""")
    page.wait_for_function("window.__calls.includes('__pwned=1')", timeout=5000)
    found = page.evaluate(INSPECT, [tags, attrs, sorted(SAFE_SCHEMES)])
    missed = []
    if not any("<img>" in p for p in found["problems"]):
        missed.append("img tag")
    if not any("href" in p and "script" in p for p in found["problems"]):
        missed.append("javascript: href with a tab")
    return missed


@pytest.mark.slow
@pytest.mark.browser
def test_no_payload_runs_in_the_widget(live, chromium):
    threads = post_all(live.base)  # type: ignore[attr-defined]
    publish_held(live, [i for ids in threads.values() for i in ids])
    tags = sorted(ALLOWED_TAGS)
    attrs = {tag: sorted(names | ({"rel"} if tag == "a" else set()))
             for tag, names in ALLOWED_ATTRIBUTES.items()}
    context = chromium.new_context()  # type: ignore[attr-defined]
    context.add_init_script(TRAPS)
    failures: dict[str, object] = {}
    try:
        page = context.new_page()
        page.set_default_timeout(10000)
        dialogs: list[str] = []
        errors: list[str] = []
        console: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        for thread, expected in threads.items():
            url = live.page(thread)  # type: ignore[attr-defined]
            page.goto(url)
            page.wait_for_function(
                "performance.getEntriesByName('rejoinder:ready').length > 0", timeout=10000
            )
            page.wait_for_timeout(150)  # let img/animation/timer payloads have their chance
            found = page.evaluate(INSPECT, [tags, attrs, sorted(SAFE_SCHEMES)])
            page.wait_for_timeout(100)
            found["calls"] += page.evaluate("window.__calls.slice()")
            if sorted(map(int, found["ids"])) != sorted(expected):
                failures[f"{thread} comments"] = (sorted(expected), found["ids"])
            shown = {int(k): v for k, v in found["names"].items()}
            wrong = {i: (name, shown.get(i)) for i, name in expected.items()
                     if name and shown.get(i) != name}
            for key, value in (("problems", found["problems"]), ("calls", found["calls"]),
                               ("names shown differently", wrong)):
                if value:
                    failures[f"{thread} {key}"] = value
            if page.url != url or len(page.frames) != 1:
                failures[f"{thread} navigation"] = (page.url, len(page.frames))
        canary = canary_is_caught(page, tags, attrs)
        if canary:
            failures["the checks missed a planted payload"] = canary
        hits = [m for m in console if re.search(r"pwned|alert|msgbox|Uncaught|Refused", m)]
        for key, value in (("dialogs", dialogs), ("page errors", errors), ("console", hits)):
            if value:
                failures[key] = value
    finally:
        context.close()
    assert failures == {}
