"""Public endpoints: what the widget and any other client use."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from rejoinder import __version__
from rejoinder.api import schemas
from rejoinder.api.deps import CommentId, client_of, edit_token, services
from rejoinder.api.problems import problem_responses
from rejoinder.domain.states import SortOrder
from rejoinder.domain.thread import normalize_uri
from rejoinder.errors import invalid
from rejoinder.live.bus import channel_for
from rejoinder.render import render
from rejoinder.services.posting import NewComment

router = APIRouter(prefix="/api/v1", tags=["comments"])
PROBLEMS = problem_responses()
HEARTBEAT_SECONDS = 15.0


@router.get("/comments", response_model=schemas.ThreadPageOut, responses={**PROBLEMS, 304: {}})
async def list_comments(
    request: Request,
    site: Annotated[str, Query(max_length=64)],
    uri: Annotated[str, Query(max_length=1000)],
    sort: SortOrder = SortOrder.OLDEST,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    replies: Annotated[int | None, Query(ge=0, le=1000)] = None,
) -> Response:
    """A page of the thread as a tree: top-level comments with their first replies nested."""
    page = await services(request).listing.page(
        site, uri, sort=sort, limit=limit, cursor=cursor, replies=replies
    )
    headers = {"ETag": page.etag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == page.etag:
        return Response(status_code=304, headers=headers)
    return Response(page.body, media_type="application/json", headers=headers)


@router.post("/comments", status_code=201, response_model=schemas.PostedOut, responses=PROBLEMS)
async def post_comment(request: Request, body: schemas.NewCommentIn) -> JSONResponse:
    """Post a top-level comment or a reply; returns the edit token for the edit window."""
    loaded = None
    if body.loaded_at is not None and 0 < body.loaded_at < 1e11:
        loaded = datetime.fromtimestamp(body.loaded_at, UTC)
    svc = services(request)
    reader = None
    if request.headers.get("authorization"):
        reader = await svc.signin.reader(
            await svc.sites.require(body.site), request.headers["authorization"]
        )
    posted = await svc.posting.post(
        NewComment(
            site=body.site, uri=body.uri, text=body.text, parent=body.parent, name=body.name,
            email=body.email, website=body.website, title=body.title, url=body.url,
            notify=body.notify, honeypot=body.hp, form_loaded_at=loaded,
        ),
        client_of(request),
        reader,
    )
    payload = {
        "comment": posted.comment,
        "edit_token": posted.edit_token,
        "editable_until": posted.editable_until.isoformat(),
        "held": posted.held,
        "message": "Your comment is awaiting moderation." if posted.held else None,
    }
    response = JSONResponse(payload, status_code=201)
    max_age = max(0, int((posted.editable_until - datetime.now(UTC)).total_seconds()))
    response.set_cookie(
        f"rejoinder_edit_{posted.comment['id']}", posted.edit_token, max_age=max_age,
        httponly=True, samesite="none", secure=True, path="/api/v1/comments",
    )
    return response


@router.get("/comments/stream", responses=PROBLEMS)
async def stream(
    request: Request,
    site: Annotated[str, Query(max_length=64)],
    uri: Annotated[str, Query(max_length=1000)],
) -> StreamingResponse:
    """Server-Sent Events: ``comment``, ``edit`` and ``delete`` events for one thread."""
    svc = services(request)
    found = await svc.sites.require(site)
    channel = channel_for(found.key, normalize_uri(uri))

    async def events() -> AsyncIterator[bytes]:
        yield b"retry: 3000\n\n"
        async with svc.bus.subscribe(channel) as incoming:
            iterator = incoming.__aiter__()
            while True:
                try:
                    event = await asyncio.wait_for(iterator.__anext__(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                except StopAsyncIteration:
                    return
                data = json.dumps(event, separators=(",", ":"))
                yield f"event: {event.get('type', 'message')}\ndata: {data}\n\n".encode()

    return StreamingResponse(
        events(), media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/comments/{comment_id}", response_model=schemas.CommentOut, responses=PROBLEMS)
async def get_comment(request: Request, comment_id: CommentId) -> dict[str, Any]:
    """One comment; a held one only for its author (edit token header)."""
    result: dict[str, Any] = await services(request).editing.view(
        comment_id, edit_token(request, comment_id)
    )
    return result


@router.patch("/comments/{comment_id}", response_model=schemas.CommentOut, responses=PROBLEMS)
async def edit_comment(
    request: Request, comment_id: CommentId, body: schemas.EditCommentIn
) -> dict[str, Any]:
    result: dict[str, Any] = await services(request).editing.edit(
        comment_id, edit_token(request, comment_id),
        text=body.text, name=body.name, website=body.website,
        origin=request.headers.get("origin"),
    )
    return result


@router.delete("/comments/{comment_id}", responses=PROBLEMS)
async def delete_comment(request: Request, comment_id: CommentId) -> dict[str, Any]:
    result: dict[str, Any] = await services(request).editing.delete(
        comment_id, edit_token(request, comment_id), request.headers.get("origin")
    )
    return result


@router.get("/comments/{comment_id}/replies", response_model=schemas.RepliesOut,
            responses=PROBLEMS)
async def more_replies(
    request: Request,
    comment_id: CommentId,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> dict[str, Any]:
    """Further replies below a comment, flat in tree order, each naming its parent."""
    result: dict[str, Any] = await services(request).listing.replies(
        comment_id, cursor=cursor, limit=limit
    )
    return result


@router.post("/comments/{comment_id}/like", response_model=schemas.LikeOut, responses=PROBLEMS)
async def like(request: Request, comment_id: CommentId) -> dict[str, Any]:
    client = client_of(request)
    result: dict[str, Any] = await services(request).voting.set_like(
        comment_id, request.headers.get("x-rejoinder-voter"), client.ip, liked=True,
        origin=client.origin,
    )
    return result


@router.delete("/comments/{comment_id}/like", response_model=schemas.LikeOut,
               responses=PROBLEMS)
async def unlike(request: Request, comment_id: CommentId) -> dict[str, Any]:
    client = client_of(request)
    result: dict[str, Any] = await services(request).voting.set_like(
        comment_id, request.headers.get("x-rejoinder-voter"), client.ip, liked=False,
        origin=client.origin,
    )
    return result


@router.post("/comments/{comment_id}/flag", status_code=202, response_model=schemas.FlagOut,
             responses=PROBLEMS)
async def flag(request: Request, comment_id: CommentId, body: schemas.FlagIn) -> dict[str, Any]:
    """Report a comment to the moderators; enough distinct readers hide it until reviewed."""
    client = client_of(request)
    result: dict[str, Any] = await services(request).flagging.flag(
        comment_id, body.reason, body.note, request.headers.get("x-rejoinder-voter"), client.ip,
        client.origin,
    )
    return result


@router.get("/sites/{site}/config", response_model=schemas.SiteConfigOut, responses=PROBLEMS)
async def site_config(request: Request, site: str) -> dict[str, Any]:
    """What the widget needs to know about a site before showing the form."""
    found = await services(request).sites.require(site)
    settings = request.app.state.settings
    return {
        "name": found.name,
        "edit_window_seconds": settings.edit_window_seconds,
        "max_text_length": settings.max_text_length,
        "require_name": bool(found.settings.get("require_name", False)),
        "require_email": bool(found.settings.get("require_email", False)),
        "nudge": bool(found.settings.get("nudge", True)),
        "language": found.settings.get("language"),
    }


@router.post("/drafts/score", response_model=schemas.DraftScoreOut, responses=PROBLEMS)
async def score_draft(request: Request, body: schemas.DraftIn) -> dict[str, Any]:
    """Score a draft on the server before it is posted; nothing is stored."""
    result: dict[str, Any] = await services(request).nudging.score_draft(body.site, body.text)
    return result


@router.post("/counts", response_model=schemas.CountsOut, responses=PROBLEMS)
async def counts(request: Request, body: schemas.CountsIn) -> dict[str, Any]:
    """Published-comment counts for up to 100 pages of one site."""
    return {"counts": await services(request).listing.counts(body.site, body.uris)}


@router.get("/sites/{site}/recent", response_model=schemas.RecentOut, responses=PROBLEMS)
async def recent(
    request: Request, site: str, limit: Annotated[int | None, Query(ge=1, le=100)] = None
) -> dict[str, Any]:
    return {"comments": await services(request).listing.recent(site, limit)}


@router.post("/preview", response_model=schemas.PreviewOut, responses=PROBLEMS)
async def preview(request: Request, body: schemas.PreviewIn) -> dict[str, str]:
    """The HTML the server would store for this Markdown."""
    settings = request.app.state.settings
    if len(body.text) > settings.max_text_length:
        raise invalid("text_too_long", "The comment is too long to preview.", "text")
    return {"html": render(body.text, allow_images=settings.allow_images)}


health = APIRouter(tags=["health"])


@health.get("/healthz", response_model=schemas.HealthOut, responses=PROBLEMS)
async def healthz(request: Request) -> dict[str, str]:
    """Checks that the database answers."""
    await services(request).db.ping()
    return {"status": "ok", "database": "ok", "version": __version__}


@health.get("/healthz/live", include_in_schema=False)
async def live() -> Response:
    """Answers without touching the database: the HTTP stack's own ceiling."""
    return Response(b'{"status":"ok"}', media_type="application/json")

