"""Random bearer secrets (sign-in tokens, email links, OAuth state) and how they are stored."""

from __future__ import annotations

import hashlib
import secrets


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def hashed(secret: str) -> str:
    """Only this sha256 is stored: a database leak gives no working token."""
    return hashlib.sha256(secret.encode()).hexdigest()
