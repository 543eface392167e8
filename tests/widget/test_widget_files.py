"""The widget's files: served with the right types and caching, small, with full catalogues."""

from __future__ import annotations

import gzip
import json
import re

import httpx
import pytest
from fastapi import FastAPI

from rejoinder.web import widget_files

EMBED_BUDGET = 15 * 1024


@pytest.fixture
def client():
    app = FastAPI()
    app.include_router(widget_files.router)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


def english_keys() -> set[str]:
    source = (widget_files.WIDGET_DIR / "embed.js").read_text(encoding="utf-8")
    block = source.split("var EN = {", 1)[1].split("\n  };", 1)[0]
    flat = re.sub(r'"(?:[^"\\]|\\.)*"', '""', block)  # strings cannot confuse the scan
    flat = re.sub(r"\{[^{}]*\}", "{}", flat)  # plural forms are one value
    return set(re.findall(r"(?:^|[\s,])(\w+):", flat))


def sign_in_keys() -> set[str]:
    source = (widget_files.WIDGET_DIR / "embed.js").read_text(encoding="utf-8")
    block = source.split("var SI = {", 1)[1].split("};", 1)[0]
    return set(re.findall(r"(\w+):", re.sub(r'"(?:[^"\\]|\\.)*"', '""', block)))


@pytest.mark.parametrize(
    ("path", "media_type"),
    [("/embed.js", "text/javascript"), ("/count.js", "text/javascript"),
     ("/widget/lang-de.json", "application/json"), ("/widget/embed.css", "text/css")],
)
async def test_served_with_type_cache_and_cors(client, path, media_type):
    async with client:
        response = await client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media_type)
        assert response.headers["access-control-allow-origin"] == "*"
        assert "max-age=" in response.headers["cache-control"]
        etag = response.headers["etag"]
        again = await client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""


async def test_embed_has_css_and_languages_built_in(client):
    async with client:
        body = (await client.get("/embed.js")).text
    assert "@@" not in body
    assert ":host{" in body
    assert '"de,fr,ru,uk".split' in body


async def test_versioned_catalogue_is_cached_for_good(client):
    async with client:
        plain = await client.get("/widget/lang-fr.json")
        pinned = await client.get(f"/widget/lang-fr.json?v={widget_files.catalogue_version()}")
    assert "immutable" not in plain.headers["cache-control"]
    assert "immutable" in pinned.headers["cache-control"]


@pytest.mark.parametrize("name", ["nope.js", "..%2Fapp.py", "embed.py", ".hidden.js"])
async def test_unknown_files_are_404(client, name):
    async with client:
        assert (await client.get(f"/widget/{name}")).status_code == 404


def test_embed_fits_the_size_budget():
    size = len(gzip.compress(widget_files.build_embed(), compresslevel=9))
    assert size <= EMBED_BUDGET, f"embed.js with CSS is {size} bytes gzipped"


def test_count_script_is_tiny():
    raw = (widget_files.WIDGET_DIR / "count.js").read_bytes()
    assert len(gzip.compress(raw, compresslevel=9)) < 1024


@pytest.mark.parametrize("lang", ["de", "fr", "uk", "ru"])
def test_catalogue_translates_every_string(lang):
    path = widget_files.WIDGET_DIR / f"lang-{lang}.json"
    catalogue = json.loads(path.read_text(encoding="utf-8"))
    assert set(catalogue) == english_keys() | sign_in_keys()
    for key, value in catalogue.items():
        forms = value.values() if isinstance(value, dict) else [value]
        for form in forms:
            assert form.strip(), key
            assert ("{n}" in form) == (key in {"comments", "fresh", "retry"}), (key, form)


def test_english_has_all_keys_used_by_the_script():
    source = (widget_files.WIDGET_DIR / "embed.js").read_text(encoding="utf-8")
    used = set(re.findall(r'\bt\("(\w+)"', source))
    assert used <= english_keys()
    assert len(english_keys()) > 50
