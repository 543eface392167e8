from __future__ import annotations

import os

import click
import uvicorn

from rejoinder.cli.common import config_option, open_database, run, settings_from


@click.command()
@config_option
@click.option("--host", help="Listen address (default from settings: 127.0.0.1).")
@click.option("--port", type=int, help="Listen port (default from settings: 8080).")
@click.option("--workers", type=int, help="Worker processes.")
def serve(config_path: str | None, host: str | None, port: int | None,
          workers: int | None) -> None:
    """Run the comment server."""
    settings = settings_from(config_path, host=host, port=port, workers=workers)
    if not settings.secret_key:
        raise click.ClickException(
            "secret_key is not set: run `rejoinder init` or set REJOINDER_SECRET_KEY"
        )

    async def check() -> None:
        db = await open_database(settings)
        await db.dispose()

    run(check())
    if settings.workers > 1 and settings.database_url.startswith("sqlite"):
        click.echo("note: several workers on SQLite share one writer; PostgreSQL scales further",
                   err=True)
    config = {"REJOINDER_" + k.upper(): str(v) for k, v in settings.values.items()}
    os.environ.update(config)
    uvicorn.run(
        "rejoinder.asgi:app", host=settings.host, port=settings.port,
        workers=settings.workers, log_level=settings.log_level, proxy_headers=False,
        server_header=False,
    )
