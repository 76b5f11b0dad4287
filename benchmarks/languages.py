"""False refusals of English headlines, and the language check on saved pages.

    python -m benchmarks.languages [--data-dir DIR]

Every headline (or sentence) in the shared English sets goes through the check a
headline-only request gets, and every FNC-1 article body through the page check;
each one refused is printed, to be read: one in English is a false refusal (the
target is zero), though the sets hold a few French and German items. Then every
saved page in tests/pages goes through the page check: English pages must pass,
the others must be refused.
Prints figures only.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Iterator
from pathlib import Path

from backend.pages.language import article_language, headline_language
from benchmarks.pages import PAGES, saved_pages
from model.training.data import DEFAULT_DATA_DIR

# (set, file, columns holding English headlines or sentences)
ENGLISH_SETS = (
    ("stop_clickbait", "stop_clickbait/headlines.csv", ("text",)),
    ("webis17_titles", "webis17_titles/titles.csv", ("text",)),
    ("fnc1 headlines", "fnc1/train_stances.csv", ("Headline",)),
    ("upworthy_ab", "upworthy_ab/pairs.csv", ("headline_1", "headline_2")),
    (
        "allsides_roundups",
        "allsides_roundups/roundups.csv",
        ("neutral", "outlet_1", "outlet_2", "outlet_3"),
    ),
    ("hyperbole", "hyperbole/sentences.csv", ("text",)),
)


def _texts(path: Path, columns: tuple[str, ...]) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="") as file:
        seen: set[str] = set()
        for row in csv.DictReader(file):
            for column in columns:
                text = (row.get(column) or "").strip()
                if text and text not in seen:
                    seen.add(text)
                    yield text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args()

    headline_language("warm the detector up")
    print("English headlines refused as another language (target: 0)")
    total_texts = total_refused = 0
    started = time.perf_counter()
    for name, file, columns in ENGLISH_SETS:
        path = args.data_dir / file
        if not path.exists():
            print(f"  {name:20} missing ({path})")
            continue
        texts = list(_texts(path, columns))
        refused = [(t, found) for t in texts if (found := headline_language(t))]
        total_texts += len(texts)
        total_refused += len(refused)
        print(f"  {name:20} {len(refused):>3} of {len(texts):>6}")
        for text, found in refused:
            print(f"      {found.code} {found.confidence:.4f}  {text!r}")
    per_ms = (time.perf_counter() - started) * 1000 / max(total_texts, 1)
    print(
        f"  {'all':20} {total_refused:>3} of {total_texts:>6} "
        f"({per_ms:.3f} ms per headline)"
    )

    print("FNC-1 article bodies refused as another language (the page check)")
    bodies = args.data_dir / "fnc1" / "train_bodies.csv"
    if bodies.exists():
        csv.field_size_limit(10**8)
        with bodies.open(encoding="utf-8", newline="") as file:
            texts = [row["articleBody"] for row in csv.DictReader(file)]
        started = time.perf_counter()
        refused = [(t, found) for t in texts if (found := article_language("", t))]
        per_ms = (time.perf_counter() - started) * 1000 / max(len(texts), 1)
        print(f"  {len(refused)} of {len(texts)} ({per_ms:.2f} ms per body)")
        for text, found in refused:
            print(f"      {found.code} {found.english:.4f}  {text[:70]!r}")

    print("Saved pages (tests/pages): the page check")
    from backend.pages.extract import extract

    for page, html in saved_pages(PAGES):
        try:
            article = extract(html)
        except Exception as err:  # noqa: BLE001 - a page with no headline is shown
            print(f"  {page:52} {type(err).__name__}")
            continue
        found = article_language(article.headline, article.body, article.language)
        verdict = f"refused: {found.code} {found.confidence:.3f}" if found else "passed"
        print(f"  {page:52} lang={article.language or '-':6} {verdict}")


if __name__ == "__main__":
    main()
