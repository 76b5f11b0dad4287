"""Headline exact match and body word F1 of our extraction, and how pages end.

    python -m benchmarks.extraction_quality               # the saved test pages
    python -m benchmarks.extraction_quality --benchmark DIR

Without --benchmark: every saved page in tests/pages with its expected.json
entry: headline exact match, the share of `body_has` strings found and of
`body_lacks` strings leaked, and each page's outcome (scored, no_article,
unsupported_language) against the expected one.

With --benchmark DIR: a folder laid out like the public article-extraction
benchmark: ``ground-truth.json`` mapping an id to ``{"articleBody", "url",
"headline"?}``, and ``html/<id>.html.gz`` (or ``.html``). Prints mean word F1
of the body (words as whitespace-separated tokens, counted with repeats, as
that benchmark does), headline exact match where a headline is given, and the
outcome counts. Prints figures only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
from collections import Counter
from pathlib import Path

from backend.errors import ScorerError
from backend.pages.extract import Article, extract
from backend.pages.fetch import decode_html
from backend.service import check_readable
from benchmarks.pages import PAGES


def word_f1(found: str, truth: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the words found against the true words."""
    found_words, true_words = Counter(found.split()), Counter(truth.split())
    common = sum((found_words & true_words).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision = common / sum(found_words.values())
    recall = common / sum(true_words.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def outcome(article: Article) -> str:
    try:
        check_readable(article)
    except ScorerError as err:
        return err.code
    return "scored"


def saved_pages() -> None:
    expected_all = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
    exact = found = wanted = leaked = unwanted = right = 0
    for name, expected in sorted(expected_all.items()):
        html = (PAGES / name).read_bytes().decode(expected["encoding"])
        article = extract(html, expected["fetched_from"])
        exact += article.headline == expected["headline"]
        found += sum(text in article.body for text in expected["body_has"])
        wanted += len(expected["body_has"])
        leaked += sum(text in article.body for text in expected["body_lacks"])
        unwanted += len(expected["body_lacks"])
        should = (
            "no_article"
            if expected.get("kind") == "no_article"
            else "scored"
            if expected.get("language", "en") == "en"
            else "unsupported_language"
        )
        got = outcome(article)
        right += got == should
        mark = "" if got == should else f"  (expected {should})"
        print(f"  {name:52} {got}{mark}")
    pages = len(expected_all)
    print(
        f"{pages} saved pages: headline exact {exact}/{pages}; body_has found "
        f"{found}/{wanted}; body_lacks leaked {leaked}/{unwanted}; outcome as "
        f"expected {right}/{pages}"
    )


def benchmark(folder: Path) -> None:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    scores, exact, headlines, outcomes = [], 0, 0, Counter()
    for key, item in sorted(truth.items()):
        path = folder / "html" / f"{key}.html.gz"
        raw = gzip.decompress(path.read_bytes()) if path.exists() else None
        if raw is None:
            raw = (folder / "html" / f"{key}.html").read_bytes()
        try:
            article = extract(decode_html(raw), item.get("url"))
        except ScorerError as err:
            outcomes[err.code] += 1
            scores.append((0.0, 0.0, 0.0))
            continue
        outcomes[outcome(article)] += 1
        scores.append(word_f1(article.body, item.get("articleBody") or ""))
        if item.get("headline"):
            headlines += 1
            exact += article.headline == " ".join(item["headline"].split())
    precision, recall, f1 = (statistics.mean(s[i] for s in scores) for i in range(3))
    print(
        f"{len(scores)} pages: body word precision {precision:.3f}, recall "
        f"{recall:.3f}, F1 {f1:.3f}"
    )
    if headlines:
        print(f"headline exact {exact / headlines:.3f} ({exact}/{headlines})")
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in outcomes.most_common()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", type=Path, help="folder with ground-truth.json")
    args = parser.parse_args()
    if args.benchmark:
        benchmark(args.benchmark)
    else:
        saved_pages()


if __name__ == "__main__":
    main()
