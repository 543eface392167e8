"""Webhooks and their delivery log, importing an export file, and a reader's own data.

Every page is for administrators and the site's moderators; running an import and erasing an
author's data are for administrators only. Every change is a form post with the CSRF token.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from rejoinder.domain.site import Site
from rejoinder.errors import RejoinderError, forbidden, invalid, not_found
from rejoinder.importers.errors import ImportFormatError
from rejoinder.importers.runner import FORMATS
from rejoinder.notify.webhook import EVENTS
from rejoinder.services.accounts import Moderator, Session
from rejoinder.services.exporting import import_into_site
from rejoinder.services.notifications import WebhookDirectory
from rejoinder.services.privacy import author_data, erase_author
from rejoinder.store.engine import Database
from rejoinder.web.dashboard.pages import render_page
from rejoinder.web.dashboard.session import (
    Services,
    current_session,
    form_list,
    form_session,
    login_redirect,
    login_required,
)

router = APIRouter(include_in_schema=False)
MAX_UPLOAD = 200 * 2**20
CHUNK = 1 << 20
DELIVERIES_SHOWN = 50
SNIPPET = 200


def _db(request: Request) -> Database:
    db: Database = request.app.state.services.db
    return db


def _require_admin(me: Moderator, what: str) -> None:
    if not me.is_admin:
        raise forbidden("admin_only", f"Only an administrator can {what}.")


async def _page(request: Request, services: Services, site: str, name: str, *,
                session: Session, status: int = 200, **context: Any) -> Response:
    me = session.moderator
    return render_page(
        request, name, session=session, site=await services.dashboard.site_for(me, site),
        sites=await services.dashboard.sites_for(me), status=status, **context,
    )


# ---- webhooks ----------------------------------------------------------------------------


async def _webhooks_page(request: Request, services: Services, site: Site, session: Session,
                         *, created: Any = None, error: str | None = None,
                         status: int = 200) -> Response:
    directory = WebhookDirectory(_db(request))
    hooks = await directory.all(site)
    urls = {h.id: h.url for h in hooks}
    deliveries = await directory.deliveries(site.id, limit=DELIVERIES_SHOWN)
    return await _page(
        request, services, site.key, "webhooks.html", session=session, hooks=hooks,
        deliveries=deliveries, urls=urls, events=EVENTS, created=created, error=error,
        snippet=SNIPPET, status=status,
    )


async def _owned_hook(request: Request, site: Site, webhook_id: int) -> None:
    hooks = await WebhookDirectory(_db(request)).all(site)
    if webhook_id not in {h.id for h in hooks}:
        raise not_found("webhook_not_found", "This site has no such webhook.")


# GET /moderate/{site}/webhooks
@router.get("/moderate/{site}/webhooks")
async def webhooks_page(request: Request, services: Services, site: str) -> Response:
    session = await current_session(request)
    if session is None:
        return login_redirect(request)
    current = await services.dashboard.site_for(session.moderator, site)
    return await _webhooks_page(request, services, current, session)


# POST /moderate/{site}/webhooks  form: url, events (repeated), format, csrf_token
@router.post("/moderate/{site}/webhooks")
async def add_webhook(request: Request, services: Services, site: str) -> Response:
    session, fields = await form_session(request)
    current = await services.dashboard.site_for(session.moderator, site)
    try:
        hook = await WebhookDirectory(_db(request)).add(
            current, fields.get("url", "").strip(), events=await form_list(request, "events"),
            fmt=fields.get("format", "json"),
        )
    except RejoinderError as exc:
        if exc.status != 422:
            raise
        return await _webhooks_page(request, services, current, session, error=exc.detail,
                                    status=422)
    # the secret is shown on this response only; the list never shows it again
    return await _webhooks_page(request, services, current, session, created=hook,
                                status=201)


# POST /moderate/{site}/webhooks/{id}/{action}  action: enable | disable | remove
@router.post("/moderate/{site}/webhooks/{webhook_id}/{action}")
async def change_webhook(request: Request, services: Services, site: str, webhook_id: int,
                         action: str) -> Response:
    session, _fields = await form_session(request)
    current = await services.dashboard.site_for(session.moderator, site)
    if action not in ("enable", "disable", "remove"):
        raise invalid("invalid_action", f"{action!r} is not a webhook action.", "action")
    await _owned_hook(request, current, webhook_id)
    directory = WebhookDirectory(_db(request))
    if action == "remove":
        await directory.remove(webhook_id)
    else:
        await directory.set_active(webhook_id, action == "enable")
    return RedirectResponse(f"/moderate/{site}/webhooks", status_code=303)


# ---- import ------------------------------------------------------------------------------


# GET /moderate/{site}/import
@router.get("/moderate/{site}/import")
async def import_page(request: Request, services: Services, site: str) -> Response:
    session = await current_session(request)
    if session is None:
        return login_redirect(request)
    return await _page(request, services, site, "import.html", session=session,
                       formats=list(FORMATS), report=None, error=None, chosen="disqus",
                       max_mb=MAX_UPLOAD // 2**20)


async def _save_upload(upload: UploadFile) -> str:
    """Copy the (already spooled) upload to a named file a chunk at a time, within the cap."""
    handle, path = tempfile.mkstemp(prefix="rejoinder-import-")
    written = 0
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := await upload.read(CHUNK):
                written += len(chunk)
                if written > MAX_UPLOAD:
                    raise invalid("upload_too_large", _too_large(), "file")
                out.write(chunk)
    except BaseException:
        os.unlink(path)
        raise
    if written == 0:
        os.unlink(path)
        raise invalid("upload_empty", "Choose a non-empty export file.", "file")
    return path


def _too_large() -> str:
    return f"The file is larger than {MAX_UPLOAD // 2**20} MB; import it with `rejoinder import`."


# POST /moderate/{site}/import  multipart form: format, file, csrf_token
@router.post("/moderate/{site}/import")
async def run_import(request: Request, services: Services, site: str) -> Response:
    session = await current_session(request)
    if session is None:
        raise login_required()
    me = session.moderator
    current = await services.dashboard.site_for(me, site)
    _require_admin(me, "import comments")
    fmt = "disqus"

    async def page(error: str | None, report: Any = None, status: int = 200) -> Response:
        return await _page(request, services, site, "import.html", session=session,
                           formats=list(FORMATS), report=report, error=error, chosen=fmt,
                           max_mb=MAX_UPLOAD // 2**20, status=status)

    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD + CHUNK:
        return await page(_too_large(), status=413)  # refused before reading the body
    session, fields = await form_session(request)
    fmt = fields.get("format", "")
    upload = (await request.form()).get("file")
    if fmt not in FORMATS:
        return await page(f"Choose one of the formats: {', '.join(FORMATS)}.", status=422)
    if not isinstance(upload, UploadFile):
        return await page("Choose the export file to upload.", status=422)
    try:
        path = await _save_upload(upload)
    except RejoinderError as exc:
        return await page(exc.detail, status=413 if exc.code == "upload_too_large" else 422)
    try:
        report = await import_into_site(
            _db(request), request.app.state.services.signer, current, fmt, path,
            allow_images=bool(request.app.state.settings.allow_images),
        )
    except ImportFormatError as exc:
        return await page(f"Nothing was imported: {exc}", status=422)
    finally:
        os.unlink(path)
    return await page(None, report=report)


# ---- a reader's data ---------------------------------------------------------------------


def _email(fields: dict[str, str]) -> str:
    address = fields.get("email", "").strip()
    if "@" not in address or len(address) > 320:
        raise invalid("email_invalid", "That is not an email address.", "email")
    return address


# GET /moderate/{site}/privacy
@router.get("/moderate/{site}/privacy")
async def privacy_page(request: Request, services: Services, site: str) -> Response:
    session = await current_session(request)
    if session is None:
        return login_redirect(request)
    return await _page(request, services, site, "privacy.html", session=session,
                       step="lookup", email="", data=None, erased=None, error=None)


# POST /moderate/{site}/privacy  form: email, csrf_token  (a post keeps the address out of URLs)
@router.post("/moderate/{site}/privacy")
async def privacy_lookup(request: Request, services: Services, site: str) -> Response:
    session, fields = await form_session(request)
    current = await services.dashboard.site_for(session.moderator, site)
    try:
        email = _email(fields)
    except RejoinderError as exc:
        return await _page(request, services, site, "privacy.html", session=session,
                           step="lookup", email=fields.get("email", ""), data=None,
                           erased=None, error=exc.detail, status=422)
    data = await author_data(_db(request), current, email)
    return await _page(request, services, site, "privacy.html", session=session,
                       step="found", email=email, data=data, erased=None, error=None)


# POST /moderate/{site}/privacy/export  form: email, csrf_token  →  the JSON as a download
@router.post("/moderate/{site}/privacy/export")
async def privacy_export(request: Request, services: Services, site: str) -> Response:
    session, fields = await form_session(request)
    current = await services.dashboard.site_for(session.moderator, site)
    data = await author_data(_db(request), current, _email(fields))
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2), media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{site}-author-data.json"',
                 "Cache-Control": "no-store"},
    )


# POST /moderate/{site}/privacy/erase  form: email, confirm ("erase" on the second step)
@router.post("/moderate/{site}/privacy/erase")
async def privacy_erase(request: Request, services: Services, site: str) -> Response:
    session, fields = await form_session(request)
    me = session.moderator
    current = await services.dashboard.site_for(me, site)
    _require_admin(me, "erase a reader's data")
    email = _email(fields)
    if fields.get("confirm") != "erase":
        data = await author_data(_db(request), current, email)
        return await _page(request, services, site, "privacy.html", session=session,
                           step="confirm", email=email, data=data, erased=None, error=None)
    erased = await erase_author(_db(request), current, email, actor=me.username)
    return await _page(request, services, site, "privacy.html", session=session,
                       step="erased", email=email, data=None, erased=erased, error=None)
