"""Milliseconds per page for parse, extraction, scoring and total, next to
trafilatura's own extract on the same pages.

    python -m benchmarks.extraction [FOLDER] [--typical] [--repeat N]

FOLDER holds saved pages (*.html; default tests/pages). --typical inflates each
page to ~150 KB with site furniture (benchmarks/pages.py). Prints figures only.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import trafilatura

from backend.pages.extract import extract_tree, parse
from benchmarks.machine import describe
from benchmarks.pages import PAGES, inflate, saved_pages
from model.scoring import Scorer


def _ms(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=PAGES)
    parser.add_argument("--typical", action="store_true", help="inflate to ~150 KB")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    scorer = Scorer.load()
    pages = saved_pages(args.folder)
    if args.typical:
        pages = [(name, inflate(html)) for name, html in pages]
    print(describe())
    print(f"{len(pages)} pages from {args.folder}, median of {args.repeat} runs each")
    rows = []
    for name, html in pages:
        t_parse, tree = _ms(lambda html=html: parse(html), args.repeat)
        t_extract, article = _ms(lambda tree=tree: extract_tree(tree), args.repeat)
        t_score, _ = _ms(
            lambda a=article: scorer.score(a.headline, a.body or None), args.repeat
        )
        t_trafilatura, _ = _ms(
            lambda html=html: trafilatura.extract(
                html, favor_precision=True, include_comments=False
            ),
            args.repeat,
        )
        rows.append(
            (name, len(html) / 1000, t_parse, t_extract, t_score, t_trafilatura)
        )
    print(
        f"{'page':48} {'KB':>6} {'parse':>7} {'extract':>8} {'score':>7} "
        f"{'total':>7} {'trafilatura':>12}"
    )
    for name, kb, p, e, s, t in rows:
        cells = f"{p:7.2f} {e:8.2f} {s:7.2f} {p + e + s:7.2f} {t:12.2f}"
        print(f"{name[:48]:48} {kb:6.0f} {cells}")
    total = sum(p + e + s for _, _, p, e, s, _ in rows) / len(rows)
    alone = sum(t for *_, t in rows) / len(rows)
    print(
        f"mean ms per page: parse {statistics.mean(r[2] for r in rows):.2f}, "
        f"extract {statistics.mean(r[3] for r in rows):.2f}, "
        f"score {statistics.mean(r[4] for r in rows):.2f}, total {total:.2f}; "
        f"trafilatura.extract alone {alone:.2f} (ratio {total / alone:.2f})"
    )


if __name__ == "__main__":
    main()
