"""Serves the widget's files: ``/embed.js``, ``/count.js`` and ``/widget/<name>``.

``embed.js`` is served with its stylesheet and the list of shipped message catalogues built in,
so the widget needs one request for itself and at most one more for a non-English catalogue.
Every file carries an ETag (a hash of its bytes), a day of browser caching and
``Access-Control-Allow-Origin: *`` because pages on any site load them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

WIDGET_DIR = Path(__file__).resolve().parent.parent / "widget"
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}
CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800"
VERSIONED_CACHE_CONTROL = "public, max-age=31536000, immutable"


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


def catalogue_languages() -> list[str]:
    return sorted(p.stem.removeprefix("lang-") for p in WIDGET_DIR.glob("lang-*.json"))


@cache
def catalogue_version() -> str:
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(WIDGET_DIR.glob("lang-*.json")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_embed() -> bytes:
    """embed.js with the CSS, the catalogue version and the language list filled in."""
    script = (WIDGET_DIR / "embed.js").read_text(encoding="utf-8")
    css = (WIDGET_DIR / "embed.css").read_text(encoding="utf-8").strip()
    script = script.replace('"@@CSS@@"', json.dumps(css, ensure_ascii=False))
    script = script.replace("@@VER@@", catalogue_version())
    script = script.replace("@@LANGS@@", ",".join(catalogue_languages()))
    return script.encode("utf-8")


@cache
def asset(name: str) -> Asset | None:
    path = WIDGET_DIR / name
    if "/" in name or name.startswith(".") or not path.is_file():
        return None
    media_type = CONTENT_TYPES.get(path.suffix)
    if media_type is None:
        return None
    body = build_embed() if name == "embed.js" else path.read_bytes()
    etag = '"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"'
    return Asset(body, media_type, etag)


def respond(request: Request, name: str, cache_control: str = CACHE_CONTROL) -> Response:
    found = asset(name)
    if found is None:
        raise HTTPException(404, "No such widget file.")
    headers = {
        "ETag": found.etag,
        "Cache-Control": cache_control,
        "Access-Control-Allow-Origin": "*",
    }
    if request.headers.get("if-none-match") == found.etag:
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)


router = APIRouter(include_in_schema=False)


@router.get("/embed.js")
async def embed_js(request: Request) -> Response:
    return respond(request, "embed.js")


@router.get("/count.js")
async def count_js(request: Request) -> Response:
    return respond(request, "count.js")


@router.get("/widget/{name}")
async def widget_file(request: Request, name: str, v: str | None = None) -> Response:
    """Any other widget file; ``?v=`` with the current catalogue version may be cached for good."""
    versioned = v is not None and v == catalogue_version()
    return respond(request, name, VERSIONED_CACHE_CONTROL if versioned else CACHE_CONTROL)
