"""Retraining: reproducible, folds in reviewed feedback, gated against the last model.

The two full training runs here take a few minutes (marked slow).
"""

import json
import shutil

import pytest

from backend.cli import main
from model import artifacts
from model.training import data
from model.training.headline import GATE_TOLERANCE, feedback_rows, gate, train

TOLERANCE = 0.002


@pytest.fixture
def committed_copy(tmp_path):
    directory = tmp_path / "artifacts"
    directory.mkdir()
    for path in artifacts.paths(artifacts.HEADLINE):
        shutil.copy(path, directory / path.name)
    return directory


@pytest.mark.slow
def test_retraining_reproduces_committed_metrics(committed_copy):
    committed = artifacts.read_artifact_metadata()
    fresh = train(
        data.DEFAULT_DATA_DIR,
        committed_copy,
        C=committed["parameters"]["C"],
        log=lambda *_: None,
    )  # the gate passes: the same model is no worse than itself
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
def test_a_worse_model_is_not_written(committed_copy, tmp_path, runner):
    _, meta_path = artifacts.paths(artifacts.HEADLINE, committed_copy)
    meta = json.loads(meta_path.read_text())
    meta["metrics"]["webis"]["roc_auc"] = 0.99  # a bar no retraining can reach
    meta_path.write_text(json.dumps(meta))
    model_path, _ = artifacts.paths(artifacts.HEADLINE, committed_copy)
    before = model_path.read_bytes()
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
    result = runner.invoke(
        main,
        ["train", "--artifact-dir", str(committed_copy), "--feedback", str(export)],
    )
    assert result.exit_code == 1
    assert "feedback: 1 accepted rows" in result.output
    assert "webis.roc_auc" in result.output and "not written" in result.output
    assert model_path.read_bytes() == before


def test_gate_lists_what_got_worse():
    committed = {
        "stop_clickbait": {"accuracy": 0.98, "roc_auc": 0.99},
        "webis": {"roc_auc": 0.70},
        "pairs": {"sensational_higher": 0.9, "sober_within_15": 0.9},
    }
    same = json.loads(json.dumps(committed))
    assert gate(same, committed) == []
    noisy = json.loads(json.dumps(committed))
    noisy["webis"]["roc_auc"] -= GATE_TOLERANCE / 2
    assert gate(noisy, committed) == []
    worse = json.loads(json.dumps(committed))
    worse["webis"]["roc_auc"] = 0.65
    worse["pairs"]["sober_within_15"] = 0.8
    failures = gate(worse, committed)
    assert len(failures) == 2 and "webis.roc_auc" in failures[0]


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
