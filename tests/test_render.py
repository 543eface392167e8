from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rejoinder.render import render

DANGEROUS = re.compile(r"<\s*(script|iframe|object|embed|style|svg|math|img|form|input)\b", re.I)
EVENT_ATTR = re.compile(r"<[^>]*\s(on[a-z]+|style|srcdoc|formaction)\s*=", re.I)
BAD_URL = re.compile(r"(href|src)\s*=\s*\"\s*(javascript|data|vbscript):", re.I)

FRAGMENTS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))", "[x](data:text/html;base64,PHNjcmlwdD4=)", "<svg onload=x>",
    "<a href='javascript:x'>y</a>", "javascript:alert(1)", "![i](javascript:x)",
    "<iframe src=x>", "[a](  javascript:x)", "<math><mi xlink:href=x>", "&#106;avascript:x",
    "[a](java\nscript:x)", "<div style='x:expression(1)'>", "**bold**", "> quote", "`code`",
    "http://example.org", "<<script>script>", "[a](vbscript:x)", "\u202e", "<a onclick=x>",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=8))
def test_rendered_html_never_carries_script(parts):
    html = render("".join(parts))
    assert not DANGEROUS.search(html), html
    assert not EVENT_ATTR.search(html), html
    assert not BAD_URL.search(html), html


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_renders(text):
    html = render(text)
    assert not DANGEROUS.search(html) and not EVENT_ATTR.search(html)


def test_supported_markdown():
    html = render(
        "*em* **strong** `code`\n\n> quote\n\n- a\n- b\n\n1. one\n\ntext\n\n```\nblock\n```"
    )
    for tag in ("<em>", "<strong>", "<code>", "<blockquote>", "<ul>", "<ol>", "<pre>"):
        assert tag in html
    link = render("see www.example.org and [x](https://example.org)")
    assert link.count('rel="nofollow ugc noopener"') == 2
    assert "<img" not in render("![alt](https://example.org/a.png)")
    assert "<h1>" not in render("# heading")
    assert "&lt;b&gt;" in render("<b>raw</b>")
