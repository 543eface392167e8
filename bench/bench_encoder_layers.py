"""What a shorter encoder would cost and save: MiniLM cut to its first N layers.

For each layer count, the heads are refitted on the shipped corpus exactly as
``rejoinder.analysis.training`` fits the shipped ones (float32 vectors), evaluated in int8 on
the held-out topics, and the forward pass of a 106-token comment is timed; a few reworded and
unrelated pairs show what happens to the cosine similarities the rewording check relies on,
and so do random pairs of distinct bench comments (which the check must leave alone), as the
encoder gives them and centred (the mean of other bench comments subtracted first).

    .venv/bin/python bench/bench_encoder_layers.py [--layers 6,4,3]

Nothing is written to the package: heads, thresholds and the embedding cache go to temporary
directories. The layer count is not a setting of the product; this script swaps it in.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.dataset import post_text  # noqa: E402

PAIRS = [  # (comment, the same point reworded, an unrelated comment)
    ("The ceasefire talks failed because neither side trusted the guarantees.",
     "Ceasefire talks collapsed since neither side trusted the guarantees.",
     "The striker missed two penalties in the cup final."),
    ("Raising parking fees will not fix the potholes, the contractor is the real problem.",
     "Higher parking charges won't repair the roads; blame the contractor.",
     "The council approved a new library opening hours schedule."),
    ("Buy cheap watches now at our online store, free shipping worldwide!",
     "Get discounted watches today from our web shop, shipping is free everywhere!",
     "I think the referee made the right call in the second half."),
    ("This author clearly never read the report he is criticising.",
     "It is obvious the writer has not read the report he attacks.",
     "My grandmother grew tomatoes on this balcony for forty years."),
]


def use_layers(count: int) -> None:
    """Make every encoder built from now on stop after ``count`` layers."""
    from rejoinder.analysis import onnx_encoder

    build = onnx_encoder.build_session

    def shorter(w: Any, heads: int, layers: int, quantize: bool = False,
                threads: int = 0) -> Any:
        return build(w, heads, min(count, layers), quantize=quantize, threads=threads)

    onnx_encoder.build_session = shorter  # type: ignore[assignment]


def forward_ms(encoder: Any, tokens: int = 106, runs: int = 100) -> float:
    ids, mask = encoder._pad([[101, *range(2000, 2000 + tokens - 2), 102]])
    for _ in range(10):
        encoder._forward(ids, mask)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        encoder._forward(ids, mask)
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def random_pair_cosines(encoder: Any, comments: int = 400,
                        pairs: int = 3000) -> dict[str, tuple[float, float, float]]:
    """(p50, p99, max) cosine of random pairs of distinct bench comments, ``raw`` and
    ``centred`` on the mean of a separate half of them."""
    vectors = encoder.encode([post_text(700_000 + i) for i in range(comments)])
    half = comments // 2
    centred = vectors - vectors[:half].mean(axis=0)
    centred /= np.linalg.norm(centred, axis=1, keepdims=True)
    rng = np.random.default_rng(1)
    a, b = rng.integers(half, comments, size=(2, pairs))
    a, b = a[a != b], b[a != b]
    out = {}
    for label, v in (("raw", vectors), ("centred", centred)):
        cos = np.einsum("ij,ij->i", v[a], v[b])
        out[label] = (float(np.percentile(cos, 50)), float(np.percentile(cos, 99)),
                      float(cos.max()))
    return out


def format_cosines(stats: dict[str, tuple[float, float, float]]) -> str:
    return "; ".join(f"{label} p50 {p50:.2f}, p99 {p99:.2f}, max {top:.2f}"
                     for label, (p50, p99, top) in stats.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", default="6,4,3")
    args = parser.parse_args()
    for count in [int(n) for n in args.layers.split(",")]:
        # a child process per layer count: the encoder and the embedding cache are per process
        if os.fork() == 0:
            run(count)
            os._exit(0)
        os.wait()


def run(count: int) -> None:
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix=f"rejoinder-layers-{count}-")
    use_layers(count)
    from rejoinder.analysis import training
    from rejoinder.analysis.classifier import ARTIFACTS_DIR
    from rejoinder.analysis.encoder import SentenceEncoder

    artifacts = Path(tempfile.mkdtemp(prefix="rejoinder-heads-"))
    shutil.copy(ARTIFACTS_DIR / "profanity.npz", artifacts / "profanity.npz")
    training.train(artifacts)
    report = training.evaluate(artifacts, precision="int8")
    encoder = SentenceEncoder(quantize=True, threads=1)
    cosines = []
    for comment, reworded, unrelated in PAIRS:
        a, b, c = encoder.encode([comment, reworded, unrelated])
        cosines.append(f"{float(a @ b):.2f} / {float(a @ c):.2f}")
    print(f"\n## {count} layers: {forward_ms(encoder):.1f} ms for a 106-token comment (int8, "
          "one thread)\n")
    print(training.format_report(report))
    print("\nreworded / unrelated cosine: " + ", ".join(cosines), flush=True)
    print("random pairs of bench comments: " + format_cosines(random_pair_cosines(encoder)),
          flush=True)


if __name__ == "__main__":
    main()
