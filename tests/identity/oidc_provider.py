"""A small OpenID Connect provider on a loopback port, for sign-in tests.

Discovery, authorize (consents at once and redirects back with code and state), token (checks
the PKCE code_verifier and the client secret), userinfo, JWKS with a fresh RSA key, and a PNG
avatar. ``tamper`` lets a test make the ID token lie (wrong audience, nonce or issuer).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

CLIENT_ID = "rejoinder-test"
CLIENT_SECRET = "s3cret-for-tests"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


@dataclass
class User:
    sub: str = "user-1"
    name: str = "Ada Lovelace"
    email: str = "ada@example.org"
    email_verified: bool = True


@dataclass
class LocalProvider:
    issuer: str = ""
    user: User = field(default_factory=User)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(
        2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"}))
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, User] = field(default_factory=dict)
    tamper: dict[str, Any] = field(default_factory=dict)
    token_errors: list[str] = field(default_factory=list)

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/.well-known/openid-configuration", self.discovery),
            Route("/authorize", self.authorize),
            Route("/token", self.token, methods=["POST"]),
            Route("/userinfo", self.userinfo),
            Route("/jwks", self.jwks),
            Route("/avatar.png", self.avatar),
        ])

    async def discovery(self, request: Request) -> Response:
        return JSONResponse({
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
            "id_token_signing_alg_values_supported": ["RS256"],
        })

    async def authorize(self, request: Request) -> Response:
        q = request.query_params
        if q.get("client_id") != CLIENT_ID or q.get("code_challenge_method") != "S256":
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "challenge": q["code_challenge"], "redirect_uri": q["redirect_uri"],
            "nonce": q.get("nonce"), "user": self.user,
        }
        target = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]})
        return RedirectResponse(target, status_code=302)

    async def token(self, request: Request) -> Response:
        form = await request.form()
        grant = self.codes.pop(str(form.get("code")), None)
        if grant is None:
            self.token_errors.append("unknown code")
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        verifier = str(form.get("code_verifier", ""))
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        if challenge != grant["challenge"]:
            self.token_errors.append("pkce")
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        if form.get("client_secret") != CLIENT_SECRET or form.get("redirect_uri") != grant[
                "redirect_uri"]:
            self.token_errors.append("client")
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        user: User = grant["user"]
        access = secrets.token_urlsafe(16)
        self.tokens[access] = user
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": user.sub, "aud": CLIENT_ID, "iat": now,
                  "exp": now + 300, "nonce": grant["nonce"], **self.tamper}
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)
        return JSONResponse({"access_token": access, "token_type": "Bearer",
                             "expires_in": 300, "id_token": id_token})

    async def userinfo(self, request: Request) -> Response:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        user = self.tokens.get(token)
        if user is None:
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        return JSONResponse({"sub": user.sub, "name": user.name, "email": user.email,
                             "email_verified": user.email_verified,
                             "picture": f"{self.issuer}/avatar.png"})

    async def jwks(self, request: Request) -> Response:
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    async def avatar(self, request: Request) -> Response:
        return Response(PNG, media_type="image/png")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RunningProvider:
    def __init__(self) -> None:
        port = free_port()
        self.provider = LocalProvider(issuer=f"http://127.0.0.1:{port}")
        config = uvicorn.Config(self.provider.app(), host="127.0.0.1", port=port,
                                log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
