from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from rejoinder.domain.decision import Verdict
from rejoinder.domain.site import Site
from rejoinder.domain.states import ModerationMode
from rejoinder.moderation.settings import ModerationSettings, RateRule, Thresholds, site_settings


def test_defaults() -> None:
    s = ModerationSettings()
    assert s.mode is ModerationMode.POST
    assert s.max_links == 2
    assert s.post_per_ip == RateRule(5, 60.0)


def test_from_mapping_coerces_and_ignores_unknown_keys() -> None:
    s = ModerationSettings.from_mapping({
        "mode": "pre_new",
        "max_links": "4",
        "banned_words": "one\ntwo\n\n",
        "blocked_domains": ["spam.example"],
        "post_per_ip": [3, 30],
        "flag_per_ip": {"limit": 2, "window_seconds": 10},
        "fast_post_verdict": "reject",
        "score_thresholds": {"toxic": {"hold": 0.5, "reject": 0.9}},
        "something_else": True,
    })
    assert s.mode is ModerationMode.PRE_NEW
    assert s.max_links == 4
    assert s.banned_words == ("one", "two")
    assert s.post_per_ip == RateRule(3, 30.0)
    assert s.flag_per_ip == RateRule(2, 10.0)
    assert s.fast_post_verdict is Verdict.REJECT
    assert s.score_thresholds["toxic"] == Thresholds(0.5, 0.9)


def test_round_trip() -> None:
    s = ModerationSettings(mode=ModerationMode.PRE, suspect_words=("x",),
                           score_thresholds={"spam": Thresholds(hold=0.7)})
    assert ModerationSettings.from_mapping(s.to_mapping()) == s


def test_site_settings_reads_the_moderation_section() -> None:
    site = Site(1, "blog", "Blog", [], {"moderation": {"mode": "pre"}, "title": "x"})
    assert site_settings(site).mode is ModerationMode.PRE
    flat = Site(1, "blog", "Blog", [], {"max_links": 0})
    assert site_settings(flat).max_links == 0


def test_thresholds() -> None:
    t = Thresholds(hold=0.5, reject=0.9)
    verdicts = [t.verdict(x) for x in (0.1, 0.5, 0.95)]
    assert verdicts == [Verdict.PUBLISH, Verdict.HOLD, Verdict.REJECT]


def test_every_setting_is_documented() -> None:
    doc = Path(__file__).parents[2] / "docs" / "moderation.md"
    text = doc.read_text()
    missing = [f.name for f in fields(ModerationSettings) if f"| `{f.name}` |" not in text]
    assert missing == []
