"""Page to score, next to trafilatura.extract alone on the same pages, in one run.

    python -m benchmarks.extraction [FOLDER] [--typical] [--repeat N]

FOLDER holds saved pages (*.html; default tests/pages); only the pages that
score (English articles) are timed. --typical inflates each page to ~150 KB with
site furniture (benchmarks/pages.py). In process, each repeat times our whole
request (parse, extract, language and page checks, score) and trafilatura.extract
alone back to back, so load from elsewhere falls on both. The CLI figure runs
every page through the code `sensationalism score --jsonl` runs on each line
(backend.cli.score_lines: JSON in, JSON out, pages batched), in this process so
that start-up (about 15 s on a busy machine, and as variable) is left out.
Prints figures only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import trafilatura

from backend import config
from backend.cli import score_lines
from backend.pages.extract import extract_tree, parse
from backend.service import Settings, score_request
from benchmarks.machine import describe
from benchmarks.pages import PAGES, inflate, saved_pages
from model.scoring import Scorer


def _trafilatura(html: str) -> str | None:
    return trafilatura.extract(html, favor_precision=True, include_comments=False)


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def _cli_ms_per_page(lines: list[str], scorer, settings, repeat: int) -> float:
    """Median ms per page of the CLI's own path for `score --jsonl`."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        outputs = list(score_lines(enumerate(lines, start=1), scorer, settings))
        times.append((time.perf_counter() - started) * 1000 / len(lines))
        if not all(scored for _, scored in outputs):
            raise SystemExit("the CLI refused a page it scored in process")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=PAGES)
    parser.add_argument("--typical", action="store_true", help="inflate to ~150 KB")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--artifact-dir", default=None)
    args = parser.parse_args()

    scorer = Scorer.load(args.artifact_dir) if args.artifact_dir else Scorer.load()
    settings = Settings.from_config(config.load())
    pages = []
    for name, html in saved_pages(args.folder):
        html = inflate(html) if args.typical else html
        try:
            score_request({"html": html}, scorer, settings)
        except Exception as err:  # noqa: BLE001 - refused pages are not timed
            print(f"skipped {name}: {getattr(err, 'code', type(err).__name__)}")
            continue
        pages.append((name, html))
    print(describe())
    print(f"{len(pages)} pages from {args.folder}, median of {args.repeat} runs each")

    rows = []
    for name, html in pages:
        ours, alone, parsing, extracting = [], [], [], []
        for _ in range(args.repeat):
            ours.append(
                _timed(lambda h=html: score_request({"html": h}, scorer, settings))
            )
            alone.append(_timed(lambda h=html: _trafilatura(h)))
            started = time.perf_counter()
            tree = parse(html)
            parsing.append((time.perf_counter() - started) * 1000)
            extracting.append(_timed(lambda t=tree: extract_tree(t)))
        rows.append(
            (
                name,
                len(html) / 1000,
                statistics.median(parsing),
                statistics.median(extracting),
                statistics.median(ours),
                statistics.median(alone),
            )
        )
    print(
        f"{'page':48} {'KB':>6} {'parse':>7} {'extract':>8} {'to score':>9} "
        f"{'trafilatura':>12} {'ratio':>6}"
    )
    for name, kb, p, e, total, t in rows:
        cells = f"{p:7.2f} {e:8.2f} {total:9.2f} {t:12.2f} {total / t:6.2f}"
        print(f"{name[:48]:48} {kb:6.0f} {cells}")
    ours_mean = statistics.mean(r[4] for r in rows)
    alone_mean = statistics.mean(r[5] for r in rows)
    print(
        f"in process, mean ms per page: page to score {ours_mean:.2f}; "
        f"trafilatura.extract alone {alone_mean:.2f} "
        f"(ratio {ours_mean / alone_mean:.2f})"
    )

    lines = [json.dumps({"html": html}) for _, html in pages]
    per_page = _cli_ms_per_page(lines, scorer, settings, args.repeat)
    print(
        f"CLI path (backend.cli.score_lines, as `score --jsonl` runs it), start-up "
        f"excluded: {per_page:.2f} ms per page; ratio to trafilatura alone "
        f"{per_page / alone_mean:.2f}"
    )


if __name__ == "__main__":
    main()
