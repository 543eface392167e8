"""Classifier latency, throughput, load time and memory.

Run: .venv/bin/python bench/bench_classifiers.py [--repeats N] [--backend onnx|numpy]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import numpy as np

from rejoinder.analysis.classifier import CommentClassifier
from rejoinder.analysis.encoder import SentenceEncoder

COMMENT_60_WORDS = (
    "The council voted five to two to close the library branch on Elm Street next spring, and "
    "I think that is a mistake. Older residents rely on it for books, internet access and "
    "company, and the savings are tiny compared with the road budget. Has anyone seen the "
    "actual figures, or the petition that three thousand people signed last month?"
)


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--backend", choices=["onnx", "numpy"], default="onnx")
    args = parser.parse_args()
    print(f"words in comment: {len(COMMENT_60_WORDS.split())}; rss before load: {rss_mb():.0f} MB")
    started = time.perf_counter()
    classifier = CommentClassifier(encoder=SentenceEncoder(backend=args.backend))
    classifier.load()
    print(f"model load: {time.perf_counter() - started:.2f} s; rss loaded: {rss_mb():.0f} MB")
    for _ in range(10):
        classifier.score(COMMENT_60_WORDS)
    for label, fn in (("embedding only", lambda: classifier.embed([COMMENT_60_WORDS])),
                      ("full scoring", lambda: classifier.score(COMMENT_60_WORDS))):
        times = []
        for _ in range(args.repeats):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        print(f"batch 1, {label}: p50 {statistics.median(times):.1f} ms, "
              f"p99 {percentile(times, 99):.1f} ms, {1000 / statistics.mean(times):.0f}/s")
    batch = [COMMENT_60_WORDS.replace("five", str(i)) for i in range(32)]
    times = []
    for _ in range(max(5, args.repeats // 10)):
        t = time.perf_counter()
        classifier.score_batch(batch)
        times.append((time.perf_counter() - t) * 1000)
    per = statistics.median(times) / len(batch)
    print(f"batch 32, full scoring: p50 {statistics.median(times):.1f} ms per batch "
          f"({per:.1f} ms per comment), {1000 / per:.0f} comments/s")
    print(f"rss after scoring: {rss_mb():.0f} MB")
    long_batch = [COMMENT_60_WORDS * 5 + str(i) for i in range(32)]  # truncated at 256 tokens
    t = time.perf_counter()
    classifier.score_batch(long_batch)
    print(f"batch of 32 x 256-token comments: {(time.perf_counter() - t) * 1000:.0f} ms; "
          f"rss after: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
