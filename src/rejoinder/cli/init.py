from __future__ import annotations

import secrets
from pathlib import Path

import click

TEMPLATE = """\
# Rejoinder configuration. Every setting can also come from the environment as
# REJOINDER_<NAME> (upper case), which wins over this file. See docs/settings.md.

# Where comments live: SQLite for one process, PostgreSQL for several.
database_url = "{database_url}"
# database_url = "postgresql://rejoinder@127.0.0.1/rejoinder"

# Signs edit tokens and sessions and keys the identicon hashes. Keep it secret and stable:
# changing it invalidates outstanding edit tokens.
secret_key = "{secret}"

host = "127.0.0.1"
port = 8080

# The address readers reach this server at (used in links the server writes).
# public_url = "https://comments.example.org"

# Shared rate limits and live updates between processes:
# redis_url = "redis://127.0.0.1:6379/0"

# Per-site classifier heads learnt from moderators' decisions (`rejoinder models adapt`).
data_dir = "rejoinder-data"

# How long authors may edit or delete their own comment, in seconds.
edit_window_seconds = 900
max_text_length = 10000
max_depth = 6
"""


@click.command()
@click.argument("path", default="rejoinder.toml", type=click.Path(dir_okay=False))
@click.option("--database-url", default="sqlite:///rejoinder.sqlite3", show_default=True)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: str, database_url: str, force: bool) -> None:
    """Write a commented config file with a freshly generated secret."""
    target = Path(path)
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists already (use --force to overwrite)")
    target.write_text(
        TEMPLATE.format(database_url=database_url, secret=secrets.token_urlsafe(32)),
        encoding="utf-8",
    )
    target.chmod(0o600)
    click.echo(f"wrote {target}; next: rejoinder db upgrade -c {target} && "
               f"rejoinder site add mysite --origin https://example.org -c {target}")
