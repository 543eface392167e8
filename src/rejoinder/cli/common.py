from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import click

from rejoinder.errors import ConfigError, RejoinderError, StoreUnavailable
from rejoinder.settings import Settings, load_settings
from rejoinder.store.engine import Database
from rejoinder.store.migrate import head_revision, needs_upgrade

P = ParamSpec("P")
T = TypeVar("T")

config_option = click.option(
    "-c", "--config", "config_path", type=click.Path(dir_okay=False),
    envvar="REJOINDER_CONFIG", help="TOML config file (or set REJOINDER_CONFIG).",
)


def settings_from(config_path: str | None, **overrides: Any) -> Settings:
    try:
        return load_settings(config_path, **overrides)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def run(coro: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(coro)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    except StoreUnavailable as exc:
        raise click.ClickException(f"cannot reach the database: {exc}") from None
    except RejoinderError as exc:
        raise click.ClickException(exc.detail) from None


def async_command(fn: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, T]:
    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return run(fn(*args, **kwargs))

    return wrapper


async def open_database(settings: Settings, *, require_current: bool = True) -> Database:
    """Connect, and refuse to go on with a schema older than this version expects."""
    try:
        db = Database(settings.database_url)
    except ValueError as exc:
        raise ConfigError(f"database_url: {exc}") from None
    try:
        await db.ping()
        if require_current and await needs_upgrade(db):
            await db.dispose()
            raise ConfigError(
                f"the database schema is not at revision {head_revision()}: "
                "run `rejoinder db upgrade` first"
            )
    except StoreUnavailable:
        await db.dispose()
        raise
    except Exception as exc:
        await db.dispose()
        if isinstance(exc, ConfigError):
            raise
        raise StoreUnavailable(str(exc)) from exc
    return db
