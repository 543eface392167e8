from __future__ import annotations

import asyncio
import json

import click
from click.testing import CliRunner

from rejoinder.cli.transfer import export_command, import_command, notify_group, privacy_group
from rejoinder.settings import Settings
from tests.helpers import post


def cli() -> click.Group:
    group = click.Group()
    for command in (export_command, import_command, notify_group, privacy_group):
        group.add_command(command)
    return group


def env(url: str) -> dict[str, str]:
    return {"REJOINDER_DATABASE_URL": url, "REJOINDER_SECRET_KEY": "test-secret"}


async def test_export_import_and_privacy_commands(client_factory, database_url, tmp_path):
    client = await client_factory()
    top = (await post(client, "Hello", name="Ann", email="ann@example.org")).json()
    await post(client, "Reply", parent=top["comment"]["id"], name="Bob")
    await client.services.sites.add("copy", "Copy", [])
    runner = CliRunner()

    def invoke(args: list[str]):
        return asyncio.to_thread(runner.invoke, cli(), args, env=env(database_url))

    path = tmp_path / "out.json"
    result = await invoke(["export", "--site", "test", str(path)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(path.read_text())["comments"]) == 2
    result = await invoke(["import", "rejoinder", str(path), "--site", "copy"])
    assert result.exit_code == 0, result.output
    assert "2 comments imported" in result.output
    result = await invoke(["import", "rejoinder", str(path), "--site", "copy"])
    assert "0 comments imported, 2 already imported" in result.output
    result = await invoke(["privacy", "export", "--site", "test", "--email",
                                   "ANN@example.org"])
    data = json.loads(result.output)
    assert [c["text"] for c in data["comments"]] == ["Hello"]
    result = await invoke(["privacy", "erase", "--site", "test", "--email",
                                   "ann@example.org", "--yes"])
    assert result.exit_code == 0 and "1 kept as [deleted]" in result.output
    result = await invoke(["notify", "run-once"])
    assert result.exit_code == 0 and "sent 0, failed 0" in result.output


def test_import_of_a_bad_file_fails_cleanly(sqlite_url, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    from rejoinder.app import build_services

    async def add_site() -> None:
        services = build_services(Settings({"database_url": sqlite_url, "secret_key": "x"}))
        await services.sites.add("test", "Test", [])
        await services.db.dispose()

    asyncio.run(add_site())
    result = CliRunner().invoke(cli(), ["import", "rejoinder", str(bad), "--site", "test"],
                                env=env(sqlite_url))
    assert result.exit_code == 1 and "nothing imported" in result.output
