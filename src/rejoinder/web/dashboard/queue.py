"""The queues and what a moderator does from them (plain HTML forms; the script only adds keys)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rejoinder.errors import RejoinderError, invalid
from rejoinder.services.dashboard import QUEUES
from rejoinder.services.moderation_actions import Action
from rejoinder.web.dashboard.auth import safe_next
from rejoinder.web.dashboard.pages import render_page
from rejoinder.web.dashboard.session import (
    CommentId,
    Services,
    current_session,
    form_list,
    form_session,
    login_redirect,
)

router = APIRouter(include_in_schema=False)
BAN_KINDS = ("author", "ip", "email_domain")


# GET /moderate/{site}  →  its pending queue
@router.get("/moderate/{site}")
async def site_home(site: str) -> Response:
    return RedirectResponse(f"/moderate/{site}/queue/pending", status_code=303)


# GET /moderate/{site}/queue/{queue}?q=&author=&thread=&page=
@router.get("/moderate/{site}/queue/{queue}")
async def queue_page(
    request: Request, services: Services, site: str, queue: str, q: str = "",
    author: str = "", thread: str = "", page: int = 1, done: str = "",
) -> Response:
    session = await current_session(request)
    if session is None:
        return login_redirect(request)
    me = session.moderator
    current = await services.dashboard.site_for(me, site)
    items = await services.dashboard.queue(me, site, queue, text=q, author=author,
                                           thread=thread, page=page)
    search = {k: v for k, v in (("q", q), ("author", author), ("thread", thread)) if v}
    return render_page(
        request, "queue.html", session=session, site=current,
        sites=await services.dashboard.sites_for(me),
        counts=await services.dashboard.counts(me, site), queue=queue, queues=QUEUES,
        items=items, q=q, author=author, thread=thread, page=page, done=done,
        more=len(items) >= 25, search_query=urlencode(search), ban_kinds=BAN_KINDS,
        back=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
    )


# POST /moderate/{site}/act  form: do=<action>:<id> | bulk:<action>, ids, reason[_id], ban_*_id
@router.post("/moderate/{site}/act")
async def act(request: Request, services: Services, site: str) -> Response:
    session, fields = await form_session(request)
    me = session.moderator
    what, _, target = fields.get("do", "").partition(":")
    if what == "bulk":
        ids = [int(i) for i in await form_list(request, "ids") if i.isdigit()]
        if not ids:
            raise invalid("nothing_selected", "Select at least one comment.", "ids")
        done = await services.actions.bulk(me, site, ids, target, fields.get("reason"))
        message = f"{target}: {len(done)} comments"
    elif target.isdigit():
        comment_id = int(target)
        if what == "ban":
            kind = fields.get(f"ban_kind_{comment_id}", "author")
            days = fields.get(f"ban_days_{comment_id}", "0")
            duration = timedelta(days=int(days)) if days.isdigit() and int(days) else None
            ban = await services.actions.ban(
                me, site, kind=kind, comment_id=comment_id, duration=duration,
                reason=fields.get(f"reason_{comment_id}"),
            )
            message = f"banned {ban.kind} {ban.value}"
        else:
            try:
                action = Action(what)
            except ValueError:
                raise invalid("invalid_action", f"{what!r} is not an action.", "do") from None
            await services.actions.act(me, site, comment_id, action,
                                       fields.get(f"reason_{comment_id}"))
            message = f"{action.value}: #{comment_id}"
    else:
        raise invalid("invalid_action", "Say what to do.", "do")
    back = safe_next(fields.get("back")) if fields.get("back") else f"/moderate/{site}"
    joiner = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{joiner}{urlencode({'done': message})}", status_code=303)


# GET /moderate/{site}/comments/{id}/edit
@router.get("/moderate/{site}/comments/{comment_id}/edit")
async def edit_form(
    request: Request, services: Services, site: str, comment_id: CommentId
) -> Response:
    session = await current_session(request)
    if session is None:
        return login_redirect(request)
    item = await services.dashboard.item(session.moderator, site, comment_id)
    return render_page(
        request, "edit.html", session=session, item=item,
        site=await services.dashboard.site_for(session.moderator, site),
        sites=await services.dashboard.sites_for(session.moderator), error=None,
    )


# POST /moderate/{site}/comments/{id}/edit  form: text, csrf_token
@router.post("/moderate/{site}/comments/{comment_id}/edit")
async def edit(request: Request, services: Services, site: str, comment_id: CommentId
               ) -> Response:
    session, fields = await form_session(request)
    me = session.moderator
    try:
        await services.actions.edit(me, site, comment_id, fields.get("text", ""))
    except RejoinderError as exc:
        if exc.status != 422:
            raise
        item = await services.dashboard.item(me, site, comment_id)
        return render_page(
            request, "edit.html", session=session, item=item, error=exc.detail,
            site=await services.dashboard.site_for(me, site),
            sites=await services.dashboard.sites_for(me), status=422,
        )
    return RedirectResponse(f"/moderate/{site}/queue/recent?done=edited+%23{comment_id}",
                            status_code=303)
