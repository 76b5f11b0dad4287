"""Body check speed: load time, then milliseconds per check on FNC-1 bodies.

    python -m benchmarks.body_check [--data-dir ../shared/datasets] [--n 1000]

Each body is checked once against one of its own headlines, as the service
would check an article it has not seen. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from benchmarks.machine import describe
from model import artifacts
from model.body.checker import STANCE, BodyChecker
from model.training import data
from model.training.stance import load_fnc1


def percentiles(seconds: list[float]) -> str:
    ms = np.array(seconds) * 1000
    return (
        f"p50 {np.percentile(ms, 50):.2f} ms, p95 {np.percentile(ms, 95):.2f} ms, "
        f"max {ms.max():.1f} ms (n={len(ms)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=data.DEFAULT_DATA_DIR)
    parser.add_argument("--n", type=int, default=1000, help="bodies to check")
    args = parser.parse_args()

    print(describe())
    model_path, _ = artifacts.paths(STANCE)
    print(f"artifact: {model_path.stat().st_size / 1e6:.2f} MB")
    loads = []
    for _ in range(3):
        started = time.perf_counter()
        checker = BodyChecker.load()
        loads.append(time.perf_counter() - started)
    print(f"load: median {statistics.median(loads) * 1000:.0f} ms over 3 loads")

    pairs = load_fnc1(args.data_dir)
    first: dict[str, tuple[str, str]] = {}
    for (headline, body), stance in zip(pairs.pairs, pairs.stances, strict=True):
        if stance != "unrelated":
            first.setdefault(body, (headline, body))
    sample = list(first.values())[: args.n]
    checker.check(*sample[0])  # first-call costs (imports, caches) aside

    timings, lengths = [], []
    for headline, body in sample:
        started = time.perf_counter()
        checker.check(headline, body)
        timings.append(time.perf_counter() - started)
        lengths.append(len(body.split()))
    lengths = np.array(lengths)
    print(
        f"bodies: median {np.median(lengths):.0f} words, "
        f"p95 {np.percentile(lengths, 95):.0f}, max {lengths.max()}"
    )
    print(f"one check, every body: {percentiles(timings)}")
    typical = [t for t, n in zip(timings, lengths, strict=True) if 600 <= n <= 1000]
    print(f"one check, 600-1,000-word bodies (~800 typical): {percentiles(typical)}")

    headline, body = sample[0]
    body = "\n".join([body] * (2_000_000 // len(body) + 1))
    started = time.perf_counter()
    checker.check(headline, body)
    print(
        f"one check, a {len(body) / 1e6:.1f} MB body (cut to 20,000 words): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
