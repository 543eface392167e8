from __future__ import annotations

from tests.conftest import ORIGIN


async def test_cors_only_for_configured_origins(client):
    ok = await client.options(
        "/api/v1/comments",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    bad = await client.options(
        "/api/v1/comments",
        headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in bad.headers
    get = await client.get("/api/v1/comments", params={"site": "test", "uri": "/a"},
                           headers={"Origin": ORIGIN})
    assert get.headers["access-control-allow-origin"] == ORIGIN
    evil = await client.get("/api/v1/comments", params={"site": "test", "uri": "/a"},
                            headers={"Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in evil.headers


async def test_post_from_foreign_origin_is_refused(client):
    r = await client.post(
        "/api/v1/comments", json={"site": "test", "uri": "/a", "text": "x"},
        headers={"Origin": "https://evil.example.com"},
    )
    assert r.status_code == 403 and r.json()["code"] == "uri_not_allowed"


async def test_security_headers(client):
    r = await client.get("/api/v1/comments", params={"site": "test", "uri": "/a"})
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"]


async def test_openapi_spec_documents_the_api(client):
    spec = (await client.get("/api/v1/openapi.json")).json()
    paths = spec["paths"]
    for path in ("/api/v1/comments", "/api/v1/comments/{comment_id}",
                 "/api/v1/comments/{comment_id}/like", "/api/v1/counts",
                 "/api/v1/sites/{site}/recent", "/api/v1/preview", "/healthz"):
        assert path in paths, path
    assert "ThreadPageOut" in spec["components"]["schemas"]
    docs = await client.get("/api/v1/docs")
    assert docs.status_code == 200 and "openapi.json" in docs.text
