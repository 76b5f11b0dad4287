"""The common-word list that tells a word in capitals from an acronym.

"UNMASKED" and "KILLED" are emphasis; "NATO" and "ISIS" are names. A word written
in capitals is emphasis when its lowercase form is an ordinary word of news
prose. The list is every lowercase word found at least three times in the FNC-1
article bodies (news text, never headlines), rebuilt with

    python -m model.headline.wordlist [DATA_DIR]
"""

from __future__ import annotations

import collections
import csv
import re
import sys
from pathlib import Path

from model.training.data import DEFAULT_DATA_DIR

WORDLIST = Path(__file__).resolve().parent / "common_words.txt"
MIN_COUNT = 3


def build(data_dir: Path = DEFAULT_DATA_DIR) -> list[str]:
    """Lowercase words seen at least MIN_COUNT times in the FNC-1 bodies, sorted."""
    csv.field_size_limit(1 << 30)
    counts: collections.Counter = collections.Counter()
    path = Path(data_dir) / "fnc1" / "train_bodies.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            counts.update(re.findall(r"\b[a-z][a-z']+\b", row["articleBody"]))
    return sorted(w for w, c in counts.items() if c >= MIN_COUNT)


def load() -> frozenset[str]:
    return frozenset(WORDLIST.read_text(encoding="utf-8").split())


if __name__ == "__main__":
    words = build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA_DIR)
    WORDLIST.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} words to {WORDLIST}")
