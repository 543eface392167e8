from __future__ import annotations

import asyncio
import secrets
import tempfile
from pathlib import Path

import click
import uvicorn

from rejoinder.app import build_services, create_app
from rejoinder.demo.discussion import ARTICLE_URI
from rejoinder.demo.seed import seed_discussion
from rejoinder.services.accounts import AccountService
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.tokens import Signer
from rejoinder.settings import load_settings
from rejoinder.store.engine import Database
from rejoinder.store.migrate import upgrade


async def prepare(database_url: str, port: int, secret: str, password: str) -> int:
    db = Database(database_url)
    try:
        await upgrade(db)
        base = f"http://127.0.0.1:{port}"
        sites = SiteDirectory(db)
        site = await sites.add(
            "demo", "The Riverside Courier", [base, f"http://localhost:{port}"]
        )
        await AccountService(db, sites).add_user("moderator", password, "admin", [])
        return await seed_discussion(db, site, Signer.from_secret(secret), base)
    finally:
        await db.dispose()


@click.command()
@click.option("--port", default=8080, show_default=True, help="Port on 127.0.0.1.")
@click.option("--data-dir", type=click.Path(file_okay=False),
              help="Keep the demo database here (default: a fresh temporary directory).")
def demo(port: int, data_dir: str | None) -> None:
    """Start a server on 127.0.0.1 with a fresh SQLite file, a demo site and a sample thread."""
    folder = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="rejoinder-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    db_file = folder / "demo.sqlite3"
    if db_file.exists():
        db_file.unlink()
    url = f"sqlite:///{db_file}"
    secret = secrets.token_urlsafe(32)
    password = secrets.token_urlsafe(12)
    count = asyncio.run(prepare(url, port, secret, password))
    settings = load_settings(
        environ={}, database_url=url, secret_key=secret, host="127.0.0.1", port=port
    )
    from rejoinder.web.demo import router

    app = create_app(settings, build_services(settings))
    app.include_router(router)
    click.echo(f"Demo database: {db_file} ({count} sample comments)")
    click.echo(f"Open http://127.0.0.1:{port}{ARTICLE_URI}")
    click.echo(f"Moderate at http://127.0.0.1:{port}/moderate "
               f"(user: moderator, password: {password})")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", server_header=False)
