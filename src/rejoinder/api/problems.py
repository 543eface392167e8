"""The one error shape: RFC 9457 problem+json with a stable ``code`` and a human ``detail``."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from rejoinder.errors import RejoinderError, StoreUnavailable

PROBLEM = "application/problem+json"
log = logging.getLogger("rejoinder.api")


def problem_body(status: int, code: str, detail: str, errors: list[dict[str, Any]] | None = None
                 ) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"about:blank#{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "code": code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def problem(
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        json.dumps(problem_body(status, code, detail, errors)),
        status_code=status,
        media_type=PROBLEM,
        headers=headers,
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem responses an endpoint can give."""
    from rejoinder.api.schemas import ProblemOut

    return {
        status: {"model": ProblemOut, "content": {PROBLEM: {}}}
        for status in statuses or (400, 403, 404, 409, 422, 429, 503)
    }


_HTTP_CODES = {
    404: ("not_found", "There is nothing at this address."),
    405: ("method_not_allowed", "This address does not accept that method."),
    400: ("bad_request", "The request could not be understood."),
}


def install(app: FastAPI) -> None:
    @app.exception_handler(RejoinderError)
    async def on_rejoinder_error(_request: Request, exc: RejoinderError) -> Response:
        return problem(exc.status, exc.code, exc.detail, exc.errors, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_request: Request, exc: RequestValidationError) -> Response:
        errors = []
        malformed = False
        for err in exc.errors():
            if err.get("type") == "json_invalid":
                malformed = True
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
            errors.append({"field": ".".join(loc) or None, "message": err.get("msg", "invalid")})
        if malformed:
            return problem(400, "malformed_json", "The request body is not valid JSON.")
        fields = ", ".join(sorted({e["field"] for e in errors if e["field"]})) or "the request"
        return problem(422, "invalid_request", f"Some fields are missing or wrong: {fields}.",
                       errors)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        code, detail = _HTTP_CODES.get(exc.status_code, ("http_error", str(exc.detail)))
        return problem(exc.status_code, code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(StoreUnavailable)
    async def on_store_unavailable(_request: Request, exc: StoreUnavailable) -> Response:
        log.warning("database unavailable: %s", exc)
        return problem(
            503, "database_unavailable",
            "The comment database is not reachable right now; please try again shortly.",
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> Response:
        if isinstance(exc, StoreUnavailable):  # raised in middleware (CORS origin lookup)
            return await on_store_unavailable(request, exc)
        log.exception("unexpected error", exc_info=exc)
        return problem(500, "internal_error", "Something went wrong on the server.")
