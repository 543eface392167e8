"""The notification settings, read from any mapping of setting names to values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from rejoinder.errors import ConfigError

Security = Literal["none", "starttls", "tls"]


@dataclass(frozen=True, slots=True)
class NotifyConfig:
    public_url: str = "http://localhost:8080"
    smtp_host: str = ""  # empty: email is off (rows stay queued until it is configured)
    smtp_port: int = 587
    smtp_security: Security = "starttls"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_from: str = "Rejoinder <comments@localhost>"
    smtp_timeout: float = 10.0
    notify_moderators: str = ""  # comma-separated addresses told about held comments
    moderator_digest_minutes: int = 0  # 0: one email per held comment
    moderation_link_hours: int = 72
    notify_max_attempts: int = 8
    notify_poll_seconds: float = 1.0
    webhook_timeout: float = 10.0

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> NotifyConfig:
        """Take the fields this class knows from ``values`` (a Settings mapping, a dict…)."""
        known = {f.name: f for f in fields(cls)}
        picked: dict[str, Any] = {}
        for name, field in known.items():
            if name in values and values[name] is not None and values[name] != "":
                kind = type(field.default)
                try:
                    picked[name] = kind(values[name]) if kind in (int, float) else values[name]
                except (TypeError, ValueError):
                    raise ConfigError(f"{name} must be a number, got {values[name]!r}") from None
        if picked.get("smtp_security", "starttls") not in ("none", "starttls", "tls"):
            raise ConfigError("smtp_security must be none, starttls or tls")
        if "public_url" in picked:
            picked["public_url"] = str(picked["public_url"]).rstrip("/")
        return cls(**picked)

    @classmethod
    def from_settings(cls, settings: Any) -> NotifyConfig:
        """Read from a ``rejoinder.settings.Settings`` without requiring every name to exist."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            try:
                values[f.name] = getattr(settings, f.name)
            except AttributeError:
                continue
        return cls.from_mapping(values)

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host)

    @property
    def moderators(self) -> list[str]:
        return [a.strip() for a in self.notify_moderators.split(",") if a.strip()]
