"""Turns one run's raw results into the markdown tables of docs/performance.md."""

from __future__ import annotations

from typing import Any

STEAL_NOTE_PCT = 5.0  # a row measured while the hypervisor took this much CPU gets a note
START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"

LABELS = {
    "healthz_live": "`/healthz/live` (no database)",
    "counts_50": "counts for 50 pages",
    "post": "post a comment, 32 posters at once",
    "post_paced": "post a comment, paced",
}


def label(name: str, result: dict[str, Any] | None = None) -> str:
    if result is not None and result.get("rate"):
        return f"post a comment, {result['rate']:g}/s arriving"
    if name in LABELS:
        return LABELS[name]
    kind, size = name.split("_", 1)
    what = "default listing" if kind == "listing" else "full thread"
    return f"{what}, {int(size):,} comments"


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _rps(result: dict[str, Any]) -> str:
    bound = "≤ " if result.get("rps_is_upper_bound") else ""
    return bound + _fmt(result["rps"], 2 if result["rps"] < 1 else 1)


def _ratio(ours: dict[str, Any], theirs: dict[str, Any] | None) -> str:
    if not theirs:
        return "–"
    if ours.get("rate"):
        return "– (same arrival rate)"
    if theirs.get("rps_is_upper_bound") and theirs.get("rps"):
        return f"≥ {ours['rps'] / theirs['rps']:,.0f}×"
    if not theirs.get("rps"):
        return "∞ (Isso finished none)" if ours.get("rps") else "–"
    return f"{ours['rps'] / theirs['rps']:,.1f}×"


def comparison_table(backend: str, ours: dict[str, Any], isso: dict[str, Any] | None) -> str:
    lines = [
        f"#### Rejoinder on {backend} vs Isso",
        "",
        "| operation | Rejoinder req/s | p50 ms | p99 ms | Isso req/s | p50 ms | p99 ms "
        "| Rejoinder/Isso req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, result in ours["scenarios"].items():
        other = (isso or {}).get("scenarios", {}).get(name)
        lines.append(
            f"| {label(name, result)} | {_rps(result)} | {_fmt(result['p50_ms'], 2)} "
            f"| {_fmt(result['p99_ms'], 2)} | {_rps(other) if other else '–'} "
            f"| {_fmt(other['p50_ms'], 2) if other else '–'} "
            f"| {_fmt(other['p99_ms'], 2) if other else '–'} | {_ratio(result, other)} |"
        )
    lines.append("")
    notes = []
    for who, data in (("Rejoinder", ours), ("Isso", isso)):
        if not data:
            continue
        odd = {
            n: r for n, r in data["scenarios"].items()
            if r["unfinished"] or set(r["statuses"]) - {"200", "201"}
        }
        for n, r in data["scenarios"].items():
            if r.get("skipped"):
                notes.append(f"- {who}, {label(n)}: one request alone took {r['idle_ms']:,.0f} ms"
                             f", so 32 at once could not finish in the run; req/s shown is "
                             f"1/that time, an upper bound")
        for n, r in odd.items():
            notes.append(f"- {who}, {label(n)}: statuses {r['statuses']}, "
                         f"{r['unfinished']} connections still waiting when the run ended")
        stolen = {n: r["steal_pct"] for n, r in data["scenarios"].items()
                  if r.get("steal_pct", 0) >= STEAL_NOTE_PCT}
        for n, pct in stolen.items():
            notes.append(f"- {who}, {label(n)}: the hypervisor took {pct}% of the machine's CPU "
                         f"time while it ran (steal), so this row was measured on a slower "
                         f"machine than the others")
        notes.append(f"- {who} server memory: {data['rss_mb']} MB RSS at the end, "
                     f"peak {data['peak_rss_mb']} MB")
    lines += notes
    return "\n".join(lines) + "\n"


def targets(backend: str, ours: dict[str, Any], isso: dict[str, Any] | None) -> str:
    s = ours["scenarios"]
    rows: list[tuple[str, str, bool | None]] = []

    def add(goal: str, value: str, ok: bool | None) -> None:
        rows.append((goal, value, ok))

    theirs = (isso or {}).get("scenarios", {})
    if "listing_100" in s and theirs.get("listing_100", {}).get("rps"):
        ratio = s["listing_100"]["rps"] / theirs["listing_100"]["rps"]
        bound = "≥ " if theirs["listing_100"].get("rps_is_upper_bound") else ""
        add("100-comment listing ≥ 50× Isso's req/s", f"{bound}{ratio:,.1f}×", ratio >= 50)
    if "listing_1000" in s and s["listing_1000"]["p99_ms"] is not None:
        p99 = s["listing_1000"]["p99_ms"]
        add("1,000-comment thread, first page: p99 < 50 ms", f"{p99:,.1f} ms", p99 < 50)
    live = s.get("healthz_live", {}).get("rps")
    cached = max((r["rps"] for n, r in s.items() if n.startswith("listing_")), default=None)
    if live and cached is not None:
        share = cached / live
        add("cached listing ≥ ½ of `/healthz/live` req/s",
            f"{share:.0%} (best listing {cached:,.0f} vs {live:,.0f})", share >= 0.5)
    paced = s.get("post_paced", {})
    if paced.get("p99_ms") is not None:
        p99 = paced["p99_ms"]
        add(f"posting p99 < 100 ms, {paced['rate']:g} posts/s arriving", f"{p99:,.1f} ms",
            p99 < 100)
    if s.get("post", {}).get("p99_ms") is not None:
        busy = s["post"]
        add("(no target) posting with 32 posters at once",
            f"p99 {busy['p99_ms']:,.1f} ms at {busy['rps']:,.1f} posts/s", None)
    add("one worker < 400 MB RSS", f"peak {ours['peak_rss_mb']} MB", ours["peak_rss_mb"] < 400)
    lines = [f"#### Targets, Rejoinder on {backend}", "", "| target | measured | met |",
             "| --- | --- | --- |"]
    for goal, value, ok in rows:
        met = "–" if ok is None else "yes" if ok else "**no**"
        lines.append(f"| {goal} | {value} | {met} |")
    return "\n".join(lines) + "\n"


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    parts = [
        START,
        f"Run of {results['started']} — `{results['command']}`",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), Python {m['python']}, {m['platform']}. "
        f"Isso {results['isso_version']} served by {results['isso_server']}; Rejoinder by "
        f"uvicorn, one worker. Load: {results['concurrency']} keep-alive connections from one "
        f"Python process on the same machine, {results['duration']} s per operation. "
        f"Raw numbers: `{results['json_path']}`.",
        "",
    ]
    isso = results["targets"].get("isso")
    for backend in ("sqlite", "postgres"):
        ours = results["targets"].get(f"rejoinder-{backend}")
        if ours:
            parts.append(comparison_table(backend, ours, isso))
            parts.append(targets(backend, ours, isso))
    parts.append(END)
    return "\n".join(parts) + "\n"


def splice(document: str, generated: str) -> str:
    """Replace the generated block of ``document`` (or append one)."""
    if START in document and END in document:
        head, rest = document.split(START, 1)
        _old, tail = rest.split(END, 1)
        return head + generated.rstrip("\n") + tail
    return document.rstrip("\n") + "\n\n" + generated
