"""create_app(settings): wiring only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from rejoinder import __version__
from rejoinder.analysis.service import ScoringService
from rejoinder.api import feeds, notify_routes, problems, signin_routes
from rejoinder.api.docs_page import render_docs
from rejoinder.api.middleware import CorsMiddleware, SecurityHeadersMiddleware
from rejoinder.api.public import health, router
from rejoinder.errors import ConfigError
from rejoinder.heap import freeze_startup_objects
from rejoinder.identity.providers import configured_providers
from rejoinder.live.bus import Bus
from rejoinder.live.memory import MemoryBus
from rejoinder.live.redis import RedisBus
from rejoinder.loop_watchdog import LoopWatchdog
from rejoinder.notify.config import NotifyConfig
from rejoinder.notify.worker import running_worker
from rejoinder.services.editing import EditingService
from rejoinder.services.flagging import FlaggingService
from rejoinder.services.listing import ListingService
from rejoinder.services.moderating import build_moderation, make_limiter, make_scoring
from rejoinder.services.moderation_actions import StoreBanList
from rejoinder.services.notifications import Notifications
from rejoinder.services.nudging import NudgingService
from rejoinder.services.posting import PostingService
from rejoinder.services.profiles import ProfileService
from rejoinder.services.signin import SigninService
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.tokens import Signer
from rejoinder.services.validation import Limits
from rejoinder.services.voting import VotingService
from rejoinder.settings import Settings
from rejoinder.store.engine import Database
from rejoinder.web import dashboard, widget_files


@dataclass
class Services:
    db: Database
    bus: Bus
    sites: SiteDirectory
    listing: ListingService
    posting: PostingService
    editing: EditingService
    voting: VotingService
    signer: Signer
    flagging: FlaggingService
    nudging: NudgingService
    scoring: ScoringService | None
    notifications: Notifications
    signin: SigninService
    profiles: ProfileService


def build_services(settings: Settings, db: Database | None = None) -> Services:
    if not settings.secret_key:
        raise ConfigError("secret_key is not set: run `rejoinder init` or set REJOINDER_SECRET_KEY")
    db = db or Database(settings.database_url)
    signer = Signer.from_secret(settings.secret_key)
    bus: Bus = RedisBus(settings.redis_url) if settings.redis_url else MemoryBus()
    sites = SiteDirectory(db)
    limits = Limits.from_settings(settings)
    notifications = Notifications(NotifyConfig.from_settings(settings), signer)
    scoring = make_scoring(settings)
    moderation = build_moderation(settings, db, sites, bans=StoreBanList(db), scoring=scoring)
    signin = SigninService(
        db, sites, signer, make_limiter(settings), providers=configured_providers(settings),
        notify=notifications.cfg, token_days=settings.signin_token_days,
        link_minutes=settings.signin_link_minutes,
        link_per_address=settings.signin_link_per_address,
        mastodon_instances=settings.mastodon_instances,
    )
    return Services(
        db=db,
        bus=bus,
        sites=sites,
        signer=signer,
        listing=ListingService(
            db, sites, page_size=settings.page_size, max_page_size=settings.max_page_size,
            reply_page_size=settings.reply_page_size,
            head_ttl=settings.listing_cache_seconds,
        ),
        posting=PostingService(
            db, sites, signer, bus, moderation.moderator, moderation.gate,
            notifications=notifications, embeddings=moderation.embeddings, limits=limits,
            edit_window=settings.edit_window_seconds, max_depth=settings.max_depth,
            allow_images=settings.allow_images, guests=signin,
        ),
        editing=EditingService(
            db, signer, bus, sites, limits=limits, allow_images=settings.allow_images
        ),
        voting=VotingService(db, signer, sites),
        flagging=FlaggingService(db, sites, signer, bus, moderation.flag_gate, notifications),
        nudging=NudgingService(sites, scoring),
        scoring=scoring,
        notifications=notifications,
        signin=signin,
        profiles=ProfileService(db, signer, bus, signin, limits=limits,
                                avatar_max_bytes=settings.avatar_max_bytes),
    )


def create_app(
    settings: Settings, services: Services | None = None, *, server_process: bool = False
) -> FastAPI:
    """``server_process``: the app owns its process (``rejoinder.asgi``), so once started it may
    tune process-wide state (see ``heap``) and watch its event loop (see ``loop_watchdog``)."""
    svc = services or build_services(settings)
    watchdogs: list[LoopWatchdog] = []

    async def start_up() -> None:
        if svc.scoring is not None:
            await svc.scoring.start()  # load the models now, not on the first comment
        if server_process:
            freeze_startup_objects()
            if settings.loop_stall_warning_ms > 0:  # after start-up's own long steps
                watchdog = LoopWatchdog(asyncio.get_running_loop(),
                                        settings.loop_stall_warning_ms / 1000)
                watchdog.start()
                watchdogs.append(watchdog)  # stopped when the lifespan ends

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            app.state.warm_up = asyncio.create_task(start_up())
            if settings.notify_worker:
                app.state.outbox_worker = await stack.enter_async_context(
                    running_worker(svc.db, svc.notifications.cfg)
                )
            yield
        for watchdog in watchdogs:
            watchdog.stop()
        if svc.scoring is not None:
            await svc.scoring.close()
        await svc.bus.close()
        await svc.db.dispose()

    app = FastAPI(
        title="Rejoinder",
        version=__version__,
        summary="Threaded comments with moderation that explains itself.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.services = svc
    app.state.notifications = svc.notifications
    problems.install(app)
    app.include_router(router)
    app.include_router(health)
    app.include_router(widget_files.router)
    app.include_router(feeds.router)
    app.include_router(notify_routes.router)
    app.include_router(signin_routes.router)
    app.include_router(dashboard.router)

    @app.get("/api/v1/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(render_docs(app.openapi()))

    app.add_middleware(CorsMiddleware, allowed=svc.sites.any_site_allows,
                       max_age=settings.cors_max_age)
    app.add_middleware(SecurityHeadersMiddleware)
    return app
