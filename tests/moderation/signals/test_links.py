from __future__ import annotations

from rejoinder.domain.decision import Verdict
from rejoinder.moderation.signals.links import LinkSignal, blocked_by, find_links


def test_markdown_and_bare_links_each_count_once() -> None:
    text = (
        "See [the essay](https://example.org/essay \"title\") and https://example.org/other, "
        "or <https://auto.example/x> and www.plain.example/path. Mail me: a@b.example"
    )
    assert find_links(text) == [
        "https://example.org/essay",
        "https://auto.example/x",
        "https://example.org/other",
        "www.plain.example/path",
    ]


def test_markdown_link_whose_text_is_a_url_counts_once() -> None:
    assert find_links("[https://a.example](https://a.example)") == ["https://a.example"]


def test_blocked_by_includes_subdomains_only() -> None:
    blocked = ("spam.example",)
    assert blocked_by("spam.example", blocked) == "spam.example"
    assert blocked_by("cdn.spam.example", blocked) == "spam.example"
    assert blocked_by("notspam.example", blocked) is None


async def test_holds_above_max_links(make_submission, make_context) -> None:
    signal = LinkSignal()
    text = "https://a.example https://b.example https://c.example"
    results = await signal.assess(make_submission(text), make_context(max_links=2))
    assert [(r.suggests, r.reason) for r in results] == [(Verdict.HOLD, "3 links")]
    assert await signal.assess(make_submission(text), make_context(max_links=3)) == []


async def test_blocked_domain_rejects_even_when_only_named(make_submission, make_context) -> None:
    signal = LinkSignal()
    ctx = make_context(blocked_domains=("pills.example",))
    for text in ["buy at https://www.pills.example/now", "visit shop.pills.example today"]:
        results = await signal.assess(make_submission(text), ctx)
        assert [(r.suggests, r.reason) for r in results] == [
            (Verdict.REJECT, "blocked domain: pills.example")
        ]
    site = make_submission("hello", author_website="http://pills.example")
    assert [r.reason for r in await signal.assess(site, ctx)] == ["blocked domain: pills.example"]
    assert await signal.assess(make_submission("pills are fine"), ctx) == []
