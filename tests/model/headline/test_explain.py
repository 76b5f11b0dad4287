import numpy as np
import pytest

from model.fastpath import PROBE_TOLERANCE
from model.scoring import BANDS, band, to_score

HEADLINES = [
    "Is Russia officially entering war with NATO? Kremlin official confirms troops",
    "Putin warns NATO against sending troops to Ukraine",
    "17 Photos That Will Make You Cry",
    "Senate passes budget bill after late-night vote",
    "Here\u2019s why \u201cexperts\u201d are worried about your coffee!",
    "",
]


def test_fast_path_equals_the_pipeline(small_scorer):
    texts = [h for h in HEADLINES if h]
    fast = [small_scorer.explainer.explain(h)["probability"] for h in texts]
    reference = small_scorer.explainer.pipeline.predict_proba(texts)[:, 1]
    # The sums run in another order than scikit-learn's (a few 1e-9 apart on the
    # committed model); loading allows model.fastpath.PROBE_TOLERANCE.
    np.testing.assert_allclose(fast, reference, rtol=0, atol=PROBE_TOLERANCE)


@pytest.mark.parametrize("headline", [h for h in HEADLINES if h])
def test_highlights_are_spans_of_the_headline(small_scorer, headline):
    result = small_scorer.score(headline)
    text = result["headline"]["text"]
    for h in result["highlights"]:
        assert 0 <= h["start"] < h["end"] <= len(text)
        assert text[h["start"] : h["end"]] == h["text"]
        assert isinstance(h["weight"], float)


def test_reasons_are_signed_sorted_and_coded(small_scorer):
    result = small_scorer.score("17 Photos That Will Make You Cry")
    weights = [abs(r["weight"]) for r in result["reasons"]]
    assert weights == sorted(weights, reverse=True)
    codes = {r["code"] for r in result["reasons"]}
    assert {"listicle", "second_person"} & codes
    assert all(r["weight"] > 0 for r in result["reasons"] if r["code"] == "listicle")


def test_question_reason_asks_without_answering(committed_scorer):
    result = committed_scorer.score("Is the euro about to collapse? Ministers meet")
    codes = ("yes_no_question", "question_headline")
    reason = next(r for r in result["reasons"] if r["code"] in codes)
    assert reason["weight"] > 0
    assert "question" in reason["message"]
    assert " no." not in reason["message"].lower()
    assert "answer is" not in reason["message"].lower()


def test_result_shape(small_scorer):
    result = small_scorer.score("  You   won't believe this  ")
    assert result["headline"]["text"] == "You won't believe this"
    assert isinstance(result["score"], int) and 0 <= result["score"] <= 100
    assert result["band"] == band(result["score"])
    assert result["headline"]["score"] == result["score"]
    assert 0.0 <= result["headline"]["probability"] <= 1.0
    assert result["model"]["version"].startswith("headline-")
    assert result["body_check"] is None


@pytest.mark.parametrize("bad", ["", "   ", "x" * 1001])
def test_bad_headlines_are_refused(small_scorer, bad):
    with pytest.raises(ValueError):
        small_scorer.score(bad)


@pytest.mark.parametrize(
    ("probability", "score", "name"),
    [
        (0.0, 0, "low"),
        (0.394, 39, "low"),
        (0.4, 40, "medium"),
        (0.696, 70, "high"),
        (1.0, 100, "high"),
    ],
)
def test_score_and_bands(probability, score, name):
    assert to_score(probability) == score
    assert band(score) == name


def test_bands_cover_the_scale():
    covered = [s for _, low, high in BANDS for s in range(low, high)]
    assert covered == list(range(101))


def test_a_batch_explains_each_headline_as_alone(small_scorer, monkeypatch):
    from model.headline import explain

    # Chunks of three: the sums of neighbouring headlines must never mix.
    monkeypatch.setattr(explain, "CHUNK", 3)
    texts = [h for h in HEADLINES if h] * 2 + ["x", "Why?", "!!!"]
    together = small_scorer.explainer.explain_many(texts)
    alone = [small_scorer.explainer.explain(h) for h in texts]
    assert len(together) == len(texts)
    for batched, single in zip(together, alone, strict=True):
        assert batched["probability"] == pytest.approx(single["probability"])
        assert batched["reasons"] == single["reasons"]
        assert batched["highlights"] == single["highlights"]
    assert small_scorer.explainer.explain_many([]) == []


def test_a_batch_names_its_bad_headline(small_scorer):
    with pytest.raises(ValueError, match=r"empty \(item 2\)"):
        small_scorer.score_many(["Court rules", "  ", "Nine ways to save"])
    with pytest.raises(ValueError, match="one body"):
        small_scorer.score_many(["Court rules"], [None, None])
    single = small_scorer.score("Nine ways to save money")
    assert small_scorer.score_many(["Nine ways to save money"]) == [single]
