"""Send one email over SMTP (plain, STARTTLS or implicit TLS) with the standard library."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from rejoinder.notify.config import NotifyConfig


class EmailNotConfigured(Exception):
    """smtp_host is empty: rows wait until email is set up."""


def build_message(cfg: NotifyConfig, payload: dict[str, Any], dedupe_key: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = cfg.smtp_from
    message["To"] = payload["to"]
    message["Subject"] = payload["subject"]
    message["Date"] = formatdate(localtime=False, usegmt=True)
    # A Message-ID derived from the outbox row lets a receiving server drop the rare resend
    # that happens when the process dies after the server accepted the mail.
    domain = cfg.smtp_from.rsplit("@", 1)[-1].strip("> ") or "localhost"
    message["Message-ID"] = make_msgid(idstring=_safe(dedupe_key), domain=domain)
    for name, value in payload.get("headers", {}).items():
        message[name] = value
    message.set_content(payload["text"])
    if payload.get("html"):
        message.add_alternative(payload["html"], subtype="html")
    return message


def _safe(key: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-." else "-" for ch in key)[:64]


def send_sync(cfg: NotifyConfig, message: EmailMessage) -> None:
    if not cfg.email_enabled:
        raise EmailNotConfigured("smtp_host is not set")
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if cfg.smtp_security == "tls":
        smtp = smtplib.SMTP_SSL(cfg.smtp_host, cfg.smtp_port, timeout=cfg.smtp_timeout,
                                context=context)
    else:
        smtp = smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.smtp_timeout)
    with smtp:
        if cfg.smtp_security == "starttls":
            smtp.starttls(context=context)
        if cfg.smtp_username:
            smtp.login(cfg.smtp_username, cfg.smtp_password)
        smtp.send_message(message)


async def send(cfg: NotifyConfig, payload: dict[str, Any], dedupe_key: str) -> None:
    """Deliver in a worker thread; raises on any failure so the row is retried."""
    message = build_message(cfg, payload, dedupe_key)
    await asyncio.to_thread(send_sync, cfg, message)
