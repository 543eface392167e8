"""The Isso comparison runs end to end in its quick mode. Fails when something breaks (a server
does not start, an operation answers errors, the report cannot be written), never on timings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import compare_isso
from bench.report import END, START

pytestmark = pytest.mark.slow


def test_quick_comparison_runs_and_reports(tmp_path: Path) -> None:
    docs = tmp_path / "performance.md"
    docs.write_text("# Performance\n\nHand-written text stays.\n")
    results = compare_isso.main([
        "--quick", "--backend", "sqlite", "--duration", "1",
        "--results-dir", str(tmp_path / "results"), "--docs", str(docs),
    ])

    assert set(results["targets"]) == {"rejoinder-sqlite", "isso"}
    ours = results["targets"]["rejoinder-sqlite"]["scenarios"]
    theirs = results["targets"]["isso"]["scenarios"]
    assert set(ours) == {"healthz_live", "listing_10", "listing_100", "counts_50", "post",
                         "post_paced", "full_10", "full_100"}
    assert ours["post_paced"]["rate"] > 0
    assert set(theirs) == set(ours) - {"healthz_live"}
    for who, scenarios in (("rejoinder", ours), ("isso", theirs)):
        for name, result in scenarios.items():
            bad = {s: n for s, n in result["statuses"].items() if s not in ("200", "201")}
            assert not bad, f"{who} {name} answered {bad}"
            assert result["ok"] > 0 or result["unfinished"] or result.get("skipped"), (who, name)
    assert results["targets"]["rejoinder-sqlite"]["peak_rss_mb"] > 0

    saved = list((tmp_path / "results").glob("*-quick.json"))
    assert len(saved) == 1
    assert json.loads(saved[0].read_text())["isso_version"] == results["isso_version"]
    text = docs.read_text()
    assert "Hand-written text stays." in text
    assert START in text and END in text and "Rejoinder on sqlite vs Isso" in text


def test_the_machine_probe_times_the_encoder_both_ways() -> None:
    from bench.machine_probe import probe_encoder

    probe = probe_encoder(passes=3, pause=0.01)
    assert 0 < probe.back_to_back_ms < 1000 and 0 < probe.after_pause_ms < 1000
    assert probe.summary().startswith(f"encoder {probe.back_to_back_ms:.1f} ms a comment")


def test_random_pair_cosines_report_raw_and_centred() -> None:
    from bench.bench_encoder_layers import format_cosines, random_pair_cosines
    from rejoinder.analysis.encoder import SentenceEncoder

    stats = random_pair_cosines(SentenceEncoder(quantize=True, threads=1), comments=40,
                                pairs=200)
    assert list(stats) == ["raw", "centred"]
    assert all(p50 <= p99 <= top <= 1.0001 for p50, p99, top in stats.values())
    # bench comments share templates: raw vectors sit close together, centring spreads them
    assert stats["raw"][0] > stats["centred"][0]
    raw, centred = format_cosines(stats).split("; ")
    assert raw.startswith("raw p50 ") and centred.startswith("centred p50 ")
