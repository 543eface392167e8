from __future__ import annotations

import httpx

from rejoinder.app import build_services, create_app
from rejoinder.cli.demo import prepare
from rejoinder.demo.discussion import ARTICLE_URI, DISCUSSION
from rejoinder.services.accounts import AccountService
from rejoinder.web import demo
from tests.conftest import make_settings


async def test_demo_has_a_site_a_deep_discussion_and_a_moderator(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    count = await prepare(url, 8080, "secret", "pw-1234567890")
    assert count == len(DISCUSSION) >= 30
    settings = make_settings(url)
    services = build_services(settings)
    app = create_app(settings, services)
    app.include_router(demo.router)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://127.0.0.1:8080") as client:
        page = (await client.get("/api/v1/comments", params={
            "site": "demo", "uri": ARTICLE_URI, "limit": 100, "replies": 100})).json()
        assert page["total"] == len(DISCUSSION)

        def depth(items):
            return max((1 + depth(c["replies"]) for c in items), default=0)

        assert depth(page["comments"]) >= 5
        assert any("<blockquote>" in c["html"] for c in page["comments"][0]["replies"])
        assert any(c["likes"] > 10 for c in page["comments"])
        article = await client.get(ARTICLE_URI)
        assert 'data-rejoinder-site="demo"' in article.text and "/embed.js" in article.text
    moderator = await AccountService(services.db, services.sites).authenticate(
        "moderator", "pw-1234567890")
    assert moderator.username == "moderator"
    await services.db.dispose()
