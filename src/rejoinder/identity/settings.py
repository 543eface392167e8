"""Per-site identity settings, kept under the ``identity`` key of a site's settings JSON.

```json
{"identity": {"methods": ["guest", "email", "github"], "guest_name": "required",
              "guest_email": "optional", "require_signin": false}}
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rejoinder.errors import invalid

METHODS = ("guest", "email", "github", "google", "mastodon", "wordpress", "oidc")
REQUIREMENTS = ("optional", "required")
KEYS = {"methods", "guest_name", "guest_email", "require_signin"}


@dataclass(frozen=True, slots=True)
class IdentitySettings:
    methods: tuple[str, ...] = ("guest",)
    guest_name: str = "optional"
    guest_email: str = "optional"
    require_signin: bool = False

    @property
    def guests_allowed(self) -> bool:
        return "guest" in self.methods and not self.require_signin

    @property
    def providers(self) -> tuple[str, ...]:
        return tuple(m for m in self.methods if m not in ("guest", "email"))

    def allows(self, method: str) -> bool:
        return method in self.methods

    def public(self, configured: set[str]) -> dict[str, Any]:
        """What the widget may know: the methods usable now (a provider needs its keys)."""
        usable = [m for m in self.methods if m in ("guest", "email") or m in configured]
        return {
            "methods": usable,
            "guest_name": self.guest_name,
            "guest_email": self.guest_email,
            "require_signin": not self.guests_allowed,
        }


def check_identity_settings(raw: Any) -> dict[str, Any]:
    """Validate the ``identity`` object; raises 422 ``invalid_site_setting`` naming the problem."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise _bad("identity must be an object")
    unknown = set(raw) - KEYS
    if unknown:
        raise _bad(f"unknown identity setting(s): {', '.join(sorted(unknown))}")
    methods = raw.get("methods", ["guest"])
    if not isinstance(methods, list | tuple) or not all(isinstance(m, str) for m in methods):
        raise _bad("identity.methods must be a list of names")
    wrong = [m for m in methods if m not in METHODS]
    if wrong:
        raise _bad(f"identity.methods: unknown method(s) {', '.join(wrong)}; "
                   f"choose from {', '.join(METHODS)}")
    if not methods:
        raise _bad("identity.methods must name at least one method")
    for key in ("guest_name", "guest_email"):
        if raw.get(key, "optional") not in REQUIREMENTS:
            raise _bad(f"identity.{key} must be optional or required")
    if not isinstance(raw.get("require_signin", False), bool):
        raise _bad("identity.require_signin must be true or false")
    if raw.get("require_signin") and not [m for m in methods if m != "guest"]:
        raise _bad("identity.require_signin needs a sign-in method besides guest")
    return dict(raw)


def identity_settings(site_settings: Mapping[str, Any] | None) -> IdentitySettings:
    raw = check_identity_settings((site_settings or {}).get("identity"))
    if not raw:
        return IdentitySettings()
    return IdentitySettings(
        methods=tuple(dict.fromkeys(raw.get("methods", ["guest"]))),
        guest_name=raw.get("guest_name", "optional"),
        guest_email=raw.get("guest_email", "optional"),
        require_signin=bool(raw.get("require_signin", False)),
    )


def _bad(message: str) -> Exception:
    return invalid("invalid_site_setting", f"A site setting has an invalid value: {message}",
                   "identity")
