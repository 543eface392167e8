"""Imported HTML bodies to Markdown, so the server's own renderer makes the stored HTML.

Kept: paragraphs, line breaks, links (http, https, mailto), bold, italics, block quotes, inline
code, preformatted blocks and lists. Everything else is reduced to its text; ``script`` and
``style`` lose their content too. Entities are decoded, and text is escaped so that characters
that meant nothing in the HTML do not become Markdown syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote

BLOCKS = {"p", "div", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
          "table", "tr", "section", "article", "header", "footer", "figure", "hr"}
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col", "source"}
DROPPED = {"script", "style", "head", "title", "template", "noscript", "iframe", "object"}
LINK_SCHEMES = ("http://", "https://", "mailto:")
BREAK = "\x00"  # hard line break inside a paragraph, resolved when the paragraph is closed
PARA = "\x01"  # paragraph break found in text (WordPress bodies separate paragraphs by blank lines)

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<~])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^([-+=#>])|^(\d+)([.)])")
_SPACES = re.compile(r"[ \t\r\n\f]+")


@dataclass(slots=True)
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED:
            self.dropping += 1
            return
        if self.dropping:
            return
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED or self.dropping:
            return
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.stack[-1].children.append(data)


def html_to_markdown(html: str, *, newlines_are_breaks: bool = False) -> str:
    """Convert an HTML fragment to Markdown.

    With ``newlines_are_breaks`` (WordPress bodies), a blank line in the text starts a new
    paragraph and a single newline is a line break, as WordPress itself displays them.
    """
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return _Renderer(newlines_are_breaks).blocks(builder.root.children).strip()


def escape_text(text: str) -> str:
    return _ENTITY_LIKE.sub("\\&", _INLINE_SPECIAL.sub(r"\\\1", text))


class _Renderer:
    def __init__(self, newlines_are_breaks: bool) -> None:
        self.breaks = newlines_are_breaks

    def blocks(self, children: list[_Node | str], *, tight: bool = False) -> str:
        """Render block content; ``tight`` (inside a list item) keeps nested lists tight."""
        out: list[str] = []
        inline: list[str] = []

        def flush() -> None:
            paragraph = "".join(inline)
            inline.clear()
            for part in paragraph.split(PARA):
                text = _finish_paragraph(part)
                if text:
                    out.append(text)

        for child in children:
            if isinstance(child, _Node) and child.tag in BLOCKS:
                flush()
                block = self.block(child)
                if block.strip():
                    if tight and out and child.tag in ("ul", "ol"):
                        out[-1] = f"{out[-1]}\n{block}"
                    else:
                        out.append(block)
            else:
                inline.append(self.inline(child))
        flush()
        return "\n\n".join(out)

    def block(self, node: _Node) -> str:
        if node.tag == "pre":
            return _fence(_plain(node))
        if node.tag == "blockquote":
            inner = self.blocks(node.children)
            return "\n".join(f"> {line}".rstrip() for line in inner.split("\n"))
        if node.tag in ("ul", "ol"):
            return self.list_block(node)
        if node.tag == "hr":
            return ""
        return self.blocks(node.children)

    def list_block(self, node: _Node) -> str:
        items: list[str] = []
        number = _start(node.attrs.get("start")) if node.tag == "ol" else 0
        for child in node.children:
            if isinstance(child, str) and not child.strip():
                continue
            is_item = isinstance(child, _Node) and child.tag == "li"
            body = self.blocks(child.children if is_item else [child], tight=True)
            if not body.strip():
                continue
            marker = f"{number}." if node.tag == "ol" else "-"
            number += 1
            pad = " " * (len(marker) + 1)
            lines = body.split("\n")
            items.append("\n".join([f"{marker} {lines[0]}", *[
                f"{pad}{line}" if line else "" for line in lines[1:]]]))
        return "\n".join(items)

    def inline(self, child: _Node | str) -> str:
        if isinstance(child, str):
            return self.text(child)
        tag = child.tag
        if tag == "br":
            return BREAK
        if tag == "img":
            alt = child.attrs.get("alt", "").strip()
            return escape_text(alt)
        inner = "".join(self.inline(c) for c in child.children)
        if tag in BLOCKS:  # a block inside an inline element: keep the text on one line
            return f" {inner} "
        if tag in ("b", "strong"):
            return _wrap(inner, "**")
        if tag in ("i", "em"):
            return _wrap(inner, "*")
        if tag in ("s", "del", "strike"):
            return _wrap(inner, "~~")
        if tag == "code":
            return _code_span(_plain(child))
        if tag == "a":
            return _link(inner, child.attrs.get("href", ""))
        return inner

    def text(self, data: str) -> str:
        if not self.breaks:
            return escape_text(_SPACES.sub(" ", data))
        data = data.replace("\r\n", "\n").replace("\r", "\n")
        paragraphs = re.split(r"\n[ \t]*\n\s*", data)
        lines = [
            BREAK.join(escape_text(_SPACES.sub(" ", line)) for line in para.split("\n"))
            for para in paragraphs
        ]
        return PARA.join(lines)


def _finish_paragraph(text: str) -> str:
    text = text.replace(BREAK, "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    lines = [_LINE_START.sub(_escape_marker, line) for line in lines if line]
    return "\\\n".join(lines)


def _escape_marker(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def _wrap(inner: str, mark: str) -> str:
    stripped = inner.strip()
    if not stripped or BREAK in stripped or PARA in stripped:
        return inner
    lead = " " if inner[:1].isspace() else ""
    trail = " " if inner[-1:].isspace() else ""
    return f"{lead}{mark}{stripped}{mark}{trail}"


def _code_span(code: str) -> str:
    code = _SPACES.sub(" ", code)
    if not code.strip():
        return ""
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def _fence(code: str) -> str:
    code = code.strip("\n")
    if not code.strip():
        return ""
    longest = max((len(m) for m in re.findall(r"^`{3,}", code, re.M)), default=2)
    ticks = "`" * (longest + 1)
    return f"{ticks}\n{code}\n{ticks}"


def _link(text: str, href: str) -> str:
    href = href.strip()
    if not href.lower().startswith(LINK_SCHEMES) or BREAK in text or PARA in text:
        return text
    label = text.strip() or escape_text(href)
    target = quote(href, safe="/:?#[]@!$&'*+,;=%~-._")
    return f"[{label}]({target})"


def _plain(node: _Node) -> str:
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.tag == "br":
            parts.append("\n")
        else:
            parts.append(_plain(child))
    return "".join(parts)


def _start(value: str | None) -> int:
    try:
        return max(0, int(value or "1"))
    except ValueError:
        return 1
