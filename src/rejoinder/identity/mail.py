"""The sign-in email: plain text and a short HTML part, as an outbox email payload."""

from __future__ import annotations

import html
from typing import Any


def link_email(site_name: str, to: str, url: str, minutes: int) -> dict[str, Any]:
    text = (
        f"Someone (hopefully you) asked to sign in to comment on {site_name}.\n\n"
        f"Open this link within {minutes} minutes to sign in:\n{url}\n\n"
        "It works once. If you did not ask for it, ignore this email: nothing happens.\n"
    )
    body = (
        f"<p>Someone (hopefully you) asked to sign in to comment on "
        f"{html.escape(site_name)}.</p>"
        f'<p><a href="{html.escape(url)}">Sign in</a> (within {minutes} minutes; '
        "the link works once).</p><p>If you did not ask for it, ignore this email.</p>"
    )
    return {"to": to, "subject": f"Sign in to comment on {site_name}", "text": text,
            "html": body, "headers": {"Auto-Submitted": "auto-generated"}}
