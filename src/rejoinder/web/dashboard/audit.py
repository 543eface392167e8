"""The audit log of moderator actions and the site's simple stats."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rejoinder.web.dashboard.pages import render_page
from rejoinder.web.dashboard.session import Services, current_session, login_redirect

router = APIRouter(include_in_schema=False)


# GET /moderate/{site}/audit?page=
@router.get("/moderate/{site}/audit")
async def audit_page(request: Request, services: Services, site: str, page: int = 1
                     ) -> Response:
    session = await current_session(request)
    if session is None:
        return login_redirect(request)
    me = session.moderator
    entries = await services.dashboard.audit(me, site, page=page)
    return render_page(
        request, "audit.html", session=session, site=await services.dashboard.site_for(me, site),
        sites=await services.dashboard.sites_for(me), entries=entries, page=page,
        more=len(entries) >= 50,
    )


# GET /moderate/{site}/stats
@router.get("/moderate/{site}/stats")
async def stats_page(request: Request, services: Services, site: str) -> Response:
    session = await current_session(request)
    if session is None:
        return login_redirect(request)
    me = session.moderator
    stats = await services.dashboard.stats(me, site)
    peak = max((n for _, n in stats.days), default=0) or 1
    return render_page(
        request, "stats.html", session=session, site=await services.dashboard.site_for(me, site),
        sites=await services.dashboard.sites_for(me), stats=stats, peak=peak,
    )
