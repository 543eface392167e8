"""The demo article page, embedding the widget exactly as a site owner would."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from rejoinder.demo.discussion import ARTICLE_BODY, ARTICLE_TITLE, ARTICLE_URI

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html"]),
)

router = APIRouter(include_in_schema=False)


@router.get("/")
async def index() -> RedirectResponse:
    return RedirectResponse(ARTICLE_URI)


@router.get(ARTICLE_URI)
async def article() -> HTMLResponse:
    html = TEMPLATES.get_template("demo_article.html").render(
        title=ARTICLE_TITLE,
        paragraphs=[p for p in ARTICLE_BODY.split("\n\n") if p.strip()],
        site="demo",
        uri=ARTICLE_URI,
    )
    return HTMLResponse(html)
