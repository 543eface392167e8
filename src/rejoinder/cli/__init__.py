"""The ``rejoinder`` command. Commands parse arguments and hand off; they hold no logic."""

from __future__ import annotations

import click

from rejoinder import __version__
from rejoinder.cli.db import db
from rejoinder.cli.demo import demo
from rejoinder.cli.init import init
from rejoinder.cli.serve import serve
from rejoinder.cli.sites import site


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rejoinder")
def main() -> None:
    """Rejoinder: self-hosted comments for publications whose writing starts arguments."""


main.add_command(serve)
main.add_command(demo)
main.add_command(init)
main.add_command(db)
main.add_command(site)
