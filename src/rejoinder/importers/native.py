"""Rejoinder's own export format: read as a stream, and the JSON shape of each record.

One JSON document, written with one record per line so that it can be read incrementally::

    {"format": "rejoinder-export", "version": 1, "exported": "...", "site": {...},
    "threads": [
    {"id": "12", "uri": "/essay", "title": "...", "url": "...", "closed": false, "created": ...},
    ...],
    "comments": [
    {"id": "5", "thread": "12", "parent": null, "author": {...}, "text": "...", ...},
    ...]}

``format`` and ``version`` come before the arrays, and ``threads`` before ``comments``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rejoinder.domain.states import CommentState
from rejoinder.domain.thread import normalize_uri
from rejoinder.importers.dates import parse_iso
from rejoinder.importers.jsonstream import JsonStream
from rejoinder.importers.records import (
    ImportedComment,
    ImportedThread,
    Record,
    SkippedRecord,
    SkipReason,
)

FORMAT = "rejoinder-export"
VERSION = 1


def thread_to_json(thread: ImportedThread) -> dict[str, Any]:
    return {
        "id": thread.key,
        "uri": thread.uri,
        "title": thread.title,
        "url": thread.url,
        "closed": thread.closed,
        "created": thread.created.isoformat() if thread.created else None,
    }


def comment_to_json(comment: ImportedComment) -> dict[str, Any]:
    return {
        "id": comment.key,
        "thread": comment.thread_key,
        "parent": comment.parent_key,
        "author": {
            "name": comment.author_name,
            "email": comment.author_email,
            "website": comment.author_website,
            "ip": comment.author_ip,
        },
        "text": comment.text,
        "format": comment.text_format,
        "created": comment.created.isoformat(),
        "edited": comment.edited.isoformat() if comment.edited else None,
        "state": comment.state.value,
        "likes": comment.likes,
        "pinned": comment.pinned,
    }


def parse_rejoinder(path: str | Path) -> Iterator[Record]:
    """Threads then comments, as written; the header is checked before the first record."""
    with open(path, encoding="utf-8") as source:
        stream = JsonStream(source, Path(path).name)
        stream.expect("{")
        header: dict[str, Any] = {}
        done: set[str] = set()
        while stream.peek() != "}":
            key = stream.value()
            if not isinstance(key, str):
                raise stream.error("expected a member name")
            stream.expect(":")
            if key in ("threads", "comments"):
                _check_header(header, stream)
                if key == "threads" and "comments" in done:
                    raise stream.error('"threads" must come before "comments"')
                read = _thread if key == "threads" else _comment
                for item, where in stream.array():
                    yield read(item, where)
                done.add(key)
            else:
                header[key] = stream.value()
            if stream.peek() == ",":
                stream.pos += 1
        stream.expect("}")
        _check_header(header, stream)


def _check_header(header: dict[str, Any], stream: JsonStream) -> None:
    if header.get("format") != FORMAT:
        raise stream.error(f'not a Rejoinder export: "format" must be "{FORMAT}" and come first')
    if header.get("version") != VERSION:
        raise stream.error(f"unsupported export version {header.get('version')!r}")


def _key(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        return None
    return str(value)


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _thread(item: Any, where: str) -> ImportedThread | SkippedRecord:
    if not isinstance(item, dict) or _key(item.get("id")) is None:
        return SkippedRecord("thread", None, SkipReason.MISSING_ID, where)
    key = str(item["id"])
    uri = item.get("uri")
    if not isinstance(uri, str) or not uri:
        return SkippedRecord("thread", key, SkipReason.MISSING_URI, where)
    return ImportedThread(
        key=key,
        uri=normalize_uri(uri),
        title=_opt_str(item.get("title")),
        url=_opt_str(item.get("url")),
        closed=item.get("closed") is True,
        created=parse_iso(_opt_str(item.get("created"))),
        position=where,
    )


def _comment(item: Any, where: str) -> ImportedComment | SkippedRecord:
    if not isinstance(item, dict) or _key(item.get("id")) is None:
        return SkippedRecord("comment", None, SkipReason.MISSING_ID, where)
    key = str(item["id"])
    created = parse_iso(_opt_str(item.get("created")))
    if created is None:
        return SkippedRecord("comment", key, SkipReason.BAD_DATE, where, repr(item.get("created")))
    try:
        state = CommentState(item.get("state", "published"))
    except ValueError:
        return SkippedRecord("comment", key, SkipReason.BAD_STATE, where, repr(item.get("state")))
    thread_key = _key(item.get("thread"))
    if thread_key is None:
        return SkippedRecord("comment", key, SkipReason.MISSING_THREAD, where)
    author = item.get("author") if isinstance(item.get("author"), dict) else {}
    text = item.get("text")
    likes = item.get("likes")
    return ImportedComment(
        key=key,
        thread_key=thread_key,
        parent_key=_key(item.get("parent")),
        author_name=_opt_str(author.get("name")),
        author_email=_opt_str(author.get("email")),
        author_website=_opt_str(author.get("website")),
        author_ip=_opt_str(author.get("ip")),
        text=text if isinstance(text, str) else "",
        text_format="html" if item.get("format") == "html" else "markdown",
        created=created,
        state=state,
        likes=likes if isinstance(likes, int) and not isinstance(likes, bool) else 0,
        edited=parse_iso(_opt_str(item.get("edited"))),
        pinned=item.get("pinned") is True,
        position=where,
    )
