from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from rejoinder.domain.states import CommentState
from rejoinder.importers import ImportFormatError
from rejoinder.services.exporting import export_site, import_into_site
from rejoinder.store import comments as comment_store
from rejoinder.store.tables import comments, threads
from tests.helpers import post


async def seed(client) -> None:
    top = (await post(client, "Top **one** 🎉\n\n> quoted", name="Олена",
                      email="o@example.org", website="https://o.example", title="Essay")
           ).json()["comment"]["id"]
    reply = (await post(client, "reply", parent=top, name="Bob")).json()["comment"]["id"]
    await post(client, "deeper", parent=reply, email="c@example.org")
    gone = (await post(client, "to be deleted", uri="/other")).json()["comment"]["id"]
    await post(client, "answer to deleted", uri="/other", parent=gone)
    async with client.services.db.write() as conn:
        await comment_store.update_comment(conn, gone, state=CommentState.DELETED, text="",
                                           html="", author_name=None)
        await comment_store.update_comment(conn, reply, state=CommentState.PENDING, likes=3,
                                           pinned=True)


def normalized(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    tmap = {t["id"]: i for i, t in enumerate(data["threads"])}
    cmap = {c["id"]: i for i, c in enumerate(data["comments"])}
    for t in data["threads"]:
        t["id"] = tmap[t["id"]]
    for c in data["comments"]:
        c["id"], c["thread"] = cmap[c["id"]], tmap[c["thread"]]
        c["parent"] = cmap[c["parent"]] if c["parent"] is not None else None
    return {"threads": data["threads"], "comments": data["comments"]}


async def test_export_imports_back_losslessly(client, tmp_path):
    await seed(client)
    services = client.services
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    site = await services.sites.require("test")
    with first.open("w", encoding="utf-8") as out:
        assert await export_site(services.db, site, out) == (2, 5)
    copy = await services.sites.add("copy", "Copy", [])
    report = await import_into_site(services.db, services.signer, copy, "rejoinder", first)
    assert (report.comments_imported, report.threads_created, report.skipped) == (5, 2, [])
    with second.open("w", encoding="utf-8") as out:
        await export_site(services.db, copy, out)
    a, b = normalized(first), normalized(second)
    assert a == b
    assert a["comments"][0]["author"] == {"name": "Олена", "email": "o@example.org",
                                          "website": "https://o.example", "ip": "203.0.113.7"}
    assert [c["state"] for c in a["comments"]] == [
        "published", "pending", "published", "deleted", "published"]
    assert a["comments"][1]["likes"] == 3 and a["comments"][1]["pinned"] is True
    # the imported copy renders and lists like the original
    listing = await client.get("/api/v1/comments", params={"site": "copy", "uri": "/post/1"})
    assert "<strong>one</strong>" in listing.text


async def test_reimport_adds_nothing_and_bumps_versions_once(client, tmp_path):
    await seed(client)
    services = client.services
    path = tmp_path / "export.json"
    with path.open("w", encoding="utf-8") as out:
        await export_site(services.db, await services.sites.require("test"), out)
    copy = await services.sites.add("copy", "Copy", [])
    await import_into_site(services.db, services.signer, copy, "rejoinder", path)
    async with services.db.read() as conn:
        versions = dict((await conn.execute(
            select(threads.c.uri, threads.c.version).where(threads.c.site_id == copy.id)
        )).all())
    assert versions == {"/post/1": 1, "/other": 1}
    again = await import_into_site(services.db, services.signer, copy, "rejoinder", path)
    assert (again.comments_imported, again.already_imported) == (0, 5)
    async with services.db.read() as conn:
        keys = (await conn.execute(
            select(comments.c.import_key).join(threads).where(threads.c.site_id == copy.id)
        )).scalars().all()
    assert len(keys) == 5 and all(k.startswith("rejoinder:") for k in keys)


async def test_a_broken_file_keeps_nothing(client, tmp_path):
    await seed(client)
    services = client.services
    path = tmp_path / "export.json"
    with path.open("w", encoding="utf-8") as out:
        await export_site(services.db, await services.sites.require("test"), out)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex("{")] + "{broken", encoding="utf-8")
    copy = await services.sites.add("copy", "Copy", [])
    with pytest.raises(ImportFormatError):
        await import_into_site(services.db, services.signer, copy, "rejoinder", path)
    async with services.db.read() as conn:
        count = (await conn.execute(select(threads.c.id).where(threads.c.site_id == copy.id))
                 ).all()
    assert count == []
