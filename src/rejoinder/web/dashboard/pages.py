"""Jinja2 rendering for the dashboard pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from rejoinder.services.accounts import Session

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = Path(__file__).resolve().parent.parent / "static" / "dashboard"
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters["when"] = _when
# Comment HTML comes only from the server's renderer and sanitizer, so it is shown as is.
ENV.filters["stored_html"] = Markup


def render_page(
    request: Request, name: str, *, session: Session | None = None, status: int = 200,
    **context: Any,
) -> HTMLResponse:
    html = ENV.get_template(f"dashboard/{name}").render(
        request=request, session=session, me=session.moderator if session else None,
        csrf=session.csrf if session else "", **context,
    )
    return HTMLResponse(html, status_code=status, headers={
        "Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
    })
