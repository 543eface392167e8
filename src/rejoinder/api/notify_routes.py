"""Links sent by email (unsubscribe, moderate, privacy) and the privacy request endpoint.

Links that change something show a confirmation page on GET and act on POST, so mail
scanners that open links do not unsubscribe, moderate or erase on the reader's behalf.
``List-Unsubscribe-Post`` one-click requests POST straight to the unsubscribe link.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from rejoinder.api.deps import services
from rejoinder.api.problems import problem_responses
from rejoinder.errors import not_found
from rejoinder.notify import links
from rejoinder.notify.config import NotifyConfig
from rejoinder.notify.messages import render_page
from rejoinder.services import privacy
from rejoinder.services.notifications import Notifications, apply_moderation_link, unsubscribe
from rejoinder.store import sites as site_store

router = APIRouter(prefix="/api/v1", tags=["notifications"], responses=problem_responses())
Token = Annotated[str, Path(max_length=2000, pattern=r"^[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+$")]


def notifications(request: Request) -> Notifications:
    """Built once per app from its settings (or an injected ``app.state.notify_config``)."""
    state = request.app.state
    existing = getattr(state, "notifications", None)
    if existing is None:
        cfg = getattr(state, "notify_config", None) or NotifyConfig.from_settings(state.settings)
        existing = state.notifications = Notifications(cfg, services(request).signer)
    return existing  # type: ignore[no-any-return]


def _page(title: str, message: str, action: str | None = None, button: str = "",
          status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        render_page("confirm.html", title=title, message=message, action=action, button=button),
        status_code=status, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


@router.get("/notify/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe_page(request: Request, token: Token) -> HTMLResponse:
    """Confirm stopping reply emails."""
    links.verify(services(request).signer, links.UNSUBSCRIBE, token)
    return _page("Stop reply emails", "You will no longer get emails about replies to your "
                 "comments on this site.", str(request.url.path), "Unsubscribe")


@router.post("/notify/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe_now(request: Request, token: Token) -> HTMLResponse:
    """One-click unsubscribe (RFC 8058) and the confirmation form's target."""
    await unsubscribe(services(request).db, services(request).signer, token)
    return _page("Unsubscribed", "You will no longer get emails about replies.")


@router.get("/notify/moderate/{token}", response_class=HTMLResponse)
async def moderate_page(request: Request, token: Token) -> HTMLResponse:
    """Confirm approving or rejecting a held comment."""
    claims = links.verify(services(request).signer, links.MODERATE, token)
    verb = "Approve" if claims.get("do") == "approve" else "Reject"
    return _page(f"{verb} comment {claims.get('c')}", f"{verb} this held comment?",
                 str(request.url.path), verb)


@router.post("/notify/moderate/{token}", response_class=HTMLResponse)
async def moderate_now(request: Request, token: Token) -> HTMLResponse:
    outcome = await apply_moderation_link(services(request).db, notifications(request), token)
    if outcome["changed"]:
        return _page("Done", f"Comment {outcome['id']} is now {outcome['state']}.")
    return _page("Already moderated",
                 f"Comment {outcome['id']} was already {outcome['state']}; nothing changed.")


class PrivacyRequestIn(BaseModel):
    site: str = Field(max_length=64)
    email: str = Field(max_length=320)
    kind: Literal["export", "erase"]


@router.post("/privacy/request", status_code=202)
async def privacy_request(request: Request, body: PrivacyRequestIn) -> dict[str, str]:
    """Email a signed link to the address; the answer is the same whether it is known or not."""
    site = await services(request).sites.require(body.site)
    await privacy.request_by_email(services(request).db, notifications(request), site,
                                   body.email, body.kind)
    return {"status": "accepted",
            "detail": "If this address has comments on the site, a link is on its way."}


async def _site_of(request: Request, site_id: int) -> Any:
    async with services(request).db.read() as conn:
        site = await site_store.site_by_id(conn, site_id)
    if site is None:
        raise not_found("unknown_site", "The site of this link no longer exists.")
    return site


@router.get("/privacy/{token}", response_model=None)
async def privacy_link(request: Request, token: Token) -> JSONResponse | HTMLResponse:
    """An export link returns the data as JSON; an erase link asks for confirmation."""
    site_id, email, kind = privacy.open_link(notifications(request), token)
    site = await _site_of(request, site_id)
    if kind == "export":
        data = await privacy.author_data(services(request).db, site, email)
        return JSONResponse(data, headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="{site.key}-comments.json"',
        })
    return _page("Erase your comments", f"Erase every comment and the personal data of "
                 f"this address on {site.name}? Replies by others stay.",
                 str(request.url.path), "Erase")


@router.post("/privacy/{token}")
async def privacy_erase(request: Request, token: Token) -> dict[str, Any]:
    site_id, email, kind = privacy.open_link(notifications(request), token)
    if kind != "erase":
        raise not_found("not_an_erase_link", "This link does not erase anything.")
    site = await _site_of(request, site_id)
    done = await privacy.erase_author(services(request).db, site, email,
                                      actor="privacy request")
    return {"erased": True, "removed": done.removed, "placeholders": done.placeholders}
