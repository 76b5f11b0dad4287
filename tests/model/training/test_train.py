"""Retraining: reproducible, folds in reviewed feedback, staged and gated.

The two full training runs here take a few minutes (marked slow).
"""

import json
import shutil

import pytest

from backend.cli import main
from model import artifacts
from model.training import data, pairs
from model.training.headline import (
    evaluation_headlines,
    feedback_rows,
    split_feedback,
    train,
)

TOLERANCE = 0.002


@pytest.fixture
def committed_copy(tmp_path):
    directory = tmp_path / "artifacts"
    directory.mkdir()
    for path in artifacts.paths(artifacts.HEADLINE):
        shutil.copy(path, directory / path.name)
    return directory


@pytest.mark.slow
def test_retraining_reproduces_committed_metrics(committed_copy, tmp_path):
    committed = artifacts.read_artifact_metadata()
    fresh = train(
        data.DEFAULT_DATA_DIR,
        tmp_path / "stage",
        C=committed["parameters"]["C"],
        log=lambda *_: None,
        live_dir=committed_copy,
    )  # the gate passes: the same model is no worse than itself
    assert fresh["gate"]["passed"] is True
    for dataset in ("stop_clickbait", "webis"):
        for metric in ("accuracy", "roc_auc", "brier"):
            assert fresh["metrics"][dataset][metric] == pytest.approx(
                committed["metrics"][dataset][metric], abs=TOLERANCE
            ), (dataset, metric)
    assert fresh["parameters"]["temperature"] == pytest.approx(
        committed["parameters"]["temperature"], abs=0.01
    )
    assert (
        fresh["training_data"]["stop_clickbait"]["sha256"]
        == committed["training_data"]["stop_clickbait"]["sha256"]
    )


@pytest.mark.slow
def test_a_worse_model_is_staged_refused_and_not_published(
    committed_copy, tmp_path, runner
):
    _, meta_path = artifacts.paths(artifacts.HEADLINE, committed_copy)
    meta = json.loads(meta_path.read_text())
    meta["metrics"]["webis"]["roc_auc"] = 0.99  # a bar no retraining can reach
    meta_path.write_text(json.dumps(meta))
    live_before = sorted((p.name, p.read_bytes()) for p in committed_copy.iterdir())
    export = tmp_path / "feedback.jsonl"
    export.write_text(
        json.dumps(
            {
                "headline": "Is the euro doomed?",
                "verdict": "too_low",
                "score_seen": 20,
                "reviewed": "accepted",
            }
        )
        + "\n"
    )
    stage = tmp_path / "stage"
    dirs = ["--artifact-dir", str(committed_copy), "--stage-dir", str(stage)]
    result = runner.invoke(main, ["train", *dirs, "--feedback", str(export)])
    assert result.exit_code == 1
    assert "feedback: 1 accepted rows" in result.output
    assert "webis.roc_auc" in result.output and "REFUSED" in result.output
    assert "== stance model" not in result.output  # headline only, by default
    assert artifacts.paths(artifacts.HEADLINE, stage)[0].exists()
    result = runner.invoke(main, ["publish", *dirs])
    assert result.exit_code == 1 and "did not pass the gate" in result.output
    after = sorted((p.name, p.read_bytes()) for p in committed_copy.iterdir())
    assert after == live_before


def test_training_never_stages_into_the_live_folder(runner, tmp_path):
    result = runner.invoke(
        main, ["train", "--artifact-dir", str(tmp_path), "--stage-dir", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "must not be the live --artifact-dir" in result.output


def test_publish_with_nothing_staged_says_so(runner, tmp_path):
    result = runner.invoke(
        main,
        [
            "publish",
            "--artifact-dir",
            str(tmp_path),
            "--stage-dir",
            str(tmp_path / "s"),
        ],
    )
    assert result.exit_code == 1 and "nothing is staged" in result.output


def test_publish_over_a_broken_live_manifest_is_a_message(runner, tmp_path):
    import shutil

    from model import artifacts

    stage = tmp_path / "s"
    stage.mkdir()
    for path in artifacts.paths(artifacts.HEADLINE):
        shutil.copy(path, stage / path.name)
    artifacts.manifest_path(tmp_path).write_text("{not json")
    result = runner.invoke(
        main, ["publish", "--artifact-dir", str(tmp_path), "--stage-dir", str(stage)]
    )
    assert result.exit_code == 1, result.output
    assert "is not JSON" in result.output
    assert "Traceback" not in result.output and result.exception is not None
    assert isinstance(result.exception, SystemExit)


def test_feedback_on_evaluation_headlines_is_left_out():
    corpus = data.load_stop_clickbait(data.DEFAULT_DATA_DIR)
    _, held_out = data.split_held_out(corpus)
    evaluation = evaluation_headlines(data.DEFAULT_DATA_DIR, held_out)
    webis = data.load_webis(data.DEFAULT_DATA_DIR).texts[0]
    pair = data.load_pairs()[0]
    pair_headline = pair.get("sensational") or pair.get("a")
    by_rule = next(
        t
        for t in (f"Mayor opens bridge number {n}" for n in range(100))
        if data.is_held_out(t)
    )
    held_back = next(
        t
        for t in (f"Mayor opens tunnel number {n}" for n in range(100))
        if data.is_held_back(t)
    )
    upworthy = next(
        p
        for p in pairs.load("upworthy", data.DEFAULT_DATA_DIR, blind=False)
        if pairs.is_held_out(p.group)
    )
    kept = next(
        t
        for t in (f"Council approves budget for library {n}" for n in range(100))
        if not data.is_held_out(t) and not data.is_held_back(t)
    )
    texts = [
        held_out.texts[0].upper(),  # case and spacing do not hide a headline
        "  " + webis + " ",
        pair_headline,
        by_rule,
        held_back,
        upworthy.lower,
        kept,
    ]
    trained, labels, left_out = split_feedback(texts, [1, 0, 1, 0, 1, 0, 1], evaluation)
    assert (trained, labels) == ([kept], [1])
    assert left_out == {
        "stop_clickbait held out": 1,
        "webis titles": 1,
        "hand-judged pairs": 1,
        "same-story held-out stories": 1,
        "held-out split rule": 1,
        "maintainers' held-back rule": 1,
    }


def test_feedback_rows_take_accepted_rows_only(tmp_path):
    rows = [
        {
            "headline": "A",
            "verdict": "too_high",
            "score_seen": 90,
            "reviewed": "accepted",
        },
        {
            "headline": "B",
            "verdict": "too_low",
            "score_seen": 10,
            "reviewed": "accepted",
        },
        {
            "headline": "C",
            "verdict": "about_right",
            "score_seen": 75,
            "reviewed": "accepted",
        },
        {
            "headline": "D",
            "verdict": "about_right",
            "score_seen": 20,
            "reviewed": "accepted",
        },
        {"headline": "E", "verdict": "too_high", "score_seen": 90, "reviewed": None},
        {
            "headline": "F",
            "verdict": "too_low",
            "score_seen": 5,
            "reviewed": "rejected",
        },
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert feedback_rows(path) == (["A", "B", "C", "D"], [0, 1, 1, 0])


def test_feedback_export_and_review(runner, tmp_path):
    from backend.feedback import migrate_once, open_store

    db = tmp_path / "feedback.sqlite3"
    store = open_store({"FEEDBACK_DB_PATH": str(db), "FEEDBACK_DATABASE_URL": None})
    migrate_once(store)
    record = {
        "url": "https://example.com/a",
        "headline": "Is this it?",
        "score_seen": 80,
        "verdict": "too_high",
        "note": None,
    }
    first = store.add(record, model_version="headline-test")
    store.add({**record, "verdict": "about_right"}, model_version="headline-test")
    store.close()

    result = runner.invoke(
        main, ["feedback", "review", str(first), "accepted", "--db-path", str(db)]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        main, ["feedback", "export", "--reviewed", "accepted", "--db-path", str(db)]
    )
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["id"], r["reviewed"]) for r in lines] == [(first, "accepted")]
    result = runner.invoke(
        main, ["feedback", "review", "999", "accepted", "--db-path", str(db)]
    )
    assert result.exit_code == 1
