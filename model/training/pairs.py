"""Same-story headline pairs: one story told two ways, topic held fixed.

Three sets in shared/datasets teach framing rather than publisher style, because
within a pair the topic is the same and only the wording differs:

- ``upworthy``: Upworthy A/B tests, (more clicked, less clicked).
- ``allsides``: AllSides roundups, (outlet, editors' neutral), three a story.
- ``hyperbole``: HYPO-red sentences, (hyperbolic, literal paraphrase).

Each pair is ``(higher, lower, group)``: the headline that should score higher,
the one that should not, and the story it belongs to. Splits are by story (a
hash of ``group``), never by row, so the three outlets of one AllSides story
are on the same side.

AllSides' editors write every neutral headline in Title Case and the outlets
mostly do not, so case alone separates them there and nowhere else. Every pair
is made case-blind (``case_blind``) before a model sees it.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SETS = ("upworthy", "allsides", "hyperbole")
OUTLETS = ("outlet_1", "outlet_2", "outlet_3")
# One story in five is held out of training and measured (see split).
HELD_OUT_MODULUS = 5
# The hyperbole corpus has no pair key: a hyperbolic sentence and its literal
# paraphrase mostly sit on adjacent ids ("...we're cooked." / "...we're in
# trouble."). Walking the ids in order, two consecutive ids labelled 1 and 0 pair
# when the tokens they share at the start and end (the text around the changed
# words) cover at least MIN_SHARED of the shorter sentence; a sentence joins at
# most one pair. Unrelated neighbours (the corpus's Reddit roasts) share little.
MIN_SHARED = 0.5
_TOKEN = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


@dataclass(frozen=True)
class Pair:
    higher: str
    lower: str
    group: str


def case_blind(text: str) -> str:
    """Sentence case, keeping words in capitals.

    "Trump Slams NATO HOAX" becomes "Trump slams NATO HOAX".

    Title Case and sentence case of one headline come out the same, so a model
    cannot learn one desk's house style; words in capitals (acronyms, shouting)
    are kept as they are, because shouting is framing.
    """
    out, first = [], True
    for m in re.finditer(r"\S+", text):
        word = m.group()
        if first:
            out.append(word)
            first = not _WORD.search(word)
            continue
        letters = [c for c in word if c.isalpha()]
        shouted = len(letters) > 1 and all(c.isupper() for c in letters)
        out.append(word if shouted else word.lower())
    return " ".join(out)


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_upworthy(data_dir: Path) -> list[Pair]:
    """(more clicked, less clicked) of each A/B test; the pair is its own story."""
    pairs = []
    for row in _rows(Path(data_dir) / "upworthy_ab" / "pairs.csv"):
        one, two = row["headline_1"].strip(), row["headline_2"].strip()
        higher, lower = (one, two) if row["more_clicks"] == "1" else (two, one)
        pairs.append(Pair(higher, lower, "upworthy:" + "\n".join(sorted((one, two)))))
    return pairs


def load_allsides(data_dir: Path) -> list[Pair]:
    """(outlet, neutral) for each outlet headline of each story."""
    pairs = []
    for row in _rows(Path(data_dir) / "allsides_roundups" / "roundups.csv"):
        neutral = row["neutral"].strip()
        group = "allsides:" + row["story"]
        pairs += [
            Pair(row[o].strip(), neutral, group) for o in OUTLETS if row[o].strip()
        ]
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


def hyperbole_pairs(rows: list[dict]) -> list[Pair]:
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
            pairs.append(
                Pair(
                    hyper["text"].strip(),
                    literal["text"].strip(),
                    f"hyperbole:{a['id']}",
                )
            )
            k += 2
        else:
            k += 1
    return pairs


def load_hyperbole(data_dir: Path) -> list[Pair]:
    """(hyperbolic, literal) pairs from `hyperbole/sentences.csv`."""
    return hyperbole_pairs(_rows(Path(data_dir) / "hyperbole" / "sentences.csv"))


LOADERS = {
    "upworthy": load_upworthy,
    "allsides": load_allsides,
    "hyperbole": load_hyperbole,
}
FILES = {
    "upworthy": "upworthy_ab/pairs.csv",
    "allsides": "allsides_roundups/roundups.csv",
    "hyperbole": "hyperbole/sentences.csv",
}


def load(name: str, data_dir: Path, blind: bool = True) -> list[Pair]:
    """One set's pairs, case-blind unless ``blind`` is False."""
    pairs = LOADERS[name](data_dir)
    if not blind:
        return pairs
    return [Pair(case_blind(p.higher), case_blind(p.lower), p.group) for p in pairs]


def is_held_out(group: str) -> bool:
    """One story in HELD_OUT_MODULUS, by a hash of its key: measured, not trained on."""
    digest = hashlib.sha1(group.encode("utf-8")).hexdigest()
    return int(digest, 16) % HELD_OUT_MODULUS == 0


def split(pairs: list[Pair]) -> tuple[list[Pair], list[Pair]]:
    """(train, held_out) by story."""
    train = [p for p in pairs if not is_held_out(p.group)]
    held = [p for p in pairs if is_held_out(p.group)]
    return train, held


def held_out_texts(data_dir: Path) -> set[str]:
    """Every headline of every held-out story, as given and case-blind."""
    texts: set[str] = set()
    for name in SETS:
        path = Path(data_dir) / FILES[name]
        if not path.exists():
            continue
        for p in split(load(name, data_dir, blind=False))[1]:
            texts.update((p.higher, p.lower, case_blind(p.higher), case_blind(p.lower)))
    return texts


# Differences between a pair's two headlines that are house style, not framing:
# AllSides' outlets write 2.75 words longer than its editors, with more commas
# and colons. Fitted as nuisance columns of the pairwise loss
# (model.headline.classifier.PairRows), never part of a score.
NUISANCE = ("words / 5", "log char ratio", "commas", "colons")


def _style(text: str) -> tuple[float, float, int, int]:
    return (
        len(text.split()) / 5,
        float(np.log1p(len(text))),
        text.count(","),
        text.count(":"),
    )


def nuisance(pairs_: list[Pair]) -> np.ndarray:
    """One row per pair: the NUISANCE differences, higher minus lower."""
    rows = [
        [a - b for a, b in zip(_style(p.higher), _style(p.lower), strict=True)]
        for p in pairs_
    ]
    return np.asarray(rows, dtype=float).reshape(len(pairs_), len(NUISANCE))


# Pairs whose two headlines differ by more words than this are left out.
MAX_LENGTH_GAP = 6


def length_balanced(pairs_: list[Pair], cap: int = MAX_LENGTH_GAP) -> np.ndarray:
    """A weight per pair that leaves length with nothing to teach.

    For each gap k in words (higher minus lower, 1 <= k <= cap), the pairs whose
    higher headline is k words longer weigh, all together, as much as those
    whose higher headline is k words shorter; pairs of equal length weigh 1,
    and a gap over ``cap`` weighs 0. The nuisance columns (``nuisance``) take
    what is left of length and punctuation.
    """
    gap = np.array([len(p.higher.split()) - len(p.lower.split()) for p in pairs_])
    weight = np.zeros(len(gap))
    weight[gap == 0] = 1.0
    for k in range(1, cap + 1):
        longer, shorter = gap == k, gap == -k
        both = min(longer.sum(), shorter.sum())
        for side in (longer, shorter):
            if side.any():
                weight[side] = both / side.sum()
    return weight
