from __future__ import annotations

import json

from click.testing import CliRunner

from rejoinder import __version__
from rejoinder.cli import main


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_init_upgrade_and_sites(tmp_path):
    config = tmp_path / "rejoinder.toml"
    db_url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    result = invoke("init", str(config), "--database-url", db_url)
    assert result.exit_code == 0, result.output
    text = config.read_text()
    assert "secret_key = " in text and db_url in text
    assert invoke("init", str(config)).exit_code != 0  # refuses to overwrite

    before = invoke("site", "list", "-c", str(config))
    assert before.exit_code != 0 and "rejoinder db upgrade" in before.output

    assert invoke("db", "upgrade", "-c", str(config)).exit_code == 0
    status = invoke("db", "status", "-c", str(config))
    assert "up to date" in status.output

    added = invoke("site", "add", "blog", "--name", "My Blog", "--origin",
                   "https://blog.example.org", "-c", str(config))
    assert added.exit_code == 0, added.output
    dup = invoke("site", "add", "blog", "-c", str(config))
    assert dup.exit_code != 0 and "exists already" in dup.output
    bad = invoke("site", "add", "x", "--origin", "not a url", "-c", str(config))
    assert bad.exit_code != 0 and "not an origin" in bad.output

    updated = invoke("site", "update", "blog", "--origin", "https://new.example.org",
                     "--set", 'mode="pre"', "-c", str(config))
    assert updated.exit_code == 0, updated.output
    listed = json.loads(invoke("site", "list", "--json", "-c", str(config)).output)
    assert listed == [{"key": "blog", "name": "My Blog", "origins": ["https://new.example.org"],
                       "settings": {"mode": "pre"}}]


def test_clear_errors(tmp_path):
    missing = invoke("site", "list", "-c", str(tmp_path / "nope.toml"))
    assert missing.exit_code != 0 and "does not exist" in missing.output
    broken = tmp_path / "broken.toml"
    broken.write_text("port = \n")
    result = invoke("site", "list", "-c", str(broken))
    assert result.exit_code != 0 and "not valid TOML" in result.output
    unreachable = tmp_path / "pg.toml"
    unreachable.write_text(
        'secret_key = "s"\ndatabase_url = "postgresql://nobody@127.0.0.1:1/none"\n'
    )
    result = invoke("site", "list", "-c", str(unreachable))
    assert result.exit_code != 0 and "cannot reach the database" in result.output
    no_secret = tmp_path / "ns.toml"
    no_secret.write_text(f'database_url = "sqlite:///{tmp_path / "x.sqlite3"}"\n')
    result = invoke("serve", "-c", str(no_secret))
    assert result.exit_code != 0 and "secret_key is not set" in result.output
