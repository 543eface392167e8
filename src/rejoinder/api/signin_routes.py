"""Reader sign-in: the popup pages under /signin and the JSON API under /api/v1.

The popup runs on the comment server's own origin, so no third-party cookie is needed: it ends
by handing the bearer token to the page that opened it with ``postMessage``, addressed to that
page's origin (checked against the site's origins), never to ``*``.
"""

from __future__ import annotations

import json
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from rejoinder.api.deps import CommentId, client_of, services
from rejoinder.api.problems import problem_responses
from rejoinder.errors import RejoinderError
from rejoinder.services.profiles import profile_json
from rejoinder.store.identity import Account

router = APIRouter(tags=["sign-in"])
PROBLEMS = problem_responses(400, 401, 403, 404, 409, 422, 429)
SENT = "If that address can receive email, a sign-in link is on its way."
pages = Environment(
    loader=PackageLoader("rejoinder", "web/templates/signin"),
    autoescape=select_autoescape(["html"]),
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EmailIn(Strict):
    site: str = Field(max_length=64)
    email: str = Field(max_length=320)
    waiter: str = Field(min_length=16, max_length=200,
                        description="Random secret the asking window later collects with.")


class WaitIn(Strict):
    waiter: str = Field(min_length=16, max_length=200)


class ProfileIn(Strict):
    name: str | None = Field(None, max_length=200)
    website: str | None = Field(None, max_length=1000)


class ClaimIn(Strict):
    edit_tokens: list[str] = Field(max_length=200)


def _base(request: Request) -> str:
    return str(request.app.state.settings.public_url or request.base_url).rstrip("/")


def _page(template: str, status: int = 200, **values: Any) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    body = pages.get_template(template).render(nonce=nonce, **values)
    return HTMLResponse(body, status_code=status, headers={
        "Content-Security-Policy": (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
            "connect-src 'self'; img-src 'self'; form-action 'self' https:; base-uri 'none'; "
            "frame-ancestors 'none'"
        ),
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
    })


def _json_for_script(value: Any) -> Markup:
    text = json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text.replace("&", "\\u0026"))  # escaped for a script element


def _error_page(exc: RejoinderError) -> HTMLResponse:
    return _page("error.html", status=exc.status, code=exc.code, detail=exc.detail)


async def _account(request: Request) -> tuple[Account, str]:
    result: tuple[Account, str] = await services(request).signin.require(
        request.headers.get("authorization")
    )
    return result


# -- popup pages --------------------------------------------------------------------------------

@router.get("/signin", include_in_schema=False)
async def choose(
    request: Request, site: Annotated[str, Query(max_length=64)],
    origin: Annotated[str, Query(max_length=300)],
) -> HTMLResponse:
    svc = services(request)
    try:
        found = await svc.sites.require(site)
        if not found.allows_origin(origin):
            raise RejoinderError(403, "origin_not_allowed",
                                 "Sign-in was opened from a page outside the site's origins.")
        options = await svc.signin.options(site)
    except RejoinderError as exc:
        return _error_page(exc)
    return _page("choose.html", site=found, options=options, origin=origin,
                 config=_json_for_script({"site": site, "origin": origin}))


@router.get("/signin/link", include_in_schema=False)
async def link_page(request: Request, t: Annotated[str, Query(max_length=200)]) -> HTMLResponse:
    """A page, not an action: mail scanners that fetch links must not use them up."""
    return _page("link.html", token=t)


@router.post("/signin/link", include_in_schema=False)
async def use_link(request: Request, t: Annotated[str, Form(max_length=200)]) -> HTMLResponse:
    try:
        account = await services(request).signin.use_link(t)
    except RejoinderError as exc:
        return _error_page(exc)
    return _page("linked.html", name=account.display_name)


@router.get("/signin/oauth/{provider}/start", include_in_schema=False, response_model=None)
async def oauth_start(
    request: Request, provider: str, site: Annotated[str, Query(max_length=64)],
    origin: Annotated[str, Query(max_length=300)],
    instance: Annotated[str | None, Query(max_length=255)] = None,
) -> Response:
    try:
        url = await services(request).signin.begin(site, provider, origin, instance,
                                                    _base(request))
    except RejoinderError as exc:
        return _error_page(exc)
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


@router.get("/signin/oauth/{provider}/callback", include_in_schema=False)
async def oauth_callback(
    request: Request, provider: str,
    code: Annotated[str | None, Query(max_length=2000)] = None,
    state: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    try:
        done = await services(request).signin.complete(provider, code, state, _base(request))
    except RejoinderError as exc:
        return _error_page(exc)
    message = {"type": "rejoinder:signin", "token": done.token,
               "profile": profile_json(done.account)}
    return _page("done.html", message=_json_for_script(message),
                 origin=_json_for_script(done.origin), name=done.account.display_name)


# -- JSON API ---------------------------------------------------------------------------------

@router.get("/api/v1/signin/options", responses=PROBLEMS)
async def options(request: Request, site: Annotated[str, Query(max_length=64)]
                  ) -> dict[str, Any]:
    """Which ways of signing in the site offers, and what guests must give."""
    result: dict[str, Any] = await services(request).signin.options(site)
    return result


@router.post("/api/v1/signin/email", status_code=202, responses=PROBLEMS)
async def email_link(request: Request, body: EmailIn) -> dict[str, str]:
    """Email a one-time sign-in link. The answer is the same for every address."""
    await services(request).signin.request_link(
        body.site, body.email, body.waiter, client_of(request).ip, _base(request)
    )
    return {"status": "sent", "message": SENT}


@router.post("/api/v1/signin/email/wait", responses={**PROBLEMS, 202: {}})
async def email_wait(request: Request, body: WaitIn) -> Response:
    """The asking window polls here; once the link was used it gets the token, once."""
    done = await services(request).signin.collect(body.waiter)
    if done is None:
        return JSONResponse({"status": "pending"}, status_code=202)
    return JSONResponse({"token": done.token, "profile": profile_json(done.account)})


@router.post("/api/v1/signin/signout", status_code=204, responses=PROBLEMS)
async def sign_out(request: Request) -> Response:
    """Revoke the token this request carries."""
    _, token = await _account(request)
    await services(request).signin.sign_out(token)
    return Response(status_code=204)


@router.post("/api/v1/signin/signout-all", responses=PROBLEMS)
async def sign_out_everywhere(request: Request) -> dict[str, int]:
    """Revoke every token of the account (every browser and device)."""
    account, _ = await _account(request)
    return {"revoked": await services(request).signin.sign_out_everywhere(account)}


@router.get("/api/v1/me", responses=PROBLEMS)
async def me(request: Request) -> dict[str, Any]:
    account, _ = await _account(request)
    return profile_json(account)


@router.patch("/api/v1/me", responses=PROBLEMS)
async def update_me(request: Request, body: ProfileIn) -> dict[str, Any]:
    account, _ = await _account(request)
    result: dict[str, Any] = await services(request).profiles.update(
        account, name=body.name, website=body.website
    )
    return result


@router.delete("/api/v1/me", status_code=204, responses=PROBLEMS)
async def delete_me(request: Request) -> Response:
    """Delete the account: comments stay as "[deleted]" placeholders, personal data goes."""
    account, _ = await _account(request)
    await services(request).profiles.delete_account(account)
    return Response(status_code=204)


@router.get("/api/v1/me/comments", responses=PROBLEMS)
async def my_comments(
    request: Request, site: Annotated[str | None, Query(max_length=64)] = None
) -> dict[str, Any]:
    account, _ = await _account(request)
    if site is not None:
        found = await services(request).sites.require(site)
        if found.id != account.site_id:
            raise RejoinderError(401, "token_invalid", "You are signed in on another site.")
    return {"comments": await services(request).profiles.my_comments(account)}


@router.delete("/api/v1/me/comments/{comment_id}", responses=PROBLEMS)
async def delete_my_comment(request: Request, comment_id: CommentId) -> dict[str, Any]:
    account, _ = await _account(request)
    result: dict[str, Any] = await services(request).profiles.delete_comment(account, comment_id)
    return result


@router.post("/api/v1/me/claim", responses=PROBLEMS)
async def claim(request: Request, body: ClaimIn) -> dict[str, list[int]]:
    """Move the guest comments whose edit tokens are sent to this account."""
    account, _ = await _account(request)
    return {"claimed": await services(request).profiles.claim(account, body.edit_tokens)}


@router.get("/api/v1/avatars/{account_id}", responses=PROBLEMS,
            response_class=Response)
async def avatar(request: Request, account_id: CommentId) -> Response:
    """A reader's provider avatar, fetched by the server so browsers never contact it."""
    found = await services(request).profiles.avatar(account_id)
    return Response(found.body, media_type=found.content_type,
                    headers={"Cache-Control": "public, max-age=86400"})
