"""Widget size and time to first complete render for a 100-comment thread on loopback.

Run: .venv/bin/python bench/bench_widget.py [--runs 10]
Prints gzip -9 sizes of embed.js (CSS built in), count.js and each catalogue, and the time from
the moment embed.js finished downloading to the widget's ``rejoinder:ready`` performance mark.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from rejoinder.web import widget_files  # noqa: E402
from tests.browser.conftest import ARGS, CHROMIUM  # noqa: E402
from tests.browser.server import start_server  # noqa: E402

MEASURE = """() => {
    const script = performance.getEntriesByType('resource').find(e => e.name.endsWith('/embed.js'));
    const ready = performance.getEntriesByName('rejoinder:ready')[0];
    const root = document.querySelector('#rejoinder').shadowRoot;
    return {after_script_ms: ready.startTime - script.responseEnd,
            since_navigation_ms: ready.startTime,
            comments: root.querySelectorAll('.c').length};
}"""


def sizes() -> dict[str, int]:
    out = {"embed.js+css": len(gzip.compress(widget_files.build_embed(), 9))}
    for path in sorted(widget_files.WIDGET_DIR.iterdir()):
        if path.name != "embed.js" and path.suffix in {".js", ".json"}:
            out[path.name] = len(gzip.compress(path.read_bytes(), 9))
    return out


def timings(runs: int) -> dict[str, float]:
    live = start_server(Path(tempfile.mkdtemp(prefix="rejoinder-bench-")))
    try:
        live.seed("/t/bench", 10, replies=9)  # 100 comments, all on the first page
        samples, total = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for _ in range(runs + 1):  # the first run warms the server's caches
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(live.page("bench"))
                page.wait_for_function("performance.getEntriesByName('rejoinder:ready').length")
                result = page.evaluate(MEASURE)
                assert result["comments"] == 100, result
                samples.append(result["after_script_ms"])
                total.append(result["since_navigation_ms"])
                context.close()
            browser.close()
        samples, total = samples[1:], total[1:]
        return {
            "runs": runs,
            "median_ms_after_script": round(statistics.median(samples), 1),
            "max_ms_after_script": round(max(samples), 1),
            "median_ms_since_navigation": round(statistics.median(total), 1),
        }
    finally:
        live.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    print(json.dumps({"gzip_bytes": sizes(), "ready_100_comments": timings(args.runs)}, indent=2))


if __name__ == "__main__":
    main()
