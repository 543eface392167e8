"""Sign in, sign out and password change."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rejoinder.errors import RejoinderError
from rejoinder.services.accounts import SESSION_LIFETIME
from rejoinder.web.dashboard.csrf import check_login_csrf, login_token, set_login_cookie
from rejoinder.web.dashboard.pages import render_page
from rejoinder.web.dashboard.session import (
    Services,
    clear_session_cookie,
    current_session,
    form_session,
    login_redirect,
    secure_cookies,
    set_session_cookie,
)

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only dashboard addresses: never an open redirect."""
    if target and target.startswith("/moderate") and "//" not in target and "\\" not in target:
        return target
    return "/moderate"


def _login_page(request: Request, next_url: str, error: str | None, status: int = 200
                ) -> Response:
    token = login_token(request)
    response = render_page(request, "login.html", login_csrf=token, next_url=next_url,
                           error=error, status=status)
    set_login_cookie(response, token, secure_cookies(request))
    return response


# GET /moderate/login?next=…
@router.get("/moderate/login")
async def login_form(request: Request, next: str | None = None) -> Response:
    return _login_page(request, safe_next(next), None)


# POST /moderate/login  form: username, password, csrf_token, next
@router.post("/moderate/login")
async def login(request: Request, services: Services) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    check_login_csrf(request, fields.get("csrf_token"))
    next_url = safe_next(fields.get("next"))
    try:
        moderator = await services.accounts.authenticate(
            fields.get("username", "").strip(), fields.get("password", "")
        )
    except RejoinderError as exc:
        return _login_page(request, next_url, exc.detail, status=exc.status)
    token, _session = await services.accounts.start_session(moderator)
    response = RedirectResponse(next_url, status_code=303)
    set_session_cookie(request, response, token, int(SESSION_LIFETIME.total_seconds()))
    return response


# POST /moderate/logout  form: csrf_token
@router.post("/moderate/logout")
async def logout(request: Request, services: Services) -> Response:
    session, _fields = await form_session(request)
    await services.accounts.end_session(session)
    response = RedirectResponse("/moderate/login", status_code=303)
    clear_session_cookie(request, response)
    return response


# GET /moderate/password
@router.get("/moderate/password")
async def password_form(request: Request, services: Services) -> Response:
    session = await current_session(request)
    if session is None:
        return login_redirect(request)
    sites = await services.dashboard.sites_for(session.moderator)
    return render_page(request, "password.html", session=session, sites=sites, site=None)


# POST /moderate/password  form: current, new, confirm, csrf_token
@router.post("/moderate/password")
async def change_password(request: Request, services: Services) -> Response:
    session, fields = await form_session(request)
    sites = await services.dashboard.sites_for(session.moderator)
    new = fields.get("new", "")
    error, done = None, False
    if new != fields.get("confirm", ""):
        error = "The two new passwords differ."
    else:
        try:
            await services.accounts.change_password(session, fields.get("current", ""), new)
            done = True
        except RejoinderError as exc:
            error = exc.detail
    return render_page(request, "password.html", session=session, sites=sites, site=None,
                       error=error, done=done, status=200 if done else 400)


# GET /moderate  →  the first site's pending queue
@router.get("/moderate")
async def home(request: Request, services: Services) -> Response:
    session = await current_session(request)
    if session is None:
        return login_redirect(request)
    sites = await services.dashboard.sites_for(session.moderator)
    if not sites:
        return render_page(request, "no_sites.html", session=session, sites=[], site=None)
    return RedirectResponse(f"/moderate/{sites[0].key}/queue/pending", status_code=303)


# GET /moderate/switch?site=KEY  (the site switcher without JavaScript)
@router.get("/moderate/switch")
async def switch(site: str = "") -> Response:
    if not site or not site.replace("-", "").replace("_", "").isalnum():
        return RedirectResponse("/moderate", status_code=303)
    return RedirectResponse(f"/moderate/{site}/queue/pending", status_code=303)
