"""Signed, time-limited edit tokens and keyed hashes that stand in for personal data."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass

from rejoinder.errors import forbidden


@dataclass(frozen=True, slots=True)
class Signer:
    secret: bytes

    @classmethod
    def from_secret(cls, secret: str) -> Signer:
        return cls(hashlib.sha256(("rejoinder:" + secret).encode()).digest())

    def mac(self, purpose: str, message: str, length: int = 32) -> str:
        digest = hmac.new(self.secret, f"{purpose}\x00{message}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")[:length]

    def keyed_hash(self, purpose: str, value: str, length: int = 24) -> str:
        digest = hmac.new(self.secret, f"{purpose}\x00{value}".encode(), hashlib.sha256)
        return digest.hexdigest()[:length]

    def edit_token(self, comment_id: int, expires: float) -> str:
        body = f"{comment_id}.{int(expires)}"
        return f"{body}.{self.mac('edit', body)}"

    def check_edit_token(
        self, token: str | None, comment_id: int, now: float | None = None
    ) -> None:
        """Raise a 403 with a stable code unless ``token`` allows editing ``comment_id`` now."""
        if not token:
            raise forbidden("edit_token_missing", "This action needs the comment's edit token.")
        parts = token.split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            raise forbidden("edit_token_invalid", "The edit token is not valid.")
        body = f"{parts[0]}.{parts[1]}"
        if not hmac.compare_digest(self.mac("edit", body), parts[2]):
            raise forbidden("edit_token_invalid", "The edit token is not valid.")
        if int(parts[0]) != comment_id:
            raise forbidden("edit_token_invalid", "The edit token belongs to another comment.")
        if (now if now is not None else time.time()) > int(parts[1]):
            raise forbidden(
                "edit_window_expired", "The time for editing or deleting this comment has passed."
            )


def author_key(signer: Signer, email: str | None, name: str | None, ip: str | None) -> str:
    """A stable pseudonymous identity: the email when given, else name and address together."""
    if email:
        return signer.keyed_hash("author", "email:" + email.strip().lower())
    return signer.keyed_hash("author", f"anon:{(name or '').strip().lower()}:{ip or ''}")


def avatar_seed(signer: Signer, email: str | None, name: str | None, ip: str | None) -> str:
    basis = email.strip().lower() if email else f"{(name or '').strip().lower()}:{ip or ''}"
    return signer.keyed_hash("avatar", basis, 16)


def voter_key(signer: Signer, voter: str | None, ip: str | None) -> str:
    return signer.keyed_hash("voter", voter or f"ip:{ip or ''}")
