"""Disqus XML export: ``<disqus>`` holding ``<category>``, ``<thread>`` and ``<post>`` elements."""

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

NS = "http://disqus.com"
DSQ_ID = "{http://disqus.com/disqus-internals}id"


def parse_disqus(path: str | Path) -> Iterator[Record]:
    """Threads, comments and skipped records in file order (Disqus lists threads first)."""
    counters = {"thread": 0, "post": 0}
    for event, depth, elem in iter_elements(path):
        if depth == 0 and event == "start" and elem.tag != f"{{{NS}}}disqus":
            raise ImportFormatError(f"not a Disqus export: root element is {elem.tag!r}")
        if depth != 1 or event != "end":
            continue
        ns, name = local_name(elem.tag)
        if ns != NS or name not in counters:
            continue
        counters[name] += 1
        where = f"<{name}> #{counters[name]}"
        yield _thread(elem, where) if name == "thread" else _post(elem, where)


def _text(elem: Element, name: str) -> str | None:
    child = elem.find(f"{{{NS}}}{name}")
    if child is None:
        return None
    return (child.text or "").strip()


def _flag(elem: Element, name: str) -> bool:
    return (_text(elem, name) or "").lower() == "true"


def _ref(elem: Element, name: str) -> str | None:
    child = elem.find(f"{{{NS}}}{name}")
    value = child.get(DSQ_ID) if child is not None else None
    return value or None


def _thread(elem: Element, where: str) -> ImportedThread | SkippedRecord:
    key = elem.get(DSQ_ID)
    if not key:
        return SkippedRecord("thread", None, SkipReason.MISSING_ID, where)
    link = _text(elem, "link")
    if not link:
        return SkippedRecord("thread", key, SkipReason.MISSING_URI, where)
    return ImportedThread(
        key=key,
        uri=normalize_uri(link),
        title=_text(elem, "title") or None,
        url=link,
        closed=_flag(elem, "isClosed"),
        created=parse_iso(_text(elem, "createdAt")),
        position=where,
    )


def _post(elem: Element, where: str) -> ImportedComment | SkippedRecord:
    key = elem.get(DSQ_ID)
    if not key:
        return SkippedRecord("comment", None, SkipReason.MISSING_ID, where)
    raw_date = _text(elem, "createdAt")
    created = parse_iso(raw_date)
    if created is None:
        return SkippedRecord("comment", key, SkipReason.BAD_DATE, where, repr(raw_date))
    thread_key = _ref(elem, "thread")
    if thread_key is None:
        return SkippedRecord("comment", key, SkipReason.MISSING_THREAD, where, "no <thread>")
    author = elem.find(f"{{{NS}}}author")
    name = email = None
    if author is not None:
        name = _text(author, "name") or _text(author, "username") or None
        email = _text(author, "email") or None
    if _flag(elem, "isSpam"):
        state = CommentState.SPAM
    elif _flag(elem, "isDeleted"):
        state = CommentState.DELETED
    else:
        state = CommentState.PUBLISHED
    message = elem.find(f"{{{NS}}}message")
    return ImportedComment(
        key=key,
        thread_key=thread_key,
        parent_key=_ref(elem, "parent"),
        author_name=name,
        author_email=email,
        author_website=None,
        author_ip=_text(elem, "ipAddress") or None,
        text=html_to_markdown(message.text or "") if message is not None else "",
        text_format="markdown",
        created=created,
        state=state,
        position=where,
    )
