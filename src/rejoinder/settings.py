"""Every setting, declared once: name, default, type and help.

Values come from a TOML file and ``REJOINDER_<NAME>`` environment variables; the environment wins.
``docs/settings.md`` is checked against this table by the test suite.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rejoinder.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    kind: type
    help: str

    @property
    def env(self) -> str:
        return "REJOINDER_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", "sqlite:///rejoinder.sqlite3", str,
            "SQLAlchemy URL: sqlite:///path/to/file.sqlite3 or postgresql://user@host/db."),
    Setting("secret_key", "", str,
            "Secret for edit tokens, sessions and identicon hashes. Required; `rejoinder init` "
            "generates one."),
    Setting("host", "127.0.0.1", str, "Address `rejoinder serve` listens on."),
    Setting("port", 8080, int, "Port `rejoinder serve` listens on."),
    Setting("workers", 1, int, "Worker processes for `rejoinder serve` (use PostgreSQL above 1)."),
    Setting("public_url", "", str,
            "Address readers reach the server at, e.g. https://comments.example.org; used in "
            "links the server writes. Empty: derived from each request."),
    Setting("trust_proxy_headers", False, bool,
            "Take the client address from X-Forwarded-For (only behind your own proxy)."),
    Setting("redis_url", "", str,
            "redis://host:6379/0 to share rate limits and live updates between processes. "
            "Empty: in-process."),
    Setting("edit_window_seconds", 900, int,
            "How long an author may edit or delete their comment after posting."),
    Setting("max_text_length", 10000, int, "Longest comment body, in characters."),
    Setting("max_name_length", 80, int, "Longest author name."),
    Setting("max_email_length", 254, int, "Longest email address."),
    Setting("max_website_length", 500, int, "Longest author website address."),
    Setting("max_depth", 6, int,
            "Deepest reply level stored as nested; deeper replies attach to the deepest allowed "
            "ancestor and keep a reference to the comment they answer."),
    Setting("page_size", 20, int, "Top-level comments per page when a request gives no limit."),
    Setting("max_page_size", 100, int, "Largest page a request may ask for."),
    Setting("reply_page_size", 10, int, "Replies shown under each top-level comment by default."),
    Setting("data_dir", "", str,
            "Folder for per-site classifier heads refit from moderators' decisions "
            "(`rejoinder models adapt`). Empty: only the shipped heads are used."),
    Setting("classifiers", True, bool,
            "Score comments with the on-server classifiers (toxicity, threats, identity attacks, "
            "profanity, spam). Nothing leaves the server."),
    Setting("classifier_precision", "int8", str,
            "Arithmetic of the sentence encoder behind the classifiers: `int8` (about twice as "
            "fast, 20 MB smaller, same accuracy on the project's evaluation) or `float32` "
            "(bit-for-bit the published model)."),
    Setting("listing_cache_seconds", 1, int,
            "How long a process may serve a thread listing without asking the database whether "
            "another process changed it (its own writes show at once). 0: ask every time."),
    Setting("akismet_api_key", "", str,
            "Akismet API key. Empty (the default): Akismet is off and no comment leaves the "
            "server. Set: every comment's text is sent to Akismet."),
    Setting("akismet_blog", "", str,
            "The front-page URL registered with Akismet (default: public_url)."),
    Setting("akismet_url", "https://rest.akismet.com", str, "Akismet API base URL."),
    Setting("perspective_api_key", "", str,
            "Perspective API key. Empty (the default): Perspective is off. Set: every "
            "comment's text is sent to Google's Perspective API."),
    Setting("perspective_url", "https://commentanalyzer.googleapis.com", str,
            "Perspective API base URL."),
    Setting("perspective_hold_at", "0.8", str, "Hold comments whose TOXICITY is at least this."),
    Setting("external_timeout", 3, int, "Seconds to wait for Akismet or Perspective."),
    Setting("external_fail_closed", False, bool,
            "When Akismet or Perspective fails or times out: hold the comment (true) or "
            "ignore the check (false, the default)."),
    Setting("allow_images", False, bool, "Render Markdown images in comments."),
    Setting("cors_max_age", 600, int, "Seconds browsers may cache a CORS preflight answer."),
    Setting("log_level", "info", str, "debug, info, warning or error."),
    Setting("loop_stall_warning_ms", 500, int,
            "Log a warning, with every thread's stack, when a server process's event loop is "
            "blocked this long (every request waits meanwhile). 0: off."),
    Setting("smtp_host", "", str, "SMTP server for notification emails. Empty: email is off."),
    Setting("smtp_port", 587, int, "SMTP port: 587 STARTTLS, 465 implicit TLS, 25 plain."),
    Setting("smtp_security", "starttls", str, "starttls, tls (implicit) or none."),
    Setting("smtp_username", "", str, "SMTP login name, if the server needs one."),
    Setting("smtp_password", "", str, "SMTP password."),
    Setting("smtp_from", "Rejoinder <comments@localhost>", str,
            "Sender address of notification emails."),
    Setting("smtp_timeout", 10, int, "Seconds per SMTP connection."),
    Setting("notify_moderators", "", str,
            "Comma-separated addresses told about held comments (all sites)."),
    Setting("moderator_digest_minutes", 0, int,
            "0: one email per held comment; N: a digest every N minutes."),
    Setting("moderation_link_hours", 72, int, "How long approve/reject links in emails work."),
    Setting("notify_max_attempts", 8, int, "Delivery attempts before an outbox row is given up."),
    Setting("notify_poll_seconds", 1, int,
            "How often the notification worker checks the outbox (when nothing is due, one "
            "indexed read)."),
    Setting("notify_worker", True, bool,
            "Deliver emails and webhooks from this process. Turn off in processes that should "
            "only serve requests (any process may deliver; rows are claimed safely)."),
    Setting("webhook_timeout", 10, int, "Seconds to wait for a webhook receiver."),
    Setting("signin_token_days", 30, int,
            "How long a reader stays signed in (days) before signing in again."),
    Setting("signin_link_minutes", 15, int, "How long an emailed sign-in link works."),
    Setting("signin_link_per_address", 3, int,
            "Sign-in emails per address per 15 minutes (and 10 times that per IP address)."),
    Setting("avatar_max_bytes", 262144, int,
            "Largest provider avatar the server fetches and serves in readers' place."),
    Setting("github_client_id", "", str,
            "GitHub OAuth app client id (sign in with GitHub). Empty: GitHub is off."),
    Setting("github_client_secret", "", str, "GitHub OAuth app client secret."),
    Setting("google_client_id", "", str,
            "Google OAuth client id (sign in with Google, OpenID Connect). Empty: off."),
    Setting("google_client_secret", "", str, "Google OAuth client secret."),
    Setting("wordpress_client_id", "", str,
            "WordPress.com app client id (sign in with WordPress.com). Empty: off."),
    Setting("wordpress_client_secret", "", str, "WordPress.com app client secret."),
    Setting("oidc_issuer", "", str,
            "Issuer URL of any OpenID Connect provider (its /.well-known/openid-configuration "
            "is read). Empty: generic OpenID Connect is off."),
    Setting("oidc_client_id", "", str, "Client id registered with the OpenID Connect issuer."),
    Setting("oidc_client_secret", "", str, "Client secret for the OpenID Connect issuer."),
    Setting("oidc_label", "", str, "Button label for the OpenID Connect provider."),
    Setting("mastodon_instances", "", str,
            "Comma-separated Mastodon servers readers may sign in with, or * for any. The "
            "server registers itself with each instance on first use. Empty: Mastodon is off."),
)

OBSOLETE_SETTINGS: dict[str, str] = {}

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Settings:
    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            setting = _BY_NAME[name]
        except KeyError:
            raise AttributeError(name) from None
        return self.values.get(name, setting.default)

    def replace(self, **changes: Any) -> Settings:
        for key in changes:
            if key not in _BY_NAME:
                raise ConfigError(f"unknown setting {key!r}")
        return Settings({**self.values, **changes})


def coerce(setting: Setting, raw: Any, source: str) -> Any:
    if setting.kind is bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in {"1", "true", "yes", "on"}:
            return True
        if isinstance(raw, str) and raw.strip().lower() in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"{source}: {setting.name} must be true or false, got {raw!r}")
    if setting.kind is int:
        if isinstance(raw, bool):
            raise ConfigError(f"{source}: {setting.name} must be a whole number, got {raw!r}")
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ConfigError(
                f"{source}: {setting.name} must be a whole number, got {raw!r}"
            ) from None
    if not isinstance(raw, str):
        raise ConfigError(f"{source}: {setting.name} must be text, got {raw!r}")
    return raw


def load_settings(
    config_path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = config_path or env.get("REJOINDER_CONFIG")
    if path:
        values.update(_read_file(Path(path)))
    for setting in SETTINGS:
        if setting.env in env:
            values[setting.name] = coerce(setting, env[setting.env], setting.env)
    for name, value in overrides.items():
        if value is None:
            continue
        if name not in _BY_NAME:
            raise ConfigError(f"unknown setting {name!r}")
        values[name] = coerce(_BY_NAME[name], value, "command line")
    return Settings(values)


def _read_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist (create one with `rejoinder init`)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    for name, raw in data.items():
        if name in OBSOLETE_SETTINGS:
            raise ConfigError(f"{path}: {name} is no longer supported: {OBSOLETE_SETTINGS[name]}")
        setting = _BY_NAME.get(name)
        if setting is None:
            raise ConfigError(f"{path}: unknown setting {name!r}")
        values[name] = coerce(setting, raw, str(path))
    return values
