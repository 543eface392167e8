"""The moderator JSON API: the dashboard's queues and actions for scripts and the page's keys.

Authentication is the dashboard's session cookie; every change needs the session's CSRF token in
``X-CSRF-Token``, and requests from other origins are refused.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, Field

from rejoinder.api.problems import problem_responses
from rejoinder.services.dashboard import thresholds_text
from rejoinder.services.moderation_actions import Action
from rejoinder.web.dashboard.session import ApiSession, CommentId, Services

router = APIRouter(prefix="/api/v1/moderate", tags=["moderation"], responses=problem_responses())
QueueName = Literal["pending", "reported", "spam", "rejected", "recent"]


class ActionBody(BaseModel):
    reason: str | None = Field(None, max_length=1000, description="Shown in the audit log.")


class EditBody(BaseModel):
    text: str = Field(..., description="New Markdown text; the HTML is rendered again.")


class BulkBody(BaseModel):
    action: Literal["approve", "reject", "spam", "delete"]
    ids: list[int] = Field(..., min_length=1, max_length=500)
    reason: str | None = Field(None, max_length=1000)


class BanBody(BaseModel):
    kind: Literal["author", "ip", "email_domain"]
    value: str | None = Field(None, max_length=320, description="What to ban, or give comment_id")
    comment_id: int | None = Field(None, description="Ban this comment's author / IP / domain.")
    reason: str | None = Field(None, max_length=1000)
    duration_hours: float | None = Field(None, gt=0, description="Omit for a permanent ban.")


def _ban(b: Any) -> dict[str, Any]:
    return {"id": b.id, "kind": b.kind, "value": b.value, "reason": b.reason,
            "created_by": b.created_by, "created": b.created.isoformat(),
            "expires": b.expires.isoformat() if b.expires else None}


# GET /api/v1/moderate/sites
@router.get("/sites", summary="Sites the signed-in moderator may act on")
async def my_sites(session: ApiSession, services: Services) -> dict[str, Any]:
    sites = await services.dashboard.sites_for(session.moderator)
    return {"user": session.moderator.username, "role": session.moderator.role.value,
            "sites": [{"key": s.key, "name": s.name} for s in sites]}


# GET /api/v1/moderate/{site}/queues/{queue}?q=&author=&thread=&page=
@router.get("/{site}/queues/{queue}", summary="A moderation queue with context and reasons")
async def queue(
    session: ApiSession, services: Services, site: str, queue: QueueName,
    q: Annotated[str, Query(max_length=200, description="Text search")] = "",
    author: Annotated[str, Query(max_length=200)] = "",
    thread: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> dict[str, Any]:
    me = session.moderator
    items = await services.dashboard.queue(me, site, queue, text=q, author=author,
                                           thread=thread, page=page)
    return {"queue": queue, "page": page, "counts": await services.dashboard.counts(me, site),
            "items": [i.as_dict() for i in items]}


# GET /api/v1/moderate/{site}/comments/{id}
@router.get("/{site}/comments/{comment_id}", summary="One comment with its moderation context")
async def comment(session: ApiSession, services: Services, site: str, comment_id: CommentId
                  ) -> dict[str, Any]:
    return (await services.dashboard.item(session.moderator, site, comment_id)).as_dict()


# POST /api/v1/moderate/{site}/comments/{id}/{action}
@router.post("/{site}/comments/{comment_id}/{action}", summary="Act on a comment")
async def act(
    session: ApiSession, services: Services, site: str, comment_id: CommentId, action: Action,
    body: Annotated[ActionBody | None, Body()] = None,
) -> dict[str, Any]:
    """approve / reject / spam / delete; pin / unpin; close / reopen its thread; trust /
    untrust / always_hold / unhold its author. Approve, reject and spam resolve open flags."""
    done = await services.actions.act(session.moderator, site, comment_id, action,
                                      body.reason if body else None)
    return done.as_dict()


# PATCH /api/v1/moderate/{site}/comments/{id}
@router.patch("/{site}/comments/{comment_id}", summary="Edit a comment's text")
async def edit(session: ApiSession, services: Services, site: str, comment_id: CommentId,
               body: EditBody) -> dict[str, Any]:
    done = await services.actions.edit(session.moderator, site, comment_id, body.text)
    return done.as_dict()


# POST /api/v1/moderate/{site}/bulk
@router.post("/{site}/bulk", summary="Approve, reject, spam or delete many comments")
async def bulk(session: ApiSession, services: Services, site: str, body: BulkBody
               ) -> dict[str, Any]:
    done = await services.actions.bulk(session.moderator, site, body.ids, body.action,
                                       body.reason)
    return {"done": [d.as_dict() for d in done]}


# GET /api/v1/moderate/{site}/bans
@router.get("/{site}/bans", summary="Active bans")
async def bans(session: ApiSession, services: Services, site: str) -> dict[str, Any]:
    return {"bans": [_ban(b) for b in await services.actions.bans(session.moderator, site)]}


# POST /api/v1/moderate/{site}/bans
@router.post("/{site}/bans", status_code=201, summary="Ban an author, IP/network or email domain")
async def ban(session: ApiSession, services: Services, site: str, body: BanBody
              ) -> dict[str, Any]:
    created = await services.actions.ban(
        session.moderator, site, kind=body.kind, value=body.value, comment_id=body.comment_id,
        reason=body.reason,
        duration=timedelta(hours=body.duration_hours) if body.duration_hours else None,
    )
    return _ban(created)


# DELETE /api/v1/moderate/{site}/bans/{id}
@router.delete("/{site}/bans/{ban_id}", status_code=204, summary="Lift a ban")
async def unban(session: ApiSession, services: Services, site: str, ban_id: int) -> None:
    await services.actions.unban(session.moderator, site, ban_id)


# GET /api/v1/moderate/{site}/audit?page=
@router.get("/{site}/audit", summary="Moderator actions, newest first")
async def audit(session: ApiSession, services: Services, site: str,
                page: Annotated[int, Query(ge=1)] = 1) -> dict[str, Any]:
    entries = await services.dashboard.audit(session.moderator, site, page=page)
    return {"entries": [
        {"comment_id": e.comment_id, "actor": e.actor, "action": e.action,
         "from_state": e.from_state, "to_state": e.to_state, "reason": e.reason,
         "created": e.created.isoformat()} for e in entries
    ]}


# GET /api/v1/moderate/{site}/stats
@router.get("/{site}/stats", summary="Comments per day, share held, median time to decision")
async def stats(session: ApiSession, services: Services, site: str) -> dict[str, Any]:
    return (await services.dashboard.stats(session.moderator, site)).as_dict()


# GET /api/v1/moderate/{site}/settings
@router.get("/{site}/settings", summary="The site's moderation settings")
async def settings(session: ApiSession, services: Services, site: str) -> dict[str, Any]:
    current, values = await services.dashboard.settings(session.moderator, site)
    return {"origins": current.origins, "moderation": values.to_mapping(),
            "score_thresholds_text": thresholds_text(values)}


# PUT /api/v1/moderate/{site}/settings  body: the settings form's fields as strings
@router.put("/{site}/settings", summary="Replace the site's moderation settings")
async def save_settings(session: ApiSession, services: Services, site: str,
                        body: dict[str, str]) -> dict[str, Any]:
    current, values = await services.dashboard.save_settings(session.moderator, site, body)
    return {"origins": current.origins, "moderation": values.to_mapping()}
