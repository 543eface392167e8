"""The demo article embeds the widget the way a site owner would."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from rejoinder.demo.discussion import ARTICLE_URI
from rejoinder.web import demo


async def test_demo_article_embeds_the_widget_snippet():
    app = FastAPI()
    app.include_router(demo.router)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        page = (await client.get(ARTICLE_URI)).text
    assert '<script src="/embed.js" data-rejoinder-site="demo" async></script>' in page
    assert '<div id="rejoinder"></div>' in page
    assert f'data-rejoinder-count="{ARTICLE_URI}"' in page
    assert "<noscript>" in page
