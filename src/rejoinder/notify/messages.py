"""Compose email payloads (subject, text, HTML, headers) from the templates in one language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from rejoinder.notify import links
from rejoinder.notify.config import NotifyConfig
from rejoinder.notify.i18n import Catalog
from rejoinder.services.tokens import Signer

TEMPLATES = Path(__file__).with_name("templates")
_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


def render_page(name: str, **values: Any) -> str:
    return _env.get_template(name).render(**values)


def _both(template: str, lang: str, **values: Any) -> tuple[str, str]:
    t = Catalog(lang)
    return (
        _env.get_template(f"{template}.txt").render(t=t, lang=t.language, **values),
        _env.get_template(f"{template}.html").render(t=t, lang=t.language, **values),
    )


def email_payload(to: str, subject: str, text: str, html: str,
                  headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {"to": to, "subject": subject, "text": text, "html": html, "headers": headers or {}}


@dataclass(frozen=True, slots=True)
class Reply:
    recipient: str
    recipient_author_id: int
    site_id: int
    comment_id: int
    replier_name: str | None
    thread_title: str
    thread_url: str
    text: str
    html: str


def reply_email(cfg: NotifyConfig, signer: Signer, lang: str, reply: Reply) -> dict[str, Any]:
    t = Catalog(lang)
    token = links.sign(signer, links.UNSUBSCRIBE,
                       {"s": reply.site_id, "a": reply.recipient_author_id})
    unsubscribe = f"{cfg.public_url}/api/v1/notify/unsubscribe/{token}"
    name = reply.replier_name or t("anonymous")
    text, html = _both(
        "reply", lang, name=name, title=reply.thread_title, text=reply.text, html=reply.html,
        thread_url=f"{reply.thread_url}#rejoinder-{reply.comment_id}",
        unsubscribe_url=unsubscribe,
    )
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    subject = t("reply_subject", name=name, title=reply.thread_title)
    return email_payload(reply.recipient, subject, text, html, headers)


@dataclass(frozen=True, slots=True)
class Held:
    comment_id: int
    name: str | None
    title: str
    text: str
    html: str
    reasons: str


def moderation_links(cfg: NotifyConfig, signer: Signer, comment_id: int) -> tuple[str, str]:
    ttl = cfg.moderation_link_hours * 3600
    base = f"{cfg.public_url}/api/v1/notify/moderate/"
    return tuple(  # type: ignore[return-value]
        base + links.sign(signer, links.MODERATE, {"c": comment_id, "do": action}, ttl)
        for action in ("approve", "reject")
    )


def held_email(
    cfg: NotifyConfig, signer: Signer, lang: str, recipient: str, site_name: str,
    items: list[Held],
) -> dict[str, Any]:
    t = Catalog(lang)
    rendered = []
    for item in items:
        approve, reject = moderation_links(cfg, signer, item.comment_id)
        rendered.append({
            "name": item.name or t("anonymous"), "title": item.title, "text": item.text,
            "html": item.html, "reasons": item.reasons, "approve_url": approve,
            "reject_url": reject,
        })
    text, html = _both("held", lang, items=rendered, hours=cfg.moderation_link_hours)
    if len(items) == 1:
        subject = t("held_subject", site=site_name)
    else:
        subject = t("digest_subject", site=site_name, count=len(items))
    return email_payload(recipient, subject, text, html, {"Auto-Submitted": "auto-generated"})


def privacy_email(
    cfg: NotifyConfig, lang: str, recipient: str, site_name: str, kind: str, token: str,
    hours: int,
) -> dict[str, Any]:
    t = Catalog(lang)
    link = f"{cfg.public_url}/api/v1/privacy/{token}"
    intro = t(f"privacy_{kind}_intro", site=site_name)
    text, html = _both("privacy", lang, intro=intro, link=link, hours=hours)
    subject = t(f"privacy_{kind}_subject", site=site_name)
    return email_payload(recipient, subject, text, html, {"Auto-Submitted": "auto-generated"})
