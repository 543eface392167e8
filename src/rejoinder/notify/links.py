"""Signed links sent by email: unsubscribe, approve/reject a held comment, privacy requests."""

from __future__ import annotations

import base64
import hmac
import json
import time
from typing import Any

from rejoinder.errors import RejoinderError
from rejoinder.services.tokens import Signer

UNSUBSCRIBE = "unsubscribe"
MODERATE = "moderate"
PRIVACY = "privacy"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(signer: Signer, purpose: str, claims: dict[str, Any], ttl: float | None = None) -> str:
    """A compact token ``<claims>.<mac>``; ``ttl`` seconds adds an expiry claim ``x``."""
    body = dict(claims)
    if ttl is not None:
        body["x"] = int(time.time() + ttl)
    encoded = _b64(json.dumps(body, separators=(",", ":"), sort_keys=True).encode())
    return f"{encoded}.{signer.mac('link:' + purpose, encoded, 43)}"


def verify(signer: Signer, purpose: str, token: str, now: float | None = None) -> dict[str, Any]:
    """The claims of a valid token; a 403 problem for a forged, altered or expired one."""
    encoded, _, mac = token.partition(".")
    if not encoded or not mac or not hmac.compare_digest(
        signer.mac("link:" + purpose, encoded, 43), mac
    ):
        raise RejoinderError(403, "link_invalid", "This link is not valid.")
    try:
        claims = json.loads(_unb64(encoded))
    except (ValueError, UnicodeDecodeError):
        raise RejoinderError(403, "link_invalid", "This link is not valid.") from None
    if not isinstance(claims, dict):
        raise RejoinderError(403, "link_invalid", "This link is not valid.")
    expires = claims.get("x")
    if isinstance(expires, int) and (now if now is not None else time.time()) > expires:
        raise RejoinderError(403, "link_expired", "This link has expired.")
    return claims
