"""One error type for everything a caller can get wrong; api/ turns it into problem+json."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ConfigError(Exception):
    """The configuration is missing or invalid; the message says what to fix."""


class StoreUnavailable(Exception):
    """The database cannot be reached."""


@dataclass
class RejoinderError(Exception):
    status: int
    code: str
    detail: str
    errors: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}"


def not_found(code: str, detail: str) -> RejoinderError:
    return RejoinderError(404, code, detail)


def invalid(code: str, detail: str, field_name: str | None = None) -> RejoinderError:
    errors = [{"field": field_name, "message": detail}] if field_name else []
    return RejoinderError(422, code, detail, errors)


def forbidden(code: str, detail: str) -> RejoinderError:
    return RejoinderError(403, code, detail)
