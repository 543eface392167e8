"""WordPress WXR export: RSS 2.0 items carrying ``wp:comment`` blocks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from rejoinder.domain.states import CommentState
from rejoinder.domain.thread import normalize_uri
from rejoinder.importers.dates import parse_iso
from rejoinder.importers.errors import ImportFormatError
from rejoinder.importers.markup import html_to_markdown
from rejoinder.importers.records import (
    ImportedComment,
    ImportedThread,
    Record,
    SkippedRecord,
    SkipReason,
)
from rejoinder.importers.safexml import iter_elements, local_name

WP_PREFIX = "http://wordpress.org/export/"  # 1.0, 1.1 and 1.2 share the element names
STATES = {
    "1": CommentState.PUBLISHED,
    "approve": CommentState.PUBLISHED,
    "0": CommentState.PENDING,
    "hold": CommentState.PENDING,
    "spam": CommentState.SPAM,
    "trash": CommentState.DELETED,
    "post-trashed": CommentState.DELETED,
}
LINKBACKS = {"pingback", "trackback"}
THREAD_TYPES = {"post", "page"}


def _fields(elem: Element) -> dict[str, str]:
    """Child texts keyed ``wp:name`` for WordPress elements and ``name`` for plain RSS ones."""
    out: dict[str, str] = {}
    for child in elem:
        ns, name = local_name(child.tag)
        if ns.startswith(WP_PREFIX):
            out[f"wp:{name}"] = (child.text or "").strip()
        elif not ns:
            out[name] = (child.text or "").strip()
    return out


def parse_wordpress(path: str | Path) -> Iterator[Record]:
    """Each item's thread, then its comments, in file order; pingbacks are reported as skipped."""
    item: Element | None = None
    thread_done = False
    items = comments = 0
    for event, depth, elem in iter_elements(path, release_depths=frozenset({2})):
        ns, name = local_name(elem.tag)
        if depth == 0 and event == "start" and name != "rss":
            raise ImportFormatError(f"not a WordPress export: root element is {elem.tag!r}")
        if depth == 2 and name == "item":
            if event == "start":
                item, thread_done = elem, False
                items += 1
            elif not thread_done:
                fields = _fields(elem)
                if fields.get("wp:post_type") in THREAD_TYPES and fields.get("wp:status") in (
                    "publish", None):
                    yield _thread(fields, f"<item> #{items}")
            continue
        if item is None or depth != 3 or event != "end" or not ns.startswith(WP_PREFIX):
            continue
        if name != "comment":
            continue
        comments += 1
        if not thread_done:
            thread_done = True
            yield _thread(_fields(item), f"<item> #{items}")
        yield _comment(_fields(item).get("wp:post_id", ""), _fields(elem),
                       f"<wp:comment> #{comments}")
        item.remove(elem)


def _thread(fields: dict[str, str], where: str) -> ImportedThread | SkippedRecord:
    key = fields.get("wp:post_id")
    if not key:
        return SkippedRecord("thread", None, SkipReason.MISSING_ID, where)
    link = fields.get("link")
    if not link:
        return SkippedRecord("thread", key, SkipReason.MISSING_URI, where)
    return ImportedThread(
        key=key,
        uri=normalize_uri(link),
        title=fields.get("title") or None,
        url=link,
        closed=fields.get("wp:comment_status") == "closed",
        created=parse_iso(fields.get("wp:post_date_gmt")) or parse_iso(fields.get("wp:post_date")),
        position=where,
    )


def _comment(thread_key: str, f: dict[str, str], where: str) -> ImportedComment | SkippedRecord:
    key = f.get("wp:comment_id")
    if not key:
        return SkippedRecord("comment", None, SkipReason.MISSING_ID, where)
    kind = f.get("wp:comment_type", "")
    if kind in LINKBACKS:
        return SkippedRecord("comment", key, SkipReason.PINGBACK, where, kind)
    # comment_date_gmt is 0000-00-00 on some old or migrated posts; the local time is then the
    # best there is and is taken as UTC.
    raw = f.get("wp:comment_date_gmt")
    created = parse_iso(raw) or parse_iso(f.get("wp:comment_date"))
    if created is None:
        return SkippedRecord("comment", key, SkipReason.BAD_DATE, where, repr(raw))
    state = STATES.get(f.get("wp:comment_approved", "1"))
    if state is None:
        return SkippedRecord("comment", key, SkipReason.BAD_STATE, where,
                             repr(f.get("wp:comment_approved")))
    parent = f.get("wp:comment_parent", "0")
    return ImportedComment(
        key=key,
        thread_key=thread_key,
        parent_key=None if parent in ("", "0") else parent,
        author_name=f.get("wp:comment_author") or None,
        author_email=f.get("wp:comment_author_email") or None,
        author_website=f.get("wp:comment_author_url") or None,
        author_ip=f.get("wp:comment_author_IP") or None,
        text=html_to_markdown(f.get("wp:comment_content", ""), newlines_are_breaks=True),
        text_format="markdown",
        created=created,
        state=state,
        position=where,
    )
