"""Same-story pairs: case-blinding, pairing, the split by story, and their scoring."""

from __future__ import annotations

import pytest

from model.training import data, evaluate, pairs
from model.training.pairs import Pair, case_blind, hyperbole_pairs, shared_share


@pytest.mark.parametrize(
    ("given", "blind"),
    [
        (
            "President Trump Criticizes John Kerry",
            "President trump criticizes john kerry",
        ),
        ("Trump criticizes John Kerry", "Trump criticizes john kerry"),
        ("Man Fights Off GRIZZLY BEAR", "Man fights off GRIZZLY BEAR"),
        ("NATO Warns EU Over U.S. Tariffs", "NATO warns EU over U.S. tariffs"),
        (
            "\u201cShadow Diplomacy\u201d On Iran",
            "\u201cShadow diplomacy\u201d on iran",
        ),
    ],
)
def test_case_blind_is_sentence_case_that_keeps_capitals(given, blind):
    assert case_blind(given) == blind


def test_title_case_and_sentence_case_come_out_the_same():
    title = evaluate.title_case("Senate passes budget bill after a late-night vote")
    sentence = "Senate passes budget bill after a late-night vote"
    assert case_blind(title) == case_blind(sentence)


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


def _row(id_: int, text: str, hyperbole: int) -> dict:
    return {"id": str(id_), "text": text, "hyperbole": str(hyperbole)}


def test_hyperbole_pairs_take_neighbours_that_share_their_frame():
    rows = [
        _row(4, "Your room is messy!", 0),
        _row(3, "Your room is a jungle!", 1),
        _row(5, "I swear I saw him.", 1),  # a neighbour, but another sentence
        _row(6, "Nobody came today.", 0),
        _row(8, "His laughter shakes the walls.", 1),  # id 7 is missing
        _row(10, "His laughter is very loud.", 0),
    ]
    assert hyperbole_pairs(rows) == [
        Pair("Your room is a jungle!", "Your room is messy!", "hyperbole:3")
    ]


def test_a_story_is_wholly_on_one_side_of_the_split():
    stories = [f"allsides:train-{k}" for k in range(200)]
    rows = [
        Pair(f"outlet {k} {s}", f"neutral {s}", s) for s in stories for k in range(3)
    ]
    train, held = pairs.split(rows)
    assert len(train) + len(held) == len(rows)
    assert not {p.group for p in train} & {p.group for p in held}
    # One story in HELD_OUT_MODULUS, roughly.
    assert 0.1 < len({p.group for p in held}) / len(stories) < 0.3


def test_the_split_of_the_shared_sets_holds_out_a_fifth():
    data_dir = data.DEFAULT_DATA_DIR
    for name in pairs.SETS:
        train, held = pairs.split(pairs.load(name, data_dir))
        share = len(held) / (len(train) + len(held))
        assert 0.15 < share < 0.25, name
        assert not {p.group for p in train} & {p.group for p in held}


def test_higher_share_counts_ties_half():
    scores = {"a": 0.9, "b": 0.2, "c": 0.5, "d": 0.5, "e": 0.1, "f": 0.7}

    def predict(texts):
        return [scores[t] for t in texts]

    rows = [Pair("a", "b", "1"), Pair("c", "d", "2"), Pair("e", "f", "3")]
    result = evaluate.higher_share(predict, rows)
    assert result == {"n": 3, "higher": 0.5, "ties": pytest.approx(1 / 3)}


def test_outlet_auc_counts_each_neutral_headline_once():
    scores = {"o1": 0.9, "o2": 0.8, "o3": 0.1, "n": 0.5, "o4": 0.7, "m": 0.6}

    def predict(texts):
        return [scores[t] for t in texts]

    rows = [Pair(o, "n", "s1") for o in ("o1", "o2", "o3")] + [Pair("o4", "m", "s2")]
    result = evaluate.outlet_auc(predict, rows)
    assert result["n_outlets"] == 4 and result["n_neutral"] == 2
    # 8 outlet-neutral comparisons, 6 won.
    assert result["roc_auc"] == pytest.approx(6 / 8)
