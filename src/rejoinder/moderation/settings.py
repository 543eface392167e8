"""Per-site moderation settings: one frozen dataclass, defaults declared once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from rejoinder.domain.decision import Verdict
from rejoinder.domain.site import Site
from rejoinder.domain.states import ModerationMode


@dataclass(frozen=True, slots=True)
class RateRule:
    """At most ``limit`` events per ``window_seconds``; ``limit <= 0`` disables the rule."""

    limit: int
    window_seconds: float

    @property
    def enabled(self) -> bool:
        return self.limit > 0 and self.window_seconds > 0


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Score cut-offs for a scoring signal (classifier, Perspective): ``None`` never triggers."""

    hold: float | None = None
    reject: float | None = None

    def verdict(self, score: float) -> Verdict:
        if self.reject is not None and score >= self.reject:
            return Verdict.REJECT
        if self.hold is not None and score >= self.hold:
            return Verdict.HOLD
        return Verdict.PUBLISH


@dataclass(frozen=True, slots=True)
class ModerationSettings:
    mode: ModerationMode = ModerationMode.POST
    new_commenter_threshold: int = 2
    max_links: int = 2
    blocked_domains: tuple[str, ...] = ()
    banned_words: tuple[str, ...] = ()
    suspect_words: tuple[str, ...] = ()
    min_seconds_to_post: float = 3.0
    fast_post_verdict: Verdict = Verdict.HOLD
    duplicate_window_seconds: float = 86_400.0
    duplicate_min_chars: int = 20
    duplicate_scan_limit: int = 500
    duplicate_verdict: Verdict = Verdict.HOLD
    near_duplicate_threshold: float = 0.8
    duplicate_authors_threshold: int = 3
    post_per_ip: RateRule = RateRule(5, 60.0)
    post_per_author: RateRule = RateRule(5, 60.0)
    post_per_thread: RateRule = RateRule(60, 60.0)
    flag_per_ip: RateRule = RateRule(20, 600.0)
    flags_to_hide: int = 3
    score_thresholds: Mapping[str, Thresholds] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> ModerationSettings:
        """Build from a stored JSON-like dict (``Site.settings``); unknown keys are ignored."""
        if not data:
            return cls()
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known or value is None:
                continue
            kwargs[key] = _coerce(key, value)
        return cls(**kwargs)

    def to_mapping(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, RateRule):
                value = [value.limit, value.window_seconds]
            elif isinstance(value, tuple):
                value = list(value)
            elif f.name == "score_thresholds":
                value = {k: {"hold": t.hold, "reject": t.reject} for k, t in value.items()}
            elif isinstance(value, ModerationMode | Verdict):
                value = value.value
            out[f.name] = value
        return out


def _coerce(key: str, value: Any) -> Any:
    if key == "mode":
        return ModerationMode(value)
    if key in {"fast_post_verdict", "duplicate_verdict"}:
        return Verdict(value)
    if key in {"blocked_domains", "banned_words", "suspect_words"}:
        if isinstance(value, str):
            value = value.splitlines()
        return tuple(str(v).strip() for v in value if str(v).strip())
    if key.startswith(("post_per_", "flag_per_")):
        if isinstance(value, Mapping):
            return RateRule(int(value["limit"]), float(value["window_seconds"]))
        limit, window = value
        return RateRule(int(limit), float(window))
    if key == "score_thresholds":
        return {
            str(name): Thresholds(hold=spec.get("hold"), reject=spec.get("reject"))
            for name, spec in value.items()
        }
    if key in {"new_commenter_threshold", "max_links", "duplicate_min_chars",
               "duplicate_scan_limit", "duplicate_authors_threshold", "flags_to_hide"}:
        return int(value)
    return float(value)


def site_settings(site: Site) -> ModerationSettings:
    """``Site.settings["moderation"]`` when present, else the top level; unknown keys ignored."""
    raw = site.settings.get("moderation", site.settings)
    return ModerationSettings.from_mapping(raw if isinstance(raw, Mapping) else None)
