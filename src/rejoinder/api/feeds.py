"""Atom feeds (RFC 4287) of a thread's comments and of a site's most recent comments."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from rejoinder.api.deps import services
from rejoinder.api.problems import problem_responses
from rejoinder.domain.site import Site
from rejoinder.domain.states import CommentState
from rejoinder.domain.thread import normalize_uri
from rejoinder.errors import not_found
from rejoinder.services.notifications import thread_link
from rejoinder.store import comments as comment_store
from rejoinder.store import threads as thread_store
from rejoinder.store.comments import StoredComment

router = APIRouter(prefix="/api/v1/feeds", tags=["feeds"], responses=problem_responses())
ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
ENTRIES = 50
EPOCH = datetime(2000, 1, 1).astimezone()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _stamp(c: StoredComment) -> datetime:
    return c.edited or c.created


def atom_feed(
    *, feed_id: str, title: str, self_url: str, alternate: str,
    entries: list[tuple[StoredComment, str, str]],
) -> bytes:
    """``entries``: (comment, thread title, thread link), newest first."""
    feed = ET.Element("feed", {"xmlns": ATOM})
    _sub(feed, "id", feed_id)
    _sub(feed, "title", title)
    updated = max((_stamp(c) for c, _, _ in entries), default=EPOCH)
    _sub(feed, "updated", updated.isoformat())
    _sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=alternate, type="text/html")
    _sub(feed, "generator", "Rejoinder")
    for comment, thread_title, link in entries:
        entry = _sub(feed, "entry")
        href = f"{link}#rejoinder-{comment.id}"
        name = comment.author_name or "Anonymous"
        _sub(entry, "id", href)
        _sub(entry, "title", f"{name} on {thread_title}")
        _sub(entry, "updated", _stamp(comment).isoformat())
        _sub(entry, "published", comment.created.isoformat())
        author = _sub(entry, "author")
        _sub(author, "name", name)
        if comment.author_website:
            _sub(author, "uri", comment.author_website)
        _sub(entry, "link", rel="alternate", href=href, type="text/html")
        _sub(entry, "content", comment.html, type="html")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def _base(request: Request) -> str:
    public = request.app.state.settings.public_url
    return public.rstrip("/") if public else str(request.base_url).rstrip("/")


@router.get("/thread.atom", response_class=Response)
async def thread_feed(
    request: Request,
    site: Annotated[str, Query(max_length=64)],
    uri: Annotated[str, Query(max_length=1000)],
) -> Response:
    """The newest published comments of one page."""
    found: Site = await services(request).sites.require(site)
    path = normalize_uri(uri)
    async with services(request).db.read() as conn:
        thread = await thread_store.thread_by_uri(conn, found.id, path)
        if thread is None:
            raise not_found("thread_not_found", "There are no comments on this page yet.")
        everything = await comment_store.thread_comments(conn, thread.id)
    link = thread_link(found, thread.uri, thread.url)
    title = thread.title or thread.uri
    published = [c for c in everything if c.state is CommentState.PUBLISHED]
    published.sort(key=lambda c: (c.created, c.id), reverse=True)
    body = atom_feed(
        feed_id=f"{_base(request)}/api/v1/feeds/thread.atom?site={found.key}&uri={thread.uri}",
        title=f"Comments on {title}", self_url=str(request.url), alternate=link,
        entries=[(c, title, link) for c in published[:ENTRIES]],
    )
    return Response(body, media_type=MEDIA_TYPE)


@router.get("/site/{site}.atom", response_class=Response)
async def site_feed(request: Request, site: Annotated[str, Path(max_length=64)]) -> Response:
    """The newest published comments across a site."""
    found = await services(request).sites.require(site)
    async with services(request).db.read() as conn:
        recent = await comment_store.recent_published(conn, found.id, ENTRIES)
    home = found.origins[0] if found.origins else _base(request)
    entries = [
        (c, title or uri, thread_link(found, uri, None)) for c, uri, title in recent
    ]
    body = atom_feed(
        feed_id=f"{_base(request)}/api/v1/feeds/site/{found.key}.atom",
        title=f"Comments on {found.name}", self_url=str(request.url), alternate=home,
        entries=entries,
    )
    return Response(body, media_type=MEDIA_TYPE)
