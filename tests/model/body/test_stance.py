import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from backend.cli import main
from model import artifacts
from model.body.checker import STANCE, BodyChecker
from model.body.claims import headline_names
from model.body.classifier import (
    STANCES,
    StanceClassifier,
    check_feature_count,
    story_ids,
)
from model.body.rules import EVIDENCE, answer_of, yes_no_question
from model.body.text import (
    MAX_BODY_WORDS,
    split_sentences,
    stem,
    truncate_words,
    words,
)
from model.training import data
from model.training.stance import fnc_score, load_fnc1, measure_stance, train_stance

SMALL_MODEL_ROWS = 4000
# Few, larger steps: a small model that still reads stances, fitted in seconds.
SMALL_PARAMETERS = {
    "max_iter": 40,
    "learning_rate": 0.1,
    "max_leaf_nodes": 31,
    "max_features": 4000,
    "n_components": 20,
    "body_max_features": 4000,
}

RUSSIA_HEADLINE = (
    "Is Russia officially entering war with NATO? Kremlin official confirms troops "
    "at border"
)
RUSSIA_BODY = (
    "Rumours that Russia was entering a war with NATO spread online on Monday. "
    "Leaders distanced themselves from the idea. The Kremlin said it has no plans "
    "to deploy troops to the border and that Russia is not at war with NATO. "
    "Analysts said the rumour began with a doctored video."
)
KREMLIN_SENTENCE = (
    "The Kremlin said it has no plans to deploy troops to the border and that "
    "Russia is not at war with NATO."
)


@pytest.fixture(scope="session")
def fnc_pairs():
    return load_fnc1(data.DEFAULT_DATA_DIR)


# Evidence weights for the small model: every kind raises by one unit of log-odds
# (the real ones are fitted by training; see test_fit_weights_*).
TEST_WEIGHTS = dict.fromkeys(EVIDENCE, 1.0)


@pytest.fixture(scope="session")
def stance_artifact_dir(fnc_pairs, tmp_path_factory):
    """A real stance model fitted on a few thousand pairs, saved like the real one."""
    step = len(fnc_pairs.pairs) // SMALL_MODEL_ROWS
    X, y = fnc_pairs.pairs[::step], fnc_pairs.stances[::step]
    model = StanceClassifier(**SMALL_PARAMETERS).fit(X, y)
    model.evidence_weights_ = TEST_WEIGHTS
    directory = tmp_path_factory.mktemp("stance")
    artifacts.save(model, {"note": "test model"}, STANCE, directory)
    return directory


@pytest.fixture(scope="session")
def checker(stance_artifact_dir) -> BodyChecker:
    return BodyChecker.load(stance_artifact_dir)


def codes(result) -> set[str]:
    return {r["code"] for r in result["reasons"]}


def reason(result, code) -> dict:
    return next(r for r in result["reasons"] if r["code"] == code)


# -- rule checks -------------------------------------------------------------------


def test_question_answered_no_quotes_the_denial(checker):
    result = checker.check(RUSSIA_HEADLINE, RUSSIA_BODY)
    answered = reason(result, "question_answered")
    assert "the article answers no" in answered["message"]
    assert KREMLIN_SENTENCE in answered["message"]
    assert answered["weight"] > 0
    assert {"sentence": KREMLIN_SENTENCE, "role": "answers_question"} in result[
        "evidence"
    ]


def test_certainty_not_backed_by_a_denying_body(checker):
    result = checker.check(RUSSIA_HEADLINE, RUSSIA_BODY)
    certainty = reason(result, "certainty_not_backed")
    assert '"officially"' in certainty["message"]
    assert "the article contradicts it" in certainty["message"]
    assert certainty["weight"] > 0


def test_a_sober_headline_on_the_same_body_raises_neither(checker):
    result = checker.check(
        "Putin warns NATO against sending troops to Ukraine", RUSSIA_BODY
    )
    assert not {"question_answered", "certainty_not_backed"} & codes(result)


@pytest.mark.parametrize(
    ("headline", "body", "answer"),
    [
        (
            "Will the council close the Elm Street library? Budget vote tonight",
            "The council confirmed it will close the Elm Street library in March. "
            "Residents have until Friday to object.",
            "yes",
        ),
        (
            "Is the Elm Street library closing for good?",
            "The Elm Street library is not closing, the council said. It will "
            "reopen after repairs in March.",
            "no",
        ),
    ],
    ids=["answers-yes", "answers-no"],
)
def test_question_answered(checker, headline, body, answer):
    answered = reason(checker.check(headline, body), "question_answered")
    assert f"the article answers {answer}" in answered["message"]
    assert (answered["weight"] > 0) == (answer == "no")


@pytest.mark.parametrize(
    "headline",
    [
        "Why is the Elm Street library closing?",  # not a yes/no question
        "The Elm Street library is closing",  # not a question
    ],
    ids=["wh-question", "statement"],
)
def test_no_question_no_answer(checker, headline):
    body = "The Elm Street library is not closing, the council said."
    assert "question_answered" not in codes(checker.check(headline, body))


def test_claim_not_in_body_names_the_missing_person(checker):
    result = checker.check(
        "Apple CEO Tim Cook confirms the iPhone will fold in half",
        "A new iPhone that folds in half has been spotted in a patent filing. "
        "Apple has not commented on the filing, which was published on Tuesday.",
    )
    missing = reason(result, "claim_not_in_body")
    assert "Tim Cook" in missing["message"]
    assert '"Apple"' not in missing["message"]
    assert any(e["role"] == "missing" for e in result["evidence"])


def test_claim_with_its_actor_in_the_body_is_not_missing(checker):
    result = checker.check(
        "Tim Cook confirms the iPhone will fold in half",
        "Tim Cook told investors on Tuesday that the next iPhone will fold in half.",
    )
    assert "claim_not_in_body" not in codes(result)


@pytest.mark.parametrize(
    ("headline", "body", "role"),
    [
        (
            "Scientists confirm coffee cures cancer",
            "A small study suggests coffee may reduce the risk of some cancers, "
            "researchers said. The findings about coffee are preliminary.",
            "hedges",
        ),
        (
            "Proof: the mayor officially resigned",
            "The mayor denied reports that he had resigned. He said he would serve "
            "out his term.",
            "denies",
        ),
    ],
    ids=["hedges", "denies"],
)
def test_certainty_not_backed(checker, headline, body, role):
    result = checker.check(headline, body)
    certainty = reason(result, "certainty_not_backed")
    assert certainty["weight"] > 0
    said = {"hedges": "only hedges", "denies": "contradicts it"}[role]
    assert f"but the article {said}" in certainty["message"]


def test_certainty_backed_by_the_body_is_not_reported(checker):
    result = checker.check(
        "Council officially confirms budget cut",
        "The council confirmed on Tuesday that the budget will be cut by 5 percent.",
    )
    assert "certainty_not_backed" not in codes(result)


@pytest.mark.parametrize(
    ("stance", "code", "role", "raises"),
    [
        ("disagree", "body_contradicts", "contradicts", True),
        ("agree", "body_supports", "supports", False),
        ("discuss", "body_discusses", "discusses", False),
    ],
)
def test_stance_findings(checker, stance, code, role, raises):
    features = checker.model.features_
    b = features.body_doc(RUSSIA_BODY)
    h = features.headline_doc("Russia sends troops to the NATO border")
    similarity = features.sentence_similarity(h, b)[: len(b.sentences)]
    p = {"agree": 0.05, "disagree": 0.05, "discuss": 0.05, stance: 0.85}
    finding = BodyChecker._stance_finding(stance, p, h, b, similarity)
    assert finding.code == code
    assert finding.role == role
    assert (checker.weight(finding) > 0) == raises
    if stance == "disagree":  # the relevant sentence that restates and denies
        assert finding.sentences[0] == KREMLIN_SENTENCE


def test_disagree_without_a_denying_sentence_raises_nothing(checker):
    features = checker.model.features_
    body = "Russia sent troops to the NATO border on Monday. They arrived by train."
    b = features.body_doc(body)
    h = features.headline_doc("Russia sends troops to the NATO border")
    similarity = features.sentence_similarity(h, b)[: len(b.sentences)]
    p = {"agree": 0.05, "disagree": 0.85, "discuss": 0.05, "unrelated": 0.05}
    finding = BodyChecker._stance_finding("disagree", p, h, b, similarity)
    assert finding.sentences == ()
    assert checker.weight(finding) == 0.0


# -- the result --------------------------------------------------------------------


@pytest.mark.parametrize(
    "headline",
    [RUSSIA_HEADLINE, "Putin warns NATO against sending troops to Ukraine"],
)
def test_result_shape(checker, headline):
    result = checker.check(headline, RUSSIA_BODY)
    # RUSSIA_BODY has 50 words: checked, unless the small model finds it unrelated.
    assert result["status"] in ("checked", "could_not_check")
    assert result["stance"] in STANCES
    assert set(result["probabilities"]) == set(STANCES)
    assert sum(result["probabilities"].values()) == pytest.approx(1.0, abs=1e-3)
    assert -1.0 <= result["support"] <= 1.0
    weights = [r["weight"] for r in result["reasons"]]
    assert weights == sorted(weights, reverse=True)
    assert all(w >= 0 for w in weights)
    assert result["weight"] == pytest.approx(sum(weights), abs=1e-3)
    assert all(set(r) == {"code", "message", "weight"} for r in result["reasons"])
    for item in result["evidence"]:
        assert set(item) == {"sentence", "role"}
        assert item["sentence"] in " ".join(RUSSIA_BODY.split())


def test_only_quoted_findings_raise(checker):
    result = checker.check(RUSSIA_HEADLINE, RUSSIA_BODY)
    raising = [r for r in result["reasons"] if r["weight"] > 0]
    assert raising
    for r in raising:
        assert any(
            f'"{e["sentence"]}"' in r["message"] for e in result["evidence"]
        ) or (r["message"].endswith("in the sentence quoted above."))


def test_no_sentence_is_quoted_twice(checker):
    result = checker.check(RUSSIA_HEADLINE, RUSSIA_BODY)
    sentences = [e["sentence"] for e in result["evidence"]]
    assert len(sentences) == len(set(sentences))
    for sentence in sentences:
        quoted = [r for r in result["reasons"] if f'"{sentence}"' in r["message"]]
        assert len(quoted) == 1


def test_verdict_reason_and_quote_agree(checker):
    result = checker.check(RUSSIA_HEADLINE, RUSSIA_BODY)
    first = result["reasons"][0]["message"]
    # The verdict is the first reason without its quote; the quote leads the evidence.
    assert first.startswith(result["verdict"][:-1])
    assert first.endswith(f'"{result["evidence"][0]["sentence"]}"')


def test_weight_is_higher_when_the_body_answers_no(checker):
    answered = checker.check(RUSSIA_HEADLINE, RUSSIA_BODY)
    sober = checker.check(
        "Russia denies plans to deploy troops to the border", RUSSIA_BODY
    )
    assert answered["weight"] > sober["weight"] == 0.0


def test_a_body_unrelated_to_its_headline_could_not_be_checked(checker, fnc_pairs):
    # An FNC-1 body under a headline of another story, long enough to be checked.
    body = next(
        b for _, b in fnc_pairs.pairs if "ebola" in b.lower() and len(b.split()) > 300
    )
    result = checker.check("Is the euro officially about to collapse?", body)
    assert result["stance"] == "unrelated"
    assert result["status"] == "could_not_check"
    assert "could not check" in result["status_message"].lower()
    assert result["weight"] == 0.0
    assert result["evidence"] == []
    assert "not about what the headline says" not in json.dumps(result)


def test_a_short_teaser_that_answers_the_question_still_counts(checker):
    teaser = "The Elm Street library is not closing, the council said on Monday."
    result = checker.check("Is the Elm Street library closing for good?", teaser)
    assert result["status"] == "short"
    assert "50 words" in result["status_message"]
    assert reason(result, "question_answered")["weight"] > 0


@pytest.mark.parametrize("body", ["", "   \n\t  "], ids=["empty", "whitespace"])
def test_empty_body(checker, body):
    result = checker.check(RUSSIA_HEADLINE, body)
    assert result["status"] == "could_not_check"
    assert result["evidence"] == []
    assert result["weight"] == 0.0
    assert codes(result) == {"could_not_check"}


def test_empty_headline_is_refused(checker):
    with pytest.raises(ValueError, match="empty"):
        checker.check("  ", RUSSIA_BODY)


def test_huge_body_is_cut_to_the_documented_limit(checker):
    body = RUSSIA_BODY + " " + "Troops moved along the border again. " * 55_000
    assert len(body) > 2_000_000
    assert len(truncate_words(body).split()) == MAX_BODY_WORDS
    result = checker.check(RUSSIA_HEADLINE, body)
    assert result["stance"] in STANCES
    assert all(len(e["sentence"]) <= 300 for e in result["evidence"])


def test_long_evidence_is_trimmed(checker):
    sentence = "The Kremlin said it has no plans to deploy troops " + "and " * 200
    result = checker.check(RUSSIA_HEADLINE, sentence.strip() + ".")
    assert result["evidence"]
    assert all(len(e["sentence"]) <= 300 for e in result["evidence"])


def test_markup_is_read_as_text(checker):
    body = (
        "<script>alert('x')</script> The Kremlin said it has <b>no plans</b> to "
        "deploy troops. <img src=x onerror=alert(1)> Russia is not at war with NATO."
    )
    result = checker.check(RUSSIA_HEADLINE, body)
    answered = reason(result, "question_answered")["message"]
    assert "<img src=x onerror=alert(1)> Russia is not at war with NATO." in answered
    assert all("<" not in e["role"] for e in result["evidence"])


# -- text tools --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith went to Washington. He left.", 2),
        ("J. K. Rowling spoke in the U.S. on Friday at 3 p.m. today.", 1),
        ("Prices rose 3.5 percent. No. 1 was Apple.", 2),
        ("The answer is no. It was never true.", 2),
        ('He said "we will." Then he left!\nNew paragraph? Yes.', 4),
        ("Wait... it is fine.", 1),
    ],
)
def test_split_sentences(text, expected):
    assert len(split_sentences(text)) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [("denies", "denied"), ("confirms", "confirming"), ("troops", "troop")],
)
def test_stems_meet(a, b):
    assert stem(a) == stem(b)


@pytest.mark.parametrize(
    ("headline", "question"),
    [
        (RUSSIA_HEADLINE, "Is Russia officially entering war with NATO?"),
        ("Breaking: Can cats see ghosts?", "Can cats see ghosts?"),
        ("What is the Kremlin planning?", None),
        ("Kremlin confirms troops at border", None),
    ],
)
def test_yes_no_question(headline, question):
    assert yes_no_question(headline) == question


def test_headline_names():
    names = headline_names("Apple CEO Tim Cook confirms the iPhone will fold in Paris")
    assert names == [["Apple", "CEO", "Tim", "Cook"], ["Paris"]]
    # The first word of a sentence-case headline is no name of itself.
    assert headline_names("Scientists say the iPhone will fold") == []


# -- training, metrics and the artifact --------------------------------------------


def test_fnc_score():
    truth = ["agree", "unrelated", "discuss", "disagree"]
    assert fnc_score(truth, truth) == 1.0
    # Related-vs-unrelated right for all but the disagree row, no stance right.
    predicted = ["discuss", "unrelated", "agree", "unrelated"]
    assert fnc_score(truth, predicted) == pytest.approx((0.25 * 3) / 3.25)


def test_measure_reports_the_challenge_figures():
    truth = ["agree", "disagree", "discuss", "unrelated"]
    proba = np.eye(4)
    metrics = measure_stance(truth, proba)
    assert metrics["related_vs_unrelated_roc_auc"] == 1.0
    assert metrics["disagree_vs_agree_roc_auc"] == 1.0
    assert metrics["fnc_relative_score"] == 1.0
    assert (
        metrics["confusion_matrix"]["rows_true_columns_predicted"]
        == np.eye(4, dtype=int).tolist()
    )


def test_stories_join_bodies_through_headlines():
    groups = story_ids(
        ["h1", "h1", "h2", "h3"],
        ["b1", "b2", "b3", "b1"],
        ["agree", "discuss", "agree", "unrelated"],
    )
    assert groups[0] == groups[1] == groups[3] != groups[2]


def test_duplicates_are_dropped(fnc_pairs):
    assert fnc_pairs.duplicates_dropped > 0
    rows = list(
        zip(fnc_pairs.pairs, fnc_pairs.body_ids, fnc_pairs.stances, strict=True)
    )
    assert len(set(rows)) == len(rows)


def test_round_trip_and_determinism(stance_artifact_dir, checker, fnc_pairs, tmp_path):
    X = fnc_pairs.pairs[:50]
    saved = artifacts.save(checker.model, {"note": "copy"}, STANCE, tmp_path)
    again = BodyChecker.load(tmp_path)
    assert again.version == saved["version"]
    np.testing.assert_array_equal(
        checker.model.predict_proba(X), again.model.predict_proba(X)
    )
    assert again.check(RUSSIA_HEADLINE, RUSSIA_BODY) == checker.check(
        RUSSIA_HEADLINE, RUSSIA_BODY
    )


@pytest.mark.slow
def test_fit_is_deterministic(fnc_pairs):
    X, y = fnc_pairs.pairs[::40], fnc_pairs.stances[::40]
    first = StanceClassifier(**SMALL_PARAMETERS).fit(X, y).predict_proba(X[:200])
    second = StanceClassifier(**SMALL_PARAMETERS).fit(X, y).predict_proba(X[:200])
    np.testing.assert_array_equal(first, second)


def test_tampered_artifact_is_refused(stance_artifact_dir, tmp_path):
    for path in artifacts.paths(STANCE, stance_artifact_dir):
        shutil.copy(path, tmp_path / path.name)
    model_path, _ = artifacts.paths(STANCE, tmp_path)
    blob = bytearray(model_path.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    model_path.write_bytes(bytes(blob))
    with pytest.raises(artifacts.ArtifactError, match="tampered"):
        BodyChecker.load(tmp_path)


def test_an_artifact_of_another_kind_is_refused(tmp_path):
    artifacts.save({"not": "a model"}, {}, STANCE, tmp_path)
    with pytest.raises(artifacts.ArtifactError, match="dict"):
        BodyChecker.load(tmp_path)


@pytest.mark.slow
def test_train_stance_on_a_small_corpus(fnc_pairs, tmp_path, small_artifact_dir):
    """The whole command on a few stories' rows: folds, metrics, metadata."""
    source = data.DEFAULT_DATA_DIR / "fnc1"
    folder = tmp_path / "data" / "fnc1"
    folder.mkdir(parents=True)
    shutil.copy(source / "train_bodies.csv", folder)
    with open(source / "train_stances.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    with open(folder / "train_stances.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows[:1] + rows[1::40])
    lines = []
    metadata = train_stance(
        tmp_path / "data",
        tmp_path / "out",
        log=lines.append,
        n_splits=3,
        parameters=SMALL_PARAMETERS,
    )
    assert any("fold 3/3" in line for line in lines)
    cv = metadata["metrics"]["cross_validation"]
    assert cv["related_vs_unrelated_roc_auc"] > 0.9
    assert set(cv["f1"]) == set(STANCES)
    assert metadata["training_data"]["fnc1"]["train_stances.csv_sha256"]
    assert metadata["parameters"]["max_iter"] == SMALL_PARAMETERS["max_iter"]
    # The evidence weights, fitted out of fold, travel in the artifact.
    assert set(metadata["evidence_weights"]) == set(EVIDENCE)
    assert all(w >= 0 for w in metadata["evidence_weights"].values())
    combined = metadata["metrics"]["combination"]
    assert 0 <= combined["false_alarm_rate"] <= 1
    assert combined["fair_pairs"] > 0
    loaded = BodyChecker.load(tmp_path / "out")
    assert loaded.version == metadata["version"]
    assert loaded.weights == metadata["evidence_weights"]

    # `evaluate` reports the stance model's figures and holds them to floors.
    for path in artifacts.paths(artifacts.HEADLINE, small_artifact_dir):
        shutil.copy(path, tmp_path / "out" / path.name)
    floors = tmp_path / "floors.json"
    floors.write_text(
        json.dumps({"min": {"stance.related_vs_unrelated_roc_auc": 0.9999}})
    )
    result = CliRunner().invoke(
        main,
        [
            "evaluate",
            "--artifact-dir",
            str(tmp_path / "out"),
            "--report-dir",
            str(tmp_path / "report"),
            "--floors",
            str(floors),
        ],
    )
    assert result.exit_code == 1, result.output
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    assert (
        report["metrics"]["stance"]["disagree_vs_agree_roc_auc"]
        == (cv["disagree_vs_agree_roc_auc"])
    )
    assert report["failures"][0].startswith("stance.related_vs_unrelated_roc_auc")


def test_train_chooses_the_model(monkeypatch, tmp_path):
    calls = []
    recorded = artifacts.read_artifact_metadata(STANCE)

    def fake_stance(*args, **kwargs):
        calls.append("stance")
        return recorded  # gated against the live folder like a real candidate

    monkeypatch.setattr("model.training.stance.train_stance", fake_stance)
    monkeypatch.setattr(
        "model.training.headline.train", lambda *a, **k: calls.append("headline")
    )
    for which in ("stance", "headline", "all"):
        # An empty live folder: nothing to gate against, which --force accepts.
        args = ["train", "--model", which, "--artifact-dir", str(tmp_path), "--force"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    assert calls == ["stance", "headline", "headline", "stance"]


def test_a_model_fitted_on_other_features_is_refused(checker):
    # Columns are read by position: a model from before a feature was added would
    # otherwise load, and answer wrongly.
    model = checker.model
    check_feature_count(model, model.related_.n_features_in_)
    with pytest.raises(ValueError, match="retrain it"):
        check_feature_count(model, model.related_.n_features_in_ + 1)


def test_committed_artifact_answers_the_question():
    checker = BodyChecker.load()
    result = checker.check(RUSSIA_HEADLINE, RUSSIA_BODY)
    assert "question_answered" in codes(result)
    model_path, _ = artifacts.paths(STANCE)
    assert model_path.stat().st_size < 10 * 1024 * 1024
    cv = checker.metadata["metrics"]["cross_validation"]
    assert cv["related_vs_unrelated_roc_auc"] > 0.98


def test_fast_path_equals_the_estimator(checker, fnc_pairs):
    """BodyChecker's compiled trees and scorer give predict_proba's numbers."""
    model, features = checker.model, checker.model.features_
    X = fnc_pairs.pairs[:300:3]
    expected = model.predict_proba(X)
    fast = [
        checker.probabilities(features.headline_doc(h), features.body_doc(b))
        for h, b in X
    ]
    np.testing.assert_allclose(fast, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("headline", "names"),
    [
        ("Breaking News: Tim Cook quits", [["Tim", "Cook"]]),  # kicker skipped
        ("Man bites dog (GRAPHIC PICTURES)", []),  # aside in brackets
        ("Son Pays Off His Parents' Mortgage", []),  # Title Case: no runs
        ("Son Pays Off NASA Mortgage", [["NASA"]]),  # ... but acronyms
        ("'Sex attacker' jailed in India", [["India"]]),  # quote opens a clause
    ],
)
def test_names_skip_what_is_not_a_name(headline, names):
    assert headline_names(headline) == names


@pytest.mark.parametrize(
    ("sentence", "answer"),
    [
        ("The Kremlin has no plans to deploy troops.", "no"),
        ("The ministry issued a statement denying the reports.", "no"),
        ("He has not been seen in public, leading to rumours of illness.", None),
        ("The council confirmed it will close the library.", "yes"),
        ("The council confirmed it will not close the library.", "no"),
        ("The weather was mild on Tuesday.", None),
    ],
)
def test_answer_of(sentence, answer):
    assert answer_of(words(sentence)) == answer


@pytest.mark.parametrize(
    "headline",
    [
        "You Won't Believe What This Council Did With Your Parking Fines",
        "Council spent £2.3 million of parking fines on car parks and bus passes",
    ],
    ids=["bait", "sober"],
)
def test_committed_model_does_not_read_bait_as_a_denial(headline):
    # FNC-1's disagreeing headlines often negate ("No, X didn't ..."); a reader's
    # "You Won't Believe ..." over a plain article must not read as disputed.
    from backend.pages.extract import extract

    pages = Path(__file__).resolve().parents[2] / "extension" / "pages"
    page = (pages / "dailybuzz.parking-fines-shock.html").read_text()
    body = extract(page, "https://dailybuzz.example/parking").body
    result = BodyChecker.load().check(headline, body)
    assert result["stance"] != "disagree"
    assert result["probabilities"]["disagree"] < 0.3
