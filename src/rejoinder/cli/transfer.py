"""``rejoinder export|import``, ``rejoinder notify …`` and ``rejoinder privacy …``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from rejoinder.cli.common import async_command, config_option, open_database, settings_from
from rejoinder.importers import FORMATS, ImportFormatError
from rejoinder.notify.config import NotifyConfig
from rejoinder.notify.worker import OutboxWorker
from rejoinder.services import privacy
from rejoinder.services.exporting import export_site, import_into_site
from rejoinder.services.notifications import WebhookDirectory
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.tokens import Signer
from rejoinder.settings import Settings

site_option = click.option("--site", "site_key", required=True, help="Site key.")


def _signer(settings: Settings) -> Signer:
    if not settings.secret_key:
        raise click.ClickException("secret_key is not set: run `rejoinder init` first")
    return Signer.from_secret(settings.secret_key)


@click.command("export")
@site_option
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@config_option
@async_command
async def export_command(site_key: str, file: str, config_path: str | None) -> None:
    """Write every thread and comment of a site to FILE ("-": standard output) as JSON."""
    db = await open_database(settings_from(config_path))
    try:
        site = await SiteDirectory(db).require(site_key)
        with click.open_file(file, "w", encoding="utf-8") as out:
            n_threads, n_comments = await export_site(db, site, out)
    finally:
        await db.dispose()
    click.echo(f"exported {n_threads} threads and {n_comments} comments of {site.key}",
               err=True)


@click.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(sorted(FORMATS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@site_option
@click.option("--source", help="Name of the origin of the ids (default: the format); give two "
              "blogs imported into one site different names.")
@click.option("--verbose", "-v", is_flag=True, help="List every skipped record.")
@config_option
@async_command
async def import_command(fmt: str, file: str, site_key: str, source: str | None,
                         verbose: bool, config_path: str | None) -> None:
    """Import FILE (Disqus, WordPress, Isso or a Rejoinder export) into a site, all or nothing.

    Importing the same file again adds nothing.
    """
    settings = settings_from(config_path)
    db = await open_database(settings)
    try:
        site = await SiteDirectory(db).require(site_key)
        try:
            report = await import_into_site(db, _signer(settings), site, fmt, Path(file),
                                            source=source, allow_images=settings.allow_images)
        except ImportFormatError as exc:
            raise click.ClickException(f"nothing imported: {exc}") from None
    finally:
        await db.dispose()
    click.echo(report.summary())
    if verbose:
        for record in [*report.skipped, *report.reattached]:
            click.echo(f"  {record.line_or_position}: {record.kind} {record.source_id or '?'}: "
                       f"{record.reason} {record.detail}".rstrip())


@click.group("notify")
def notify_group() -> None:
    """The notification outbox: email and webhooks."""


@notify_group.command("run-once")
@config_option
@async_command
async def notify_run_once(config_path: str | None) -> None:
    """Deliver every notification that is due now, then exit (for cron)."""
    settings = settings_from(config_path)
    db = await open_database(settings)
    worker = OutboxWorker(db, NotifyConfig.from_settings(settings))
    try:
        stats = await worker.run_once()
    finally:
        await worker.stop()
        await db.dispose()
    click.echo(f"sent {stats.sent}, failed {stats.failed} (will retry)")


@notify_group.command("webhook-add")
@site_option
@click.argument("url")
@click.option("--event", "events", multiple=True, help="Only this event (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["json", "slack"]), default="json")
@config_option
@async_command
async def webhook_add(site_key: str, url: str, events: tuple[str, ...], fmt: str,
                      config_path: str | None) -> None:
    """Add a webhook; prints the secret its requests are signed with."""
    db = await open_database(settings_from(config_path))
    try:
        site = await SiteDirectory(db).require(site_key)
        hook = await WebhookDirectory(db).add(site, url, events=events, fmt=fmt)
    finally:
        await db.dispose()
    click.echo(f"webhook {hook.id} for {site.key}: {hook.url}\nsecret: {hook.secret}")


@click.group("privacy")
def privacy_group() -> None:
    """A reader's data: export it or erase it."""


@privacy_group.command("export")
@site_option
@click.option("--email", required=True)
@config_option
@async_command
async def privacy_export(site_key: str, email: str, config_path: str | None) -> None:
    """Print everything stored about an email address on a site, as JSON."""
    db = await open_database(settings_from(config_path))
    try:
        site = await SiteDirectory(db).require(site_key)
        data = await privacy.author_data(db, site, email)
    finally:
        await db.dispose()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@privacy_group.command("erase")
@site_option
@click.option("--email", required=True)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@config_option
@async_command
async def privacy_erase(site_key: str, email: str, yes: bool, config_path: str | None) -> None:
    """Erase an address's comments and personal data (replies by others keep their place)."""
    if not yes:
        click.confirm(f"Erase every comment of {email} on {site_key}?", abort=True)
    db = await open_database(settings_from(config_path))
    try:
        site = await SiteDirectory(db).require(site_key)
        done = await privacy.erase_author(db, site, email, actor="admin (command line)")
    finally:
        await db.dispose()
    click.echo(f"erased {done.authors} author records: {done.removed} comments removed, "
               f"{done.placeholders} kept as [deleted] placeholders")
