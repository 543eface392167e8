"""The signed-in moderator: session cookie, the services the dashboard uses, access checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Cookie, Depends, Header, Path, Request, Response
from fastapi.responses import RedirectResponse

from rejoinder.errors import RejoinderError, forbidden
from rejoinder.services.accounts import AccountService, Session
from rejoinder.services.dashboard import DashboardService
from rejoinder.services.moderation_actions import ModerationActions
from rejoinder.services.validation import Limits
from rejoinder.web.dashboard.csrf import check_csrf, check_same_origin

COOKIE = "rejoinder_session"
CommentId = Annotated[int, Path(ge=1, le=2**62, description="Comment id.")]
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class DashboardServices:
    accounts: AccountService
    actions: ModerationActions
    dashboard: DashboardService


def dashboard_services(request: Request) -> DashboardServices:
    """Built once per app from the app's own services and settings."""
    state = request.app.state
    built: DashboardServices | None = getattr(state, "dashboard_services", None)
    if built is None:
        svc, settings = state.services, state.settings
        limits = Limits.from_settings(settings)
        built = DashboardServices(
            accounts=AccountService(svc.db, svc.sites),
            actions=ModerationActions(svc.db, svc.sites, svc.bus, limits=limits,
                                      allow_images=settings.allow_images,
                                      notifications=getattr(svc, "notifications", None)),
            dashboard=DashboardService(svc.db, svc.sites),
        )
        state.dashboard_services = built
    return built


Services = Annotated[DashboardServices, Depends(dashboard_services)]


def secure_cookies(request: Request) -> bool:
    """Secure everywhere except plain http on the local machine (development)."""
    return not (request.url.scheme == "http" and request.url.hostname in LOCAL_HOSTS)


def set_session_cookie(request: Request, response: Response, token: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE, token, max_age=max_age, path="/", httponly=True, samesite="lax",
        secure=secure_cookies(request),
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax",
                           secure=secure_cookies(request))


async def current_session(request: Request) -> Session | None:
    return await dashboard_services(request).accounts.session(request.cookies.get(COOKIE))


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/moderate/login?next={quote(target, safe='')}", status_code=303)


def login_required() -> RejoinderError:
    return forbidden("login_required", "Sign in as a moderator first.")


async def api_session(
    request: Request,
    x_csrf_token: Annotated[
        str | None, Header(description="The session's CSRF token; required on every change.")
    ] = None,
    rejoinder_session: Annotated[
        str | None, Cookie(description="Moderator session cookie set by /moderate/login.")
    ] = None,
) -> Session:
    """The moderator API's guard: same-origin only, a live session, and CSRF on changes."""
    check_same_origin(request)
    session = await dashboard_services(request).accounts.session(rejoinder_session)
    if session is None:
        raise login_required()
    if request.method not in SAFE_METHODS:
        check_csrf(session, x_csrf_token)
    return session


ApiSession = Annotated[Session, Depends(api_session)]


async def form_session(request: Request) -> tuple[Session, dict[str, str]]:
    """For HTML form posts: a live session and a CSRF token in the form (or the header)."""
    check_same_origin(request)
    session = await current_session(request)
    if session is None:
        raise login_required()
    form = await request.form()
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    check_csrf(session, request.headers.get("x-csrf-token") or fields.get("csrf_token"))
    return session, fields


async def form_list(request: Request, name: str) -> list[str]:
    form = await request.form()
    return [v for v in form.getlist(name) if isinstance(v, str)]
