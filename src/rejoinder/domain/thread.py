from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(slots=True)
class Thread:
    id: int
    site_id: int
    uri: str
    title: str | None
    url: str | None
    closed: bool = False


def normalize_uri(uri: str) -> str:
    """Reduce a page address to the path that identifies its thread.

    Scheme, host, query and fragment are dropped; repeated and trailing slashes collapse, so
    ``https://x.org/a/b/?utm=1#c`` and ``/a/b`` name the same thread.
    """
    raw = uri.strip()
    parts = urlsplit(raw)
    path = parts.path if (parts.scheme or parts.netloc) else raw.split("#", 1)[0].split("?", 1)[0]
    if not path.startswith("/"):
        path = "/" + path
    while "//" in path:
        path = path.replace("//", "/")
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path
