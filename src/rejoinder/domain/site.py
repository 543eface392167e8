from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass(slots=True)
class Site:
    id: int
    key: str
    name: str
    origins: list[str]
    settings: dict[str, Any] = field(default_factory=dict)

    def allows_origin(self, origin: str | None) -> bool:
        if not origin:
            return False
        wanted = canonical_origin(origin)
        return any(canonical_origin(o) == wanted for o in self.origins)


def canonical_origin(origin: str) -> str:
    parts = urlsplit(origin.strip())
    scheme = (parts.scheme or "https").lower()
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(scheme)
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return f"{scheme}://{host}{port}"
