"""CORS limited to the sites' configured origins, and security headers on every response."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALLOW_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"
ALLOW_HEADERS = (
    "Content-Type, X-Rejoinder-Edit-Token, X-Rejoinder-Voter, Authorization, If-None-Match"
)
EXPOSE_HEADERS = "ETag, Retry-After"

OriginCheck = Callable[[str], Awaitable[bool]]


class CorsMiddleware:
    """Answers for ``/api/`` only, and only to origins some site has configured; each endpoint
    still checks the origin against its own site where that matters."""

    def __init__(self, app: ASGIApp, allowed: OriginCheck, max_age: int = 600) -> None:
        self.app = app
        self.allowed = allowed
        self.max_age = str(max_age)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if not origin:
            await self.app(scope, receive, send)
            return
        ok = await self.allowed(origin)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await _preflight(send, origin if ok else None, self.max_age)
            return
        if not ok:
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out["Access-Control-Allow-Origin"] = origin
                out["Access-Control-Allow-Credentials"] = "true"
                out["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
                out.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)


async def _preflight(send: Send, origin: str | None, max_age: str) -> None:
    headers = [(b"vary", b"Origin"), (b"content-length", b"0")]
    if origin:
        headers += [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"access-control-allow-methods", ALLOW_METHODS.encode()),
            (b"access-control-allow-headers", ALLOW_HEADERS.encode()),
            (b"access-control-allow-credentials", b"true"),
            (b"access-control-max-age", max_age.encode()),
        ]
    await send({"type": "http.response.start", "status": 204 if origin else 403,
                "headers": headers})
    await send({"type": "http.response.body", "body": b""})


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"cross-origin-resource-policy", b"cross-origin"),
]
API_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_api = scope["path"].startswith("/api/") and not scope["path"].endswith("/docs")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                present = {k.lower() for k, _ in raw}
                raw += [h for h in SECURITY_HEADERS if h[0] not in present]
                if is_api and API_CSP[0] not in present:
                    raw.append(API_CSP)
                message["headers"] = raw
            await send(message)

        await self.app(scope, receive, send_with_headers)
