"""Reviewing 200 pending feedback rows from the CLI: the time a maintainer waits.

    python -m benchmarks.feedback_review [--rows 200]

Fills a fresh SQLite store with pending rows, then times, start to end as a
maintainer runs them (each a new process: start-up included), `feedback list`
and `feedback review accepted 1-N`, and one `feedback review ID accepted` for
comparison with one call per row.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from backend.feedback import migrate_once, open_store
from benchmarks.machine import describe


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "backend.cli", *args],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "feedback.sqlite3"
        store = open_store({"FEEDBACK_DB_PATH": str(db), "FEEDBACK_DATABASE_URL": None})
        migrate_once(store)
        for n in range(options.rows):
            store.add(
                {
                    "url": f"https://example.com/story/{n}",
                    "headline": f"Council approves budget for library number {n}",
                    "score_seen": n % 101,
                    "verdict": ("too_high", "too_low", "about_right")[n % 3],
                    "note": None,
                },
                model_version="headline-benchmark",
            )
        store.close()
        where = ["--db-path", str(db)]
        listed = timed(["feedback", "list", *where])
        one = timed(["feedback", "review", "1", "pending", *where])
        many = timed(["feedback", "review", "accepted", f"1-{options.rows}", *where])
    print(describe())
    print(f"feedback list, {options.rows} pending rows: {listed:.2f} s")
    print(f"feedback review accepted 1-{options.rows} (one command): {many:.2f} s")
    print(
        f"one row per command: {one:.2f} s, so {options.rows} rows one at a time "
        f"~{one * options.rows:.0f} s"
    )


if __name__ == "__main__":
    main()
