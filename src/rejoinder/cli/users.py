"""``rejoinder user``: moderator and administrator accounts."""

from __future__ import annotations

import sys

import click

from rejoinder.cli.common import async_command, config_option, open_database, settings_from
from rejoinder.services.accounts import AccountService, Role
from rejoinder.services.sites import SiteDirectory


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@click.group()
def user() -> None:
    """Accounts that sign in to the moderation dashboard."""


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MODERATOR.value,
              show_default=True, help="admin acts on every site; moderator on its --site list.")
@click.option("--site", "sites", multiple=True, metavar="KEY",
              help="A site the moderator may act on (repeatable).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@config_option
@async_command
async def user_add(username: str, role: str, sites: tuple[str, ...], password_stdin: bool,
                   config_path: str | None) -> None:
    """Create an account (the password is asked for, or read with --password-stdin)."""
    password = _read_password(password_stdin)
    db = await open_database(settings_from(config_path))
    try:
        made = await AccountService(db, SiteDirectory(db)).add_user(
            username, password, role, list(sites)
        )
    finally:
        await db.dispose()
    where = "all sites" if made.is_admin else (", ".join(made.site_keys) or "no sites yet")
    click.echo(f"added {made.role.value} {made.username} ({where})")


@user.command("list")
@config_option
@async_command
async def user_list(config_path: str | None) -> None:
    """List accounts: username, role, sites, last sign-in."""
    db = await open_database(settings_from(config_path))
    try:
        accounts = await AccountService(db, SiteDirectory(db)).list_users()
    finally:
        await db.dispose()
    for a in accounts:
        sites = "*" if a.role is Role.ADMIN else (",".join(a.sites) or "-")
        last = a.last_login.isoformat(timespec="minutes") if a.last_login else "never"
        click.echo(f"{a.username}\t{a.role.value}\t{sites}\t{last}")


@user.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@config_option
@async_command
async def user_passwd(username: str, password_stdin: bool, config_path: str | None) -> None:
    """Set a new password; unlocks the account and signs out its sessions."""
    password = _read_password(password_stdin)
    db = await open_database(settings_from(config_path))
    try:
        await AccountService(db, SiteDirectory(db)).set_password(username, password)
    finally:
        await db.dispose()
    click.echo(f"password changed for {username}")


@user.command("remove")
@click.argument("username")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@config_option
@async_command
async def user_remove(username: str, yes: bool, config_path: str | None) -> None:
    """Delete an account and its sessions (its audit entries stay)."""
    if not yes:
        click.confirm(f"Remove {username}?", abort=True)
    db = await open_database(settings_from(config_path))
    try:
        await AccountService(db, SiteDirectory(db)).remove_user(username)
    finally:
        await db.dispose()
    click.echo(f"removed {username}")
