from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from argon2 import PasswordHasher

from rejoinder.app import Services, build_services, create_app
from rejoinder.services.accounts import AccountService
from rejoinder.services.dashboard import DashboardService
from rejoinder.services.moderation_actions import ModerationActions
from rejoinder.services.validation import Limits
from rejoinder.web.dashboard.session import DashboardServices
from tests.conftest import make_settings

PASSWORD = "correct horse battery"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
USERS = {"root": ("admin", []), "alice": ("moderator", ["test"]), "bob": ("moderator", ["other"])}
META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
FORM_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Dash:
    services: Services
    app: object
    base_url: str = "https://testserver"

    def client(self, base_url: str | None = None) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app, client=("203.0.113.7", 1234)),
            base_url=base_url or self.base_url,
        )

    async def login(self, username: str, password: str = PASSWORD,
                    client: httpx.AsyncClient | None = None) -> tuple[httpx.AsyncClient, str]:
        """A client signed in as ``username`` and the session's CSRF token."""
        client = client or self.client()
        page = await client.get("/moderate/login")
        token = FORM_CSRF.search(page.text).group(1)
        r = await client.post("/moderate/login", data={
            "username": username, "password": password, "csrf_token": token,
            "next": "/moderate/password",
        })
        assert r.status_code == 303, r.text
        landing = await client.get("/moderate/password")
        return client, META_CSRF.search(landing.text).group(1)


@pytest.fixture
async def dash(database_url: str) -> AsyncIterator[Dash]:
    settings = make_settings(database_url)
    services = build_services(settings)
    await services.sites.add("test", "Test blog", ["https://blog.example.org"])
    await services.sites.add("other", "Other blog", ["https://other.example.org"])
    # cheap argon2 parameters keep the many sign-ins of these tests fast
    accounts = AccountService(services.db, services.sites, FAST_HASHER)
    for name, (role, sites) in USERS.items():
        await accounts.add_user(name, PASSWORD, role, sites)
    app = create_app(settings, services)
    app.state.dashboard_services = DashboardServices(
        accounts=accounts,
        actions=ModerationActions(services.db, services.sites, services.bus,
                                  limits=Limits(10000, 80, 254, 500)),
        dashboard=DashboardService(services.db, services.sites),
    )
    yield Dash(services, app)
    await services.bus.close()
    await services.db.dispose()
