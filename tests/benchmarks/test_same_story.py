"""Same-story pairing and the share of pairs a model orders right."""

from __future__ import annotations

import pytest

from benchmarks.same_story import higher_share, hyperbole_pairs, shared_share


def _row(id_: int, text: str, hyperbole: int) -> dict:
    return {"id": str(id_), "text": text, "hyperbole": str(hyperbole)}


@pytest.mark.parametrize(
    ("a", "b", "share"),
    [
        ("Your room is a jungle!", "Your room is messy!", 4 / 5),
        ("Love you to the moon and back.", "Love you so much.", 3 / 5),
        ("I swear I saw him.", "Nobody came today.", 1 / 4),
    ],
    ids=["one-word-swap", "shared-start", "only-the-full-stop"],
)
def test_shared_share_counts_the_start_and_end_both_keep(a, b, share):
    assert shared_share(a, b) == pytest.approx(share)


def test_hyperbole_pairs_take_neighbours_that_share_their_frame():
    rows = [
        _row(4, "Your room is messy!", 0),
        _row(3, "Your room is a jungle!", 1),
        _row(5, "I swear I saw him.", 1),  # a neighbour, but another sentence
        _row(6, "Nobody came today.", 0),
        _row(8, "His laughter shakes the walls.", 1),  # id 7 is missing
        _row(10, "His laughter is very loud.", 0),
    ]
    assert hyperbole_pairs(rows) == [("Your room is a jungle!", "Your room is messy!")]


def test_higher_share_counts_ties_half():
    scores = {"a": 0.9, "b": 0.2, "c": 0.5, "d": 0.5, "e": 0.1, "f": 0.7}

    def predict(texts):
        return [scores[t] for t in texts]

    result = higher_share(predict, [("a", "b"), ("c", "d"), ("e", "f")])
    assert result == {"n": 3, "first_higher": 0.5, "ties": pytest.approx(1 / 3)}
