import pytest

from rejoinder.importers.markup import html_to_markdown
from rejoinder.render import render


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>a &amp; b &lt;3 &copy;</p>", "a & b \\<3 ©"),
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        ("line<br>next<br/>", "line\\\nnext"),
        ("<b>bold</b> <strong> strong </strong> <i>it</i> <em>em</em>",
         "**bold** **strong** *it* *em*"),
        ('<a href="https://x.org/a b(c)">site</a>', "[site](https://x.org/a%20b%28c%29)"),
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ("<blockquote><p>q1</p><p>q2</p></blockquote>", "> q1\n>\n> q2"),
        ("<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>", "- a\n- b\n  - c"),
        ('<ol start="3"><li>x</li><li>y</li></ol>', "3. x\n4. y"),
        ("<p>use <code>a`b</code></p>", "use ``a`b``"),
        ("<pre><code>if a &lt; b:\n    pass</code></pre>", "```\nif a < b:\n    pass\n```"),
        ("<script>alert(1)</script><style>p{}</style>ok", "ok"),
        ("<div><span>#not a heading</span></div>", "\\#not a heading"),
        ("<p>1. not a list</p><p>- nor this</p>", "1\\. not a list\n\n\\- nor this"),
        ("2 * 3 _x_ [y]", "2 \\* 3 \\_x\\_ \\[y\\]"),
        ("&amp;copy;", "\\&copy;"),
        ("<img src='x.png' alt='a chart'><iframe src='https://evil'>inside</iframe>", "a chart"),
        ("<p>Привіт, світе — Grüße 🎉</p>", "Привіт, світе — Grüße 🎉"),
        ("<p> </p><br>", ""),
    ],
)
def test_html_to_markdown(html, markdown):
    assert html_to_markdown(html) == markdown


def test_wordpress_newlines_become_breaks_and_paragraphs():
    text = "First\nsecond with <strong>bold</strong>\n\nNew paragraph\n> not a quote"
    assert html_to_markdown(text, newlines_are_breaks=True) == (
        "First\\\nsecond with **bold**\n\nNew paragraph\\\n\\> not a quote"
    )


@pytest.mark.parametrize(
    ("html", "rendered"),
    [
        ("<p>Hello &amp; <b>world</b> &lt;script&gt;</p>",
         "<p>Hello &amp; <strong>world</strong> &lt;script&gt;</p>"),
        ("2 * 3 * 4 = 24", "<p>2 * 3 * 4 = 24</p>"),
        ("<p>a<br>b</p>", "<p>a<br>\nb</p>"),
        ("<blockquote>quoted</blockquote><p>answer</p>",
         "<blockquote>\n<p>quoted</p>\n</blockquote>\n<p>answer</p>"),
        ("&amp;lt;b&amp;gt;", "<p>&amp;lt;b&amp;gt;</p>"),
    ],
)
def test_rendering_the_markdown_shows_what_the_html_showed(html, rendered):
    assert render(html_to_markdown(html)) == rendered


def test_link_survives_rendering_with_query_string():
    html = render(html_to_markdown('<a href="https://example.org/a?b=1&amp;c=2">src</a>'))
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
