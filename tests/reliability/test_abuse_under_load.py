"""A posting flood from one client against a real server while another client keeps reading.

The scenario is ``bench/bench_abuse.py`` at a smaller size (1,000 posts instead of 5,000). The
site keeps its default rate limits. The test fails on correctness only: the flood must be
throttled with 429 + Retry-After, every acknowledged post stored exactly once, nothing stored
that was not acknowledged, and the reader must never see an error. Latencies are reported, never
asserted (the bench records them in docs/performance.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_abuse import DEFAULTS, AbuseRun, run_abuse

pytestmark = pytest.mark.slow

POSTS = 1_000


def check(run: AbuseRun) -> None:
    summary = run.summary()
    print(summary)  # shown with -s or on failure: the reader's p50/p99 under the flood
    statuses = run.flood_statuses
    assert sum(statuses.values()) == POSTS, summary  # the flood ran to the end, bounded in time
    assert set(statuses) <= {"201", "429"}, summary
    assert statuses["201"] >= 1, summary  # the limit throttles; it does not refuse everything
    assert statuses["201"] <= run.allowed_at_most, summary
    assert statuses["201"] <= DEFAULTS.post_per_ip.limit + 1, summary  # the flood lasts < 24 s
    assert statuses["429"] >= POSTS - run.allowed_at_most, summary
    assert run.missing_retry_after == 0, summary
    assert len(run.acknowledged) == statuses["201"], summary
    assert run.lost == [] and run.duplicated == [] and run.unacknowledged == [], summary
    assert run.reader_statuses and set(run.reader_statuses) == {"200"}, summary
    assert len(run.reader_latencies) >= 50, summary  # it really read during the flood


def test_flood_is_throttled_and_reader_unharmed_sqlite(tmp_path: Path) -> None:
    check(run_abuse("sqlite", tmp_path, posts=POSTS, max_seconds=20.0))


@pytest.mark.postgres
def test_flood_is_throttled_and_reader_unharmed_postgres(tmp_path: Path) -> None:
    check(run_abuse("postgres", tmp_path, posts=POSTS, max_seconds=20.0))
