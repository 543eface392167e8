"""Site settings and bans."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rejoinder.errors import RejoinderError
from rejoinder.services.dashboard import thresholds_text
from rejoinder.web.dashboard.pages import render_page
from rejoinder.web.dashboard.session import Services, current_session, form_session, login_redirect

router = APIRouter(include_in_schema=False)


# GET /moderate/{site}/settings
@router.get("/moderate/{site}/settings")
async def settings_page(request: Request, services: Services, site: str) -> Response:
    session = await current_session(request)
    if session is None:
        return login_redirect(request)
    current, settings = await services.dashboard.settings(session.moderator, site)
    return render_page(
        request, "settings.html", session=session, site=current, settings=settings,
        sites=await services.dashboard.sites_for(session.moderator),
        thresholds=thresholds_text(settings), error=None, saved=False,
    )


# POST /moderate/{site}/settings  form: the settings fields, csrf_token
@router.post("/moderate/{site}/settings")
async def save_settings(request: Request, services: Services, site: str) -> Response:
    session, fields = await form_session(request)
    me = session.moderator
    error, status = None, 200
    try:
        current, settings = await services.dashboard.save_settings(me, site, fields)
    except RejoinderError as exc:
        if exc.status != 422:
            raise
        error, status = exc.detail, 422
        current, settings = await services.dashboard.settings(me, site)
    return render_page(
        request, "settings.html", session=session, site=current, settings=settings,
        sites=await services.dashboard.sites_for(me), thresholds=thresholds_text(settings),
        error=error, saved=error is None, status=status,
    )


# GET /moderate/{site}/bans
@router.get("/moderate/{site}/bans")
async def bans_page(request: Request, services: Services, site: str) -> Response:
    session = await current_session(request)
    if session is None:
        return login_redirect(request)
    me = session.moderator
    return render_page(
        request, "bans.html", session=session, site=await services.dashboard.site_for(me, site),
        sites=await services.dashboard.sites_for(me), bans=await services.actions.bans(me, site),
    )


# POST /moderate/{site}/bans  form: kind, value, reason, days, csrf_token
@router.post("/moderate/{site}/bans")
async def add_ban(request: Request, services: Services, site: str) -> Response:
    session, fields = await form_session(request)
    days = fields.get("days", "0")
    await services.actions.ban(
        session.moderator, site, kind=fields.get("kind", ""), value=fields.get("value"),
        reason=fields.get("reason"),
        duration=timedelta(days=int(days)) if days.isdigit() and int(days) else None,
    )
    return RedirectResponse(f"/moderate/{site}/bans", status_code=303)


# POST /moderate/{site}/bans/{id}/delete  form: csrf_token
@router.post("/moderate/{site}/bans/{ban_id}/delete")
async def remove_ban(request: Request, services: Services, site: str, ban_id: int) -> Response:
    session, _fields = await form_session(request)
    await services.actions.unban(session.moderator, site, ban_id)
    return RedirectResponse(f"/moderate/{site}/bans", status_code=303)
