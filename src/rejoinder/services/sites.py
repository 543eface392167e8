"""Sites: looked up on every request, so cached briefly; changed through the CLI and dashboard."""

from __future__ import annotations

import re
import time
from typing import Any

from rejoinder.domain.site import Site, canonical_origin
from rejoinder.errors import RejoinderError, invalid, not_found
from rejoinder.identity.settings import check_identity_settings
from rejoinder.moderation.settings import ModerationSettings
from rejoinder.store import sites as site_store
from rejoinder.store.engine import Database

SITE_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def check_site_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Refuse settings the moderation pipeline could not read, before they are stored."""
    check_identity_settings(settings.get("identity"))
    try:
        ModerationSettings.from_mapping(settings)
    except (TypeError, ValueError, KeyError) as exc:
        raise invalid(
            "invalid_site_setting", f"A site setting has an invalid value: {exc}"
        ) from None
    return settings


def clean_origins(origins: list[str]) -> list[str]:
    cleaned: list[str] = []
    for origin in origins:
        origin = origin.strip()
        if not origin:
            continue
        if not re.match(r"^https?://[^/\s]+/?$", origin):
            raise invalid("invalid_origin", f"{origin!r} is not an origin like https://example.org")
        value = canonical_origin(origin)
        if value not in cleaned:
            cleaned.append(value)
    return cleaned


class SiteDirectory:
    def __init__(self, db: Database, ttl: float = 5.0) -> None:
        self.db = db
        self.ttl = ttl
        self._cache: dict[str, tuple[float, Site | None]] = {}
        self._origins: tuple[float, frozenset[str]] = (0.0, frozenset())

    async def get(self, key: str) -> Site | None:
        hit = self._cache.get(key)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        async with self.db.read() as conn:
            site = await site_store.site_by_key(conn, key)
        self._cache[key] = (time.monotonic() + self.ttl, site)
        return site

    async def require(self, key: str | None) -> Site:
        if not key:
            raise invalid("site_missing", "Say which site the request is for.", "site")
        site = await self.get(key)
        if site is None:
            raise not_found("unknown_site", f"There is no site {key!r} on this server.")
        return site

    async def any_site_allows(self, origin: str) -> bool:
        expires, origins = self._origins
        if expires < time.monotonic():
            async with self.db.read() as conn:
                every = await site_store.all_sites(conn)
            origins = frozenset(canonical_origin(o) for s in every for o in s.origins)
            self._origins = (time.monotonic() + self.ttl, origins)
        return canonical_origin(origin) in origins

    async def check_origin(self, site_key: str, origin: str | None) -> None:
        """A browser request from a page outside the site's origins is refused outright."""
        if origin is None:
            return
        site = await self.require(site_key)
        if not site.allows_origin(origin):
            raise RejoinderError(
                403, "origin_not_allowed", "Requests from this page are not allowed for this site."
            )

    def forget(self) -> None:
        self._cache.clear()
        self._origins = (0.0, frozenset())

    async def add(
        self, key: str, name: str, origins: list[str], settings: dict[str, Any] | None = None
    ) -> Site:
        if not SITE_KEY.match(key):
            raise invalid(
                "invalid_site_key",
                "A site key is 1-64 lowercase letters, digits, '-' or '_'.",
                "key",
            )
        cleaned = clean_origins(origins)
        settings = check_site_settings(settings or {})
        async with self.db.write() as conn:
            try:
                site = await site_store.create_site(conn, key, name or key, cleaned, settings or {})
            except site_store.SiteExists:
                raise RejoinderError(
                    409, "site_exists", f"A site {key!r} exists already."
                ) from None
        self.forget()
        return site

    async def update(
        self,
        key: str,
        *,
        name: str | None = None,
        origins: list[str] | None = None,
        settings: dict[str, Any] | None = None,
    ) -> Site:
        site = await self.require(key)
        values: dict[str, Any] = {}
        if name is not None:
            values["name"] = name
        if origins is not None:
            values["origins"] = clean_origins(origins)
        if settings is not None:
            values["settings"] = check_site_settings({**site.settings, **settings})
        if values:
            async with self.db.write() as conn:
                await site_store.update_site(conn, site.id, **values)
        self.forget()
        updated = await self.require(key)
        return updated

    async def all(self) -> list[Site]:
        async with self.db.read() as conn:
            return await site_store.all_sites(conn)
