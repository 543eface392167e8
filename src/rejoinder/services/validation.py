"""Field rules for what readers submit; every failure names its field and has its own code."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from rejoinder.errors import invalid
from rejoinder.settings import Settings

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WEBSITE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
HOSTNAME = re.compile(r"^(localhost|[a-z0-9-]+(\.[a-z0-9-]+)+)$", re.IGNORECASE)
HOST_PORT = re.compile(r"^[a-z0-9.-]+:\d{1,5}$", re.IGNORECASE)
# Explicit direction overrides and isolates let a name display reversed ("txet" for "text"):
# never useful in a name, so they are removed there (comment text keeps them for RTL quotes).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Limits:
    text: int
    name: int
    email: int
    website: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            text=settings.max_text_length, name=settings.max_name_length,
            email=settings.max_email_length, website=settings.max_website_length,
        )


def clean_text(text: str, limits: Limits) -> str:
    text = CONTROL.sub("", unicodedata.normalize("NFC", text)).replace("\r\n", "\n").strip()
    if not text:
        raise invalid("text_empty", "The comment is empty.", "text")
    if len(text) > limits.text:
        raise invalid(
            "text_too_long",
            f"The comment is {len(text)} characters long; the limit is {limits.text}.",
            "text",
        )
    return text


def clean_optional(value: str | None, limit: int, field: str) -> str | None:
    if value is None:
        return None
    value = CONTROL.sub("", unicodedata.normalize("NFC", value))
    if field in ("name", "website"):
        value = BIDI_CONTROLS.sub("", value)
    value = value.strip()
    if not value:
        return None
    if len(value) > limit:
        raise invalid(f"{field}_too_long", f"The {field} may be at most {limit} characters.", field)
    return value


def clean_email(value: str | None, limits: Limits) -> str | None:
    email = clean_optional(value, limits.email, "email")
    if email is not None and not EMAIL.match(email):
        raise invalid("email_invalid", "That does not look like an email address.", "email")
    return email


def clean_website(value: str | None, limits: Limits) -> str | None:
    website = clean_optional(value, limits.website, "website")
    if website is None:
        return None
    scheme = urlsplit(website).scheme.lower()
    if scheme and scheme not in ("http", "https") and "//" in website:
        raise invalid("website_invalid", "The website must be an http(s) address.", "website")
    if not website.lower().startswith(("http://", "https://")):
        if ":" in website.split("/", 1)[0] and not HOST_PORT.match(website.split("/", 1)[0]):
            raise invalid("website_invalid", "The website must be an http(s) address.", "website")
        website = "https://" + website
    host = urlsplit(website).hostname or ""
    if not WEBSITE.match(website) or not HOSTNAME.match(host):
        raise invalid("website_invalid", "The website must be an http(s) address.", "website")
    return website
