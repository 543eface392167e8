"""CSRF: a per-session synchronizer token, plus refusing requests sent from other origins.

Forms carry the token in a hidden ``csrf_token`` field; scripts send it as ``X-CSRF-Token``.
Before sign-in there is no session, so the login form uses a double-submit cookie instead.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response

from rejoinder.errors import forbidden
from rejoinder.services.accounts import Session

LOGIN_COOKIE = "rejoinder_login_csrf"
CSRF_FAILED = "The form has expired or did not come from this dashboard; reload and try again."


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


def check_csrf(session: Session, token: str | None) -> None:
    if not _same(session.csrf, token):
        raise forbidden("csrf_failed", CSRF_FAILED)


def check_same_origin(request: Request) -> None:
    """Browsers send Origin on cross-origin requests; it must then be this server's own."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    own = f"{request.url.scheme}://{request.url.netloc}"
    forwarded = request.headers.get("x-forwarded-host")
    allowed = {own.lower()}
    if forwarded and request.app.state.settings.trust_proxy_headers:
        proto = request.headers.get("x-forwarded-proto", request.url.scheme)
        allowed.add(f"{proto}://{forwarded}".lower())
    if origin.lower() not in allowed:
        raise forbidden("csrf_failed", CSRF_FAILED)


def login_token(request: Request) -> str:
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)


def set_login_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(LOGIN_COOKIE, token, max_age=3600, path="/moderate", httponly=True,
                        samesite="strict", secure=secure)


def check_login_csrf(request: Request, token: str | None) -> None:
    check_same_origin(request)
    if not _same(request.cookies.get(LOGIN_COOKIE), token):
        raise forbidden("csrf_failed", CSRF_FAILED)
