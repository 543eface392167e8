"""The moderation dashboard (``/moderate/…``) and the moderator API (``/api/v1/moderate/…``)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from rejoinder.errors import not_found
from rejoinder.web.dashboard import api, audit, auth, integrations, queue, settings
from rejoinder.web.dashboard.pages import STATIC

ASSETS = {"dashboard.js": "text/javascript", "dashboard.css": "text/css"}

router = APIRouter()


# GET /moderate/static/{name}
@router.get("/moderate/static/{name}", include_in_schema=False)
async def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise not_found("not_found", "There is nothing at this address.")
    return FileResponse(STATIC / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "public, max-age=300"})


router.include_router(auth.router)
router.include_router(api.router)
router.include_router(settings.router)
router.include_router(audit.router)
router.include_router(integrations.router)
router.include_router(queue.router)

__all__ = ["router"]
