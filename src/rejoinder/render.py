"""Markdown to safe HTML: the one place comment HTML is made.

The renderer runs when a comment is written, never on read. Its output is passed through an
allow-list sanitizer (nh3), so even a renderer bug cannot put a script, an event handler or a
``javascript:``/``data:`` URL into stored HTML.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "del", "a", "blockquote", "code", "pre", "ul", "ol", "li",
}
IMAGE_TAGS = {"img"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "ol": {"start"},
    "img": {"src", "alt", "title"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


@lru_cache(maxsize=2)
def _markdown(allow_images: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["linkify", "strikethrough"])
    md.disable(["heading", "lheading", "hr", "html_block", "html_inline", "table"], True)
    if not allow_images:
        md.disable("image")
    md.validateLink = _validate_link  # type: ignore[method-assign]
    return md


def _validate_link(url: str) -> bool:
    lowered = url.strip().lower()
    if ":" not in lowered.split("/", 1)[0]:
        return True  # relative or fragment
    return lowered.split(":", 1)[0] in URL_SCHEMES


def render(text: str, *, allow_images: bool = False) -> str:
    html = _markdown(allow_images).render(text)
    return sanitize(html, allow_images=allow_images)


def sanitize(html: str, *, allow_images: bool = False) -> str:
    tags = ALLOWED_TAGS | IMAGE_TAGS if allow_images else ALLOWED_TAGS
    return nh3.clean(
        html,
        tags=tags,
        attributes={k: v for k, v in ALLOWED_ATTRIBUTES.items() if k in tags},
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
