"""The ``rejoinder`` command. Commands parse arguments and hand off; they hold no logic."""

from __future__ import annotations

import click

from rejoinder import __version__
from rejoinder.cli.db import db
from rejoinder.cli.demo import demo
from rejoinder.cli.init import init
from rejoinder.cli.models import models
from rejoinder.cli.serve import serve
from rejoinder.cli.sites import site
from rejoinder.cli.transfer import export_command, import_command, notify_group, privacy_group
from rejoinder.cli.users import user


@click.group()
@click.version_option(__version__, prog_name="rejoinder")
def main() -> None:
    """Rejoinder: self-hosted comments for publications whose writing starts arguments."""


main.add_command(serve)
main.add_command(demo)
main.add_command(init)
main.add_command(db)
main.add_command(site)
main.add_command(export_command, "export")
main.add_command(import_command, "import")
main.add_command(notify_group, "notify")
main.add_command(privacy_group, "privacy")
main.add_command(user)
main.add_command(models)
