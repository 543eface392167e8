"""How much a pause costs the encoder on this machine right now.

Steal time does not show everything a shared host takes away: while a post waits, other
tenants use the caches, and a comment arriving after a pause costs more than one right after
another (the encoder's ~10 MB of int8 weights are read back from memory). Posting latency at a
given rate follows that cost, so ``bench_posting`` reports it before and after its runs.

    .venv/bin/python bench/machine_probe.py
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dataset import post_text  # noqa: E402


@dataclass(frozen=True, slots=True)
class EncoderProbe:
    back_to_back_ms: float  # p50 of forward passes run one right after another
    after_pause_ms: float  # p50 of forward passes each run after ``pause_s`` asleep
    pause_s: float

    def summary(self) -> str:
        return (f"encoder {self.back_to_back_ms:.1f} ms a comment back to back, "
                f"{self.after_pause_ms:.1f} ms after a {1000 * self.pause_s:.0f} ms pause")


def probe_encoder(passes: int = 40, pause: float = 0.1) -> EncoderProbe:
    """The shipped int8 encoder on one thread, as the server runs it, on bench comments."""
    from rejoinder.analysis.encoder import SentenceEncoder

    encoder = SentenceEncoder(quantize=True, threads=1)
    texts = [post_text(900_000 + i) for i in range(passes)]
    for text in texts[:5]:
        encoder.encode([text])

    def timed(text: str) -> float:
        started = time.perf_counter()
        encoder.encode([text])
        return 1000 * (time.perf_counter() - started)

    hot = [timed(t) for t in texts]
    cold = []
    for text in texts:
        time.sleep(pause)
        cold.append(timed(text))
    return EncoderProbe(round(statistics.median(hot), 2), round(statistics.median(cold), 2),
                        pause)


if __name__ == "__main__":
    print(probe_encoder().summary())
