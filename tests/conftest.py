from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from rejoinder.app import Services, build_services, create_app
from rejoinder.settings import Settings, load_settings
from rejoinder.store.engine import Database
from rejoinder.store.migrate import upgrade_sync
from tests.mailbox import Mailbox

PG_DSN = os.environ.get("REJOINDER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
ORIGIN = "https://blog.example.org"
# Tests post many comments from one address; the rate limits have their own tests.
RELAXED = {
    "post_per_ip": [100000, 60],
    "post_per_author": [100000, 60],
    "post_per_thread": [100000, 60],
    "flag_per_ip": [100000, 60],
}


def _pg_admin(sql: str) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(PG_DSN)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrations run once per session; each test gets a copy of the result."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade_sync(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def migrated_postgres() -> Iterator[str]:
    name = f"rejoinder_tmpl_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        upgrade_sync(f"{PG_DSN.rsplit('/', 1)[0]}/{name}")
        yield name
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.slow]),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database on each backend."""
    if request.param == "sqlite":
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), target)
        yield f"sqlite:///{target}"
        return
    template = request.getfixturevalue("migrated_postgres")
    name = f"rejoinder_test_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield f"{PG_DSN.rsplit('/', 1)[0]}/{name}"
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path, migrated_sqlite: Path) -> str:
    target = tmp_path / "test.sqlite3"
    shutil.copyfile(migrated_sqlite, target)
    return f"sqlite:///{target}"


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """API tests run without the classifiers unless they ask (tests/api/test_classifiers.py)."""
    values = {"classifiers": False, **overrides}
    return load_settings(
        environ={}, database_url=database_url, secret_key="test-secret", **values
    )


ClientFactory = Callable[..., Any]


@pytest.fixture
async def client_factory(
    database_url: str,
) -> AsyncIterator[Callable[..., Any]]:
    """Build an app (with its own settings) and an httpx client talking to it in-process."""
    made: list[tuple[httpx.AsyncClient, Services]] = []

    async def factory(
        *,
        origins: tuple[str, ...] = (ORIGIN,),
        site: str = "test",
        site_settings: dict[str, Any] | None = None,
        **overrides: Any,
    ) -> httpx.AsyncClient:
        settings = make_settings(database_url, **overrides)
        services = build_services(settings)
        if await services.sites.get(site) is None:
            await services.sites.add(
                site, "Test site", list(origins),
                RELAXED if site_settings is None else site_settings,
            )
        app = create_app(settings, services)
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("203.0.113.7", 1234)),
            base_url="http://testserver",
        )
        client.app = app  # type: ignore[attr-defined]
        client.services = services  # type: ignore[attr-defined]
        made.append((client, services))
        return client

    yield factory
    for client, services in made:
        await client.aclose()
        await services.bus.close()
        await services.db.dispose()


@pytest.fixture
async def client(client_factory: Callable[..., Any]) -> httpx.AsyncClient:
    result: httpx.AsyncClient = await client_factory()
    return result


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A local SMTP server, running for the test."""
    box = Mailbox()
    box.start()
    yield box
    box.stop()
