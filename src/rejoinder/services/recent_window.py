"""A site's recent comments (and their embeddings), kept in memory between posts.

The duplicate and rewording signals compare every new comment with the site's last few hundred.
Reading and decoding all of them for each post cost more than the comparison itself, so each
process keeps the window and asks the database only for rows newer than the newest it holds.
Comments written by other processes therefore count at once. The whole window is read again
every ``refresh_seconds`` so that edits, erasures and rows committed out of id order (possible
on PostgreSQL with concurrent writers) are seen within that time.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.engine import Database

REFRESH_SECONDS = 10.0

Row = TypeVar("Row")

# (conn, site key, since, limit, after id) -> rows newest first
Loader = Callable[[AsyncConnection, str, datetime, int, int | None], Awaitable[list[Row]]]


@dataclass(slots=True)
class _Window(Generic[Row]):
    rows: list[Row]  # newest first
    newest_id: int
    since: datetime  # the oldest creation time the window was loaded for
    limit: int
    loaded_at: float
    oldest: datetime | None  # no row was created before this (None: no row has a date)


class RecentWindow(Generic[Row]):
    def __init__(
        self,
        db: Database,
        load: Loader[Row],
        *,
        ident: Callable[[Row], int],
        created: Callable[[Row], datetime | None],
        refresh_seconds: float = REFRESH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self._load = load
        self._ident = ident
        self._created = created
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self._windows: dict[str, _Window[Row]] = {}

    async def rows(self, site_key: str, since: datetime, limit: int) -> list[Row]:
        """The site's rows created at or after ``since``, newest first, at most ``limit``."""
        window = self._windows.get(site_key)
        started = self._clock()
        if (window is None or started - window.loaded_at > self.refresh_seconds
                or since < window.since or limit > window.limit):
            async with self.db.read() as conn:
                loaded = await self._load(conn, site_key, since, limit, None)
            newest = max((self._ident(r) for r in loaded), default=0)
            window = _Window(loaded, newest, since, limit, started, self._oldest(loaded))
            self._windows[site_key] = window
        else:
            async with self.db.read() as conn:
                fresh = await self._load(conn, site_key, since, limit, window.newest_id)
            window = self._merge(site_key, window, fresh)
        if window.oldest is None or window.oldest >= since:
            return window.rows[:limit]  # all recent enough: the usual case on a busy site
        window.oldest = self._oldest(window.rows)  # rows may have left since it was set
        return [r for r in window.rows if self._is_since(r, since)][:limit]

    def _merge(self, site_key: str, window: _Window[Row], fresh: list[Row]) -> _Window[Row]:
        # another call may have merged (or reloaded) while this one read: keep only rows newer
        # than what the current window holds, so none is counted twice
        current = self._windows.get(site_key, window)
        newer = sorted((r for r in fresh if self._ident(r) > current.newest_id),
                       key=self._ident, reverse=True)
        if newer:
            current.rows = (newer + current.rows)[: current.limit]
            current.newest_id = self._ident(newer[0])
            # a lower bound: rows cut off at the end may have been the oldest
            current.oldest = _earliest(current.oldest, self._oldest(newer))
        return current

    def _oldest(self, rows: list[Row]) -> datetime | None:
        return min((c for r in rows if (c := self._created(r)) is not None), default=None)

    def _is_since(self, row: Row, since: datetime) -> bool:
        created = self._created(row)
        return created is None or created >= since


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)
