"""Headline model speed and size: load time, one headline, a batch of 10,000.

    python benchmarks/headline.py [--data-dir ../shared/datasets]

Prints figures; asserts nothing (timings belong here, not in tests).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from benchmarks.machine import describe
from model import artifacts
from model.scoring import Scorer
from model.training import data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=data.DEFAULT_DATA_DIR)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()

    print(describe())
    model_path, _ = artifacts.paths(artifacts.HEADLINE)
    print(f"artifact: {model_path.stat().st_size / 1e6:.2f} MB")

    loads = []
    for _ in range(5):
        started = time.perf_counter()
        scorer = Scorer.load()
        loads.append(time.perf_counter() - started)
    print(f"load: median {statistics.median(loads) * 1000:.0f} ms over 5 loads")

    corpus = data.load_stop_clickbait(args.data_dir)
    headlines = corpus.texts[: args.batch]
    # One headline at a time, each seen for the first time (no warm caches).
    singles = []
    for headline in headlines[:2000]:
        started = time.perf_counter()
        scorer.score(headline)
        singles.append(time.perf_counter() - started)
    singles.sort()
    print(
        f"one headline: p50 {singles[len(singles) // 2] * 1000:.3f} ms, "
        f"p99 {singles[int(len(singles) * 0.99)] * 1000:.3f} ms (n={len(singles)})"
    )

    fresh = Scorer.load()
    started = time.perf_counter()
    fresh.score_many(headlines)
    elapsed = time.perf_counter() - started
    print(
        f"batch of {len(headlines):,} with reasons and highlights "
        f"(Scorer.score_many): {elapsed:.2f} s "
        f"({elapsed / len(headlines) * 1000:.3f} ms each)"
    )
    fresh = Scorer.load()
    started = time.perf_counter()
    for headline in headlines:
        fresh.score(headline)
    elapsed = time.perf_counter() - started
    print(
        f"same, one Scorer.score call per headline: {elapsed:.2f} s "
        f"({elapsed / len(headlines) * 1000:.3f} ms each)"
    )
    started = time.perf_counter()
    fresh.explainer.pipeline.predict_proba(headlines)
    print(
        f"batch of {len(headlines):,}, probabilities only (pipeline.predict_proba): "
        f"{time.perf_counter() - started:.2f} s"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
