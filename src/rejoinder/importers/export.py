"""Write Rejoinder's export format (see ``native.py``) as a stream, one record per line.

For an export, each record's ``key`` is the Rejoinder id as text (and ``thread_key`` and
``parent_key`` the ids they point to), so a re-import keeps the tree and the identities.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from rejoinder.domain.site import Site
from rejoinder.importers.native import FORMAT, VERSION, comment_to_json, thread_to_json
from rejoinder.importers.records import ImportedComment, ImportedThread


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _head(site: Site | None, exported: datetime | None) -> str:
    when = (exported or datetime.now(UTC)).isoformat()
    site_json = {"key": site.key, "name": site.name, "origins": site.origins} if site else None
    return (f'{{"format": "{FORMAT}", "version": {VERSION}, "exported": {_dump(when)}, '
            f'"site": {_dump(site_json)},\n')


class _Writer:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.first = True
        self.count = 0

    def open(self, name: str) -> None:
        self.out.write(f'"{name}": [')
        self.first = True

    def item(self, value: dict[str, Any]) -> None:
        self.out.write(("\n" if self.first else ",\n") + _dump(value))
        self.first = False
        self.count += 1

    def close(self, last: bool) -> None:
        self.out.write("\n]" + ("}\n" if last else ",\n"))


def write_export(
    out: TextIO,
    threads: Iterable[ImportedThread],
    comments: Iterable[ImportedComment],
    *,
    site: Site | None = None,
    exported: datetime | None = None,
) -> tuple[int, int]:
    """Stream an export to ``out``; returns (threads written, comments written).

    Comments should come parents first (ordering by id does that); importing copes otherwise.
    """
    out.write(_head(site, exported))
    writer = _Writer(out)
    writer.open("threads")
    for thread in threads:
        writer.item(thread_to_json(thread))
    writer.close(last=False)
    n_threads, writer.count = writer.count, 0
    writer.open("comments")
    for comment in comments:
        writer.item(comment_to_json(comment))
    writer.close(last=True)
    return n_threads, writer.count


async def write_export_async(
    out: TextIO,
    threads: AsyncIterable[ImportedThread],
    comments: AsyncIterable[ImportedComment],
    *,
    site: Site | None = None,
    exported: datetime | None = None,
) -> tuple[int, int]:
    """``write_export`` for records fetched from the database as they are written."""
    out.write(_head(site, exported))
    writer = _Writer(out)
    writer.open("threads")
    async for thread in threads:
        writer.item(thread_to_json(thread))
    writer.close(last=False)
    n_threads, writer.count = writer.count, 0
    writer.open("comments")
    async for comment in comments:
        writer.item(comment_to_json(comment))
    writer.close(last=True)
    return n_threads, writer.count
