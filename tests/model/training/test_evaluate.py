import json

import pytest

from backend.cli import main
from model.training.evaluate import (
    check_floors,
    pair_metrics,
    sentence_case,
    title_case,
)

METRICS = {"a": {"x": 0.9}, "b": {"y": 3}}


@pytest.mark.parametrize(
    ("floors", "failures"),
    [
        ({"min": {"a.x": 0.8}, "max": {"b.y": 5}}, 0),
        ({"min": {"a.x": 0.95}}, 1),
        ({"min": {"a.x": 0.95}, "max": {"b.y": 2}}, 2),
    ],
    ids=["above", "one below", "below and above"],
)
def test_check_floors(floors, failures):
    assert len(check_floors(METRICS, floors)) == failures


def test_case_helpers():
    assert title_case("US troops don't leave") == "US Troops Don't Leave"
    assert sentence_case("US Troops Don't Leave") == "US troops don't leave"


def test_pair_metrics():
    pairs = [
        {"kind": "sensational_vs_sober", "sensational": "s", "sober": "o"},
        {"kind": "equally_sober", "a": "a", "b": "b"},
    ]
    probs = {"s": 0.9, "o": 0.1, "a": 0.1, "b": 0.3}

    def predict(texts):
        return [probs[t] for t in texts]

    out = pair_metrics(predict, pairs)
    assert out["sensational_higher"] == 1.0
    assert out["sober_within_15"] == 0.0  # 10 vs 30 points


@pytest.mark.parametrize(
    ("floor", "exit_code"), [(0.5, 0), (0.9999, 1)], ids=["passes", "refuses"]
)
def test_evaluate_command_gate(runner, small_artifact_dir, tmp_path, floor, exit_code):
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"min": {"stop_clickbait.accuracy": floor}}))
    report = tmp_path / "report"
    result = runner.invoke(
        main,
        [
            "evaluate",
            "--artifact-dir",
            str(small_artifact_dir),
            "--report-dir",
            str(report),
            "--floors",
            str(floors),
        ],
    )
    assert result.exit_code == exit_code, result.output
    written = json.loads((report / "report.json").read_text())
    assert len(written["failures"]) == exit_code
    for name in ("roc", "pr", "calibration", "confusion"):
        assert (report / f"{name}.png").stat().st_size > 1000
