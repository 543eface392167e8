"""Request helpers shared by the API routers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request

from rejoinder.services.posting import Client

MAX_ID = 2**62

CommentId = Annotated[int, Path(ge=1, le=MAX_ID, description="Comment id.")]


def services(request: Request) -> Any:
    return request.app.state.services


def client_of(request: Request) -> Client:
    trust = request.app.state.settings.trust_proxy_headers
    ip = request.client.host if request.client else None
    if trust:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            ip = forwarded.split(",")[0].strip() or ip
    return Client(
        ip=ip,
        origin=request.headers.get("origin"),
        user_agent=request.headers.get("user-agent"),
    )


def edit_token(request: Request, comment_id: int) -> str | None:
    return request.headers.get("x-rejoinder-edit-token") or request.cookies.get(
        f"rejoinder_edit_{comment_id}"
    )
