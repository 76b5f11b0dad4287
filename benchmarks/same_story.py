"""Same-story sets from shared/datasets as (should score higher, should not) pairs.

Each pair holds one story told two ways, so topic is fixed and only the framing
differs. ``higher_share`` is how often a model scores the first of a pair above
the second on the 0-100 score a reader sees (ties count half).

- Upworthy A/B tests: (more clicked, less clicked).
- AllSides roundups: (outlet, editors' neutral), three pairs a story.
- Hyperbole: (hyperbolic, literal), paired by ``hyperbole_pairs`` below.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from model.scoring import to_score

OUTLETS = ("outlet_1", "outlet_2", "outlet_3")
# The hyperbole corpus has no pair key: a hyperbolic sentence and its literal
# paraphrase mostly sit on adjacent ids ("...we're cooked." / "...we're in
# trouble."). Walking the ids in order, two consecutive ids labelled 1 and 0 pair
# when the tokens they share at the start and end (the text around the changed
# words) cover at least MIN_SHARED of the shorter sentence; a sentence joins at
# most one pair. Unrelated neighbours (the corpus's Reddit roasts) share little.
MIN_SHARED = 0.5
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_upworthy(data_dir: Path) -> list[tuple[str, str]]:
    """(more clicked, less clicked) headline of each A/B test."""
    pairs = []
    for row in _rows(Path(data_dir) / "upworthy_ab" / "pairs.csv"):
        one, two = row["headline_1"].strip(), row["headline_2"].strip()
        pairs.append((one, two) if row["more_clicks"] == "1" else (two, one))
    return pairs


def load_allsides(data_dir: Path) -> list[tuple[str, str]]:
    """(outlet, neutral) for each outlet headline of each story."""
    pairs = []
    for row in _rows(Path(data_dir) / "allsides_roundups" / "roundups.csv"):
        neutral = row["neutral"].strip()
        pairs += [(row[o].strip(), neutral) for o in OUTLETS if row[o].strip()]
    return pairs


def shared_share(a: str, b: str) -> float:
    """Share of the shorter text's tokens that both share at the start and end."""
    x, y = _TOKEN.findall(a.lower()), _TOKEN.findall(b.lower())
    n = min(len(x), len(y))
    prefix = 0
    while prefix < n and x[prefix] == y[prefix]:
        prefix += 1
    suffix = 0
    while suffix < n - prefix and x[-1 - suffix] == y[-1 - suffix]:
        suffix += 1
    return (prefix + suffix) / n if n else 0.0


def hyperbole_pairs(rows: list[dict]) -> list[tuple[str, str]]:
    """(hyperbolic, literal) pairs: consecutive ids, labels 1 and 0, same frame."""
    rows = sorted(rows, key=lambda r: int(r["id"]))
    pairs, k = [], 0
    while k < len(rows) - 1:
        a, b = rows[k], rows[k + 1]
        if (
            int(b["id"]) == int(a["id"]) + 1
            and {a["hyperbole"], b["hyperbole"]} == {"0", "1"}
            and shared_share(a["text"], b["text"]) >= MIN_SHARED
        ):
            hyper, literal = (a, b) if a["hyperbole"] == "1" else (b, a)
            pairs.append((hyper["text"].strip(), literal["text"].strip()))
            k += 2
        else:
            k += 1
    return pairs


def load_hyperbole(data_dir: Path) -> list[tuple[str, str]]:
    """(hyperbolic, literal) pairs from `hyperbole/sentences.csv`."""
    return hyperbole_pairs(_rows(Path(data_dir) / "hyperbole" / "sentences.csv"))


def higher_share(predict, pairs: list[tuple[str, str]]) -> dict:
    """How often the first of a pair scores higher (ties half), and the tie share."""
    firsts = [to_score(p) for p in predict([a for a, _ in pairs])]
    seconds = [to_score(p) for p in predict([b for _, b in pairs])]
    wins = sum(a > b for a, b in zip(firsts, seconds, strict=True))
    ties = sum(a == b for a, b in zip(firsts, seconds, strict=True))
    return {
        "n": len(pairs),
        "first_higher": (wins + ties / 2) / len(pairs),
        "ties": ties / len(pairs),
    }
