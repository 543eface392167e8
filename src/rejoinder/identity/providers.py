"""Sign-in providers: presets (GitHub, Google, Mastodon, WordPress.com) and generic OIDC.

Client ids and secrets come from Settings only; Mastodon apps are registered per instance on
first use (``POST /api/v1/apps``), since every instance is its own authorization server.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from rejoinder.errors import RejoinderError, invalid


@dataclass(frozen=True, slots=True)
class Profile:
    """What a provider told us about the reader, reduced to what a comment needs."""

    provider: str
    subject: str
    display_name: str
    email: str | None = None
    email_verified: bool = False
    website: str | None = None
    avatar_url: str | None = None


ProfileMapper = Callable[[str, Mapping[str, Any]], Profile]


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    label: str
    client_id: str
    client_secret: str
    authorize_url: str = ""
    token_url: str = ""
    userinfo_url: str = ""
    scope: str = ""
    issuer: str | None = None  # set: an OpenID Connect provider whose ID token is verified
    jwks_uri: str | None = None
    discovery: str | None = None  # fetch the endpoints from here before first use
    mapper: ProfileMapper = field(default=lambda name, data: oidc_profile(name, data))

    @property
    def discovered(self) -> bool:
        return bool(self.authorize_url and self.token_url)


def _text(value: Any, limit: int = 200) -> str | None:
    return str(value).strip()[:limit] or None if value not in (None, "") else None


def _web(value: Any) -> str | None:
    text = _text(value, 1000)
    return text if text and re.match(r"^https?://", text) else None


def oidc_profile(name: str, data: Mapping[str, Any]) -> Profile:
    subject = _text(data.get("sub"), 320)
    if not subject:
        raise ValueError("userinfo has no subject")
    display = (_text(data.get("name")) or _text(data.get("preferred_username"))
               or _text(data.get("nickname")) or "Reader")
    return Profile(
        provider=name, subject=subject, display_name=display,
        email=_text(data.get("email"), 320),
        email_verified=data.get("email_verified") is True,
        website=_web(data.get("website") or data.get("profile")),
        avatar_url=_web(data.get("picture")),
    )


def github_profile(name: str, data: Mapping[str, Any]) -> Profile:
    return Profile(
        provider=name, subject=str(data["id"]),
        display_name=_text(data.get("name")) or _text(data.get("login")) or "Reader",
        # /user gives the public address only, not whether it was verified
        email=_text(data.get("email"), 320), email_verified=False,
        website=_web(data.get("blog")) or _web(data.get("html_url")),
        avatar_url=_web(data.get("avatar_url")),
    )


def wordpress_profile(name: str, data: Mapping[str, Any]) -> Profile:
    return Profile(
        provider=name, subject=str(data["ID"]),
        display_name=_text(data.get("display_name")) or _text(data.get("username")) or "Reader",
        email=_text(data.get("email"), 320), email_verified=data.get("email_verified") is True,
        website=_web(data.get("profile_URL")), avatar_url=_web(data.get("avatar_URL")),
    )


def mastodon_profile(instance: str) -> ProfileMapper:
    def mapper(name: str, data: Mapping[str, Any]) -> Profile:
        return Profile(
            provider=name, subject=f"{data['id']}@{instance}",
            display_name=(_text(data.get("display_name")) or
                          f"@{_text(data.get('username')) or 'reader'}@{instance}"),
            website=_web(data.get("url")), avatar_url=_web(data.get("avatar_static")),
        )
    return mapper


def configured_providers(settings: Any) -> dict[str, Provider]:
    """The providers whose keys are set (Mastodon: whose instance list is set)."""
    out: dict[str, Provider] = {}
    if settings.github_client_id:
        out["github"] = Provider(
            "github", "GitHub", settings.github_client_id, settings.github_client_secret,
            authorize_url="https://github.com/login/oauth/authorize",
            token_url="https://github.com/login/oauth/access_token",
            userinfo_url="https://api.github.com/user", scope="read:user",
            mapper=github_profile,
        )
    if settings.google_client_id:
        out["google"] = Provider(
            "google", "Google", settings.google_client_id, settings.google_client_secret,
            scope="openid email profile", issuer="https://accounts.google.com",
            discovery="https://accounts.google.com/.well-known/openid-configuration",
        )
    if settings.wordpress_client_id:
        out["wordpress"] = Provider(
            "wordpress", "WordPress.com", settings.wordpress_client_id,
            settings.wordpress_client_secret,
            authorize_url="https://public-api.wordpress.com/oauth2/authorize",
            token_url="https://public-api.wordpress.com/oauth2/token",
            userinfo_url="https://public-api.wordpress.com/rest/v1.1/me", scope="auth",
            mapper=wordpress_profile,
        )
    if settings.oidc_issuer and settings.oidc_client_id:
        issuer = settings.oidc_issuer.rstrip("/")
        out["oidc"] = Provider(
            "oidc", settings.oidc_label or "OpenID Connect", settings.oidc_client_id,
            settings.oidc_client_secret, scope="openid email profile", issuer=issuer,
            discovery=f"{issuer}/.well-known/openid-configuration",
        )
    if settings.mastodon_instances:
        out["mastodon"] = Provider("mastodon", "Mastodon", "", "")
    return out


INSTANCE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def mastodon_instance(raw: str | None, allowed: str) -> str:
    """A bare host name the operator allows (``allowed``: comma list, or ``*`` for any)."""
    host = (raw or "").strip().lower().removeprefix("https://").strip("/").split("/")[0]
    host = host.split("@")[-1]
    if not INSTANCE.match(host):
        raise invalid("instance_invalid", "Give a Mastodon server such as mastodon.social.",
                      "instance")
    listed = {h.strip().lower() for h in allowed.split(",") if h.strip()}
    if "*" not in listed and host not in listed:
        raise RejoinderError(403, "instance_not_allowed",
                             "This site does not accept sign-in from that Mastodon server.")
    return host


def mastodon_provider(instance: str, client_id: str, client_secret: str) -> Provider:
    base = f"https://{instance}"
    return Provider(
        "mastodon", "Mastodon", client_id, client_secret,
        authorize_url=f"{base}/oauth/authorize", token_url=f"{base}/oauth/token",
        userinfo_url=f"{base}/api/v1/accounts/verify_credentials", scope="read:accounts",
        mapper=mastodon_profile(instance),
    )


async def register_mastodon_app(
    http: httpx.AsyncClient, instance: str, redirect_uri: str, website: str
) -> tuple[str, str]:
    response = await http.post(f"https://{instance}/api/v1/apps", data={
        "client_name": "Rejoinder comments", "redirect_uris": redirect_uri,
        "scopes": "read:accounts", "website": website,
    })
    response.raise_for_status()
    body = response.json()
    return str(body["client_id"]), str(body["client_secret"])


async def discover(http: httpx.AsyncClient, provider: Provider) -> Provider:
    """Fill the endpoints from ``.well-known/openid-configuration`` (the issuer must match)."""
    if provider.discovered or not provider.discovery:
        return provider
    response = await http.get(provider.discovery)
    response.raise_for_status()
    meta = response.json()
    if provider.issuer and meta.get("issuer", "").rstrip("/") != provider.issuer.rstrip("/"):
        raise ValueError("discovery document names another issuer")
    return replace(
        provider, authorize_url=meta["authorization_endpoint"], token_url=meta["token_endpoint"],
        userinfo_url=meta.get("userinfo_endpoint", ""), jwks_uri=meta.get("jwks_uri"),
        issuer=meta.get("issuer", provider.issuer),
    )
