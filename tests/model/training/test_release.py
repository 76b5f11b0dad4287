"""Stage, gate, publish: a candidate goes live only whole, checked and no worse."""

import json
import shutil

import pytest

from model import artifacts
from model.scoring import Scorer
from model.training import gate, release


def copy_model(source, target, name=artifacts.HEADLINE):
    target.mkdir(parents=True, exist_ok=True)
    for path in artifacts.paths(name, source):
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture
def live(small_artifact_dir, tmp_path):
    return copy_model(small_artifact_dir, tmp_path / "live")


def stage_variant(live_dir, stage_dir, temperature=3.0, worse=None) -> dict:
    """Stage another model (the live one at another temperature), with the live
    model's figures, or figures made worse by ``worse(metrics)``."""
    pipeline, metadata = artifacts.load(artifacts.HEADLINE, live_dir)
    pipeline.set_params(classifier__temperature=temperature)
    metrics = json.loads(json.dumps(metadata["metrics"]))
    if worse is not None:
        worse(metrics)
    return artifacts.save(pipeline, {"metrics": metrics}, artifacts.HEADLINE, stage_dir)


def test_publish_puts_a_versioned_pair_live_and_clears_the_stage(live, tmp_path):
    stage = tmp_path / "stage"
    old = artifacts.read_artifact_metadata(artifacts.HEADLINE, live)["version"]
    new = stage_variant(live, stage)["version"]
    said = []
    manifest = release.publish(stage, live, say=said.append)
    entry = manifest["models"]["headline"]
    assert entry["version"] == new
    assert entry["model"] == f"published/{new}.joblib"
    assert (live / entry["model"]).is_file() and (live / entry["metadata"]).is_file()
    assert manifest["previous"] == {"headline": old}
    assert manifest["gate"]["headline"]["passed"] is True
    assert Scorer.load(live).version == new
    assert artifacts.read_artifact_metadata(artifacts.HEADLINE, live)["version"] == new
    assert release.staged(stage) == []
    assert any("live " + old in line for line in said)  # the comparison table


def test_a_worse_candidate_is_refused_and_nothing_changes(live, tmp_path):
    stage = tmp_path / "stage"

    def worse(metrics):
        metrics["webis"]["roc_auc"] -= 0.05

    stage_variant(live, stage, worse=worse)
    before = sorted(p.name for p in live.iterdir())
    with pytest.raises(release.PublishRefused, match="headline did not pass"):
        release.publish(stage, live, say=lambda _: None)
    assert sorted(p.name for p in live.iterdir()) == before
    assert release.staged(stage) == ["headline"]  # kept, for a look


def test_an_empty_target_is_not_a_pass(live, tmp_path):
    stage, empty = tmp_path / "stage", tmp_path / "empty"
    empty.mkdir()
    version = stage_variant(live, stage)["version"]
    said = []
    with pytest.raises(release.PublishRefused):
        release.publish(stage, empty, say=said.append)
    assert "NO LIVE HEADLINE MODEL" in "\n".join(said)
    assert not artifacts.manifest_path(empty).exists()
    manifest = release.publish(stage, empty, force=True, say=lambda _: None)
    assert manifest["gate"]["headline"] == {
        "against": None,
        "passed": False,
        "failures": [],
        "forced": True,
    }
    assert Scorer.load(empty).version == version


def test_a_staged_file_that_fails_its_digest_is_not_published(live, tmp_path):
    stage = tmp_path / "stage"
    stage_variant(live, stage)
    model_path, _ = artifacts.paths(artifacts.HEADLINE, stage)
    model_path.write_bytes(model_path.read_bytes()[:-10])
    with pytest.raises(release.PublishRefused, match="tampered"):
        release.publish(stage, live, say=lambda _: None)
    assert not artifacts.manifest_path(live).exists()


def test_publishing_one_model_keeps_the_other_live(live, tmp_path, small_artifact_dir):
    # A plain folder with both models: the stance pair is the committed one.
    copy_model(artifacts.ARTIFACT_DIR, live, artifacts.STANCE)
    stance_version = artifacts.read_artifact_metadata(artifacts.STANCE)["version"]
    stage = tmp_path / "stage"
    stage_variant(live, stage)
    manifest = release.publish(stage, live, say=lambda _: None)
    assert manifest["models"]["stance"]["version"] == stance_version
    assert manifest["models"]["stance"]["model"].startswith("published/")
    # A second publish keeps the stance entry as it was.
    stage_variant(live, stage, temperature=4.0)
    again = release.publish(stage, live, say=lambda _: None)
    assert again["models"]["stance"] == manifest["models"]["stance"]
    assert again["previous"]["headline"] == manifest["models"]["headline"]["version"]


@pytest.mark.parametrize(
    "manifest",
    [
        {"models": {"headline": {"model": "../x.joblib", "metadata": "x.json"}}},
        {"models": {"headline": {"model": "/etc/x.joblib", "metadata": "x.json"}}},
        {"nothing": 1},
    ],
    ids=["up-and-out", "absolute", "no-models"],
)
def test_a_manifest_that_points_elsewhere_is_refused(live, manifest):
    artifacts.manifest_path(live).write_text(json.dumps(manifest))
    with pytest.raises(artifacts.ArtifactError):
        artifacts.load(artifacts.HEADLINE, live)


def test_a_manifest_naming_another_version_than_its_file_is_refused(live, tmp_path):
    stage = tmp_path / "stage"
    stage_variant(live, stage)
    manifest = release.publish(stage, live, say=lambda _: None)
    manifest["models"]["headline"]["version"] = "headline-000000000000"
    artifacts.manifest_path(live).write_text(json.dumps(manifest))
    with pytest.raises(artifacts.ArtifactError, match="publishes headline-0000"):
        artifacts.load(artifacts.HEADLINE, live)


def test_a_published_stance_model_that_is_missing_is_not_skipped(live, tmp_path):
    from model.scoring import Scorer

    stage = tmp_path / "stage"
    stage_variant(live, stage)
    manifest = release.publish(stage, live, say=lambda _: None)
    manifest["models"]["stance"] = {
        "model": "published/stance-000000000000.joblib",
        "metadata": "published/stance-000000000000.json",
        "version": "stance-000000000000",
    }
    artifacts.manifest_path(live).write_text(json.dumps(manifest))
    with pytest.raises(artifacts.ArtifactError, match="names a stance model"):
        Scorer.load(live)


# The gate's tolerances.

LIVE = artifacts.read_artifact_metadata(artifacts.HEADLINE)["metrics"]


def moved(metric: str, by: float, metrics=LIVE) -> dict:
    out = json.loads(json.dumps(metrics))
    *path, last = metric.split(".")
    node = out
    for part in path:
        node = node[part]
    node[last] += by
    return out


@pytest.mark.parametrize(
    ("metric", "by", "refused"),
    [
        ("pairs.sensational_higher", -1 / 60, False),
        ("pairs.sensational_higher", -3 / 60, True),
        ("pairs.sober_within_15", -1 / 40, False),
        ("stop_clickbait.accuracy", -0.002, False),
        ("stop_clickbait.accuracy", -0.01, True),
        ("webis.roc_auc", -0.01, False),
        ("webis.roc_auc", -0.05, True),
        ("webis.roc_auc", +0.05, False),
    ],
    ids=[
        "one-pair",
        "three-pairs",
        "one-sober-pair",
        "accuracy-within-noise",
        "accuracy-beyond",
        "webis-within-noise",
        "webis-beyond",
        "better",
    ],
)
def test_tolerances_are_sized_to_each_sets_noise(metric, by, refused):
    rows = gate.compare("headline", moved(metric, by), LIVE)
    assert bool(gate.refusals(rows)) is refused


def test_no_tolerance_is_under_one_item_of_its_set():
    for gated in gate.GATED["headline"]:
        n, _, _ = gated.counts(LIVE)
        assert gate.tolerance(gated, LIVE) >= 1 / n


def test_one_pair_less_than_a_perfect_score_is_within_one_item():
    perfect = json.loads(json.dumps(LIVE))
    perfect["pairs"]["sensational_higher"] = 1.0  # 60 of 60: one SE is 0
    n = perfect["pairs"]["n_sensational_vs_sober"]
    one_less = moved("pairs.sensational_higher", -1 / n, perfect)
    two_less = moved("pairs.sensational_higher", -2 / n, perfect)
    assert gate.refusals(gate.compare("headline", one_less, perfect)) == []
    assert gate.refusals(gate.compare("headline", two_less, perfect))


def test_the_stance_model_is_gated_on_its_recorded_figures():
    live = artifacts.read_artifact_metadata(artifacts.STANCE)["metrics"]
    assert gate.refusals(gate.compare("stance", live, live)) == []
    alarms = moved("combination.false_alarm_rate", +0.02, live)
    (failure,) = gate.refusals(gate.compare("stance", alarms, live))
    assert "false_alarm_rate" in failure and "above live" in failure
    worse = moved("cross_validation.disagree_vs_agree_roc_auc", -0.05, live)
    assert gate.refusals(gate.compare("stance", worse, live))


def test_a_metric_the_candidate_lacks_refuses_it():
    lacking = json.loads(json.dumps(LIVE))
    del lacking["pairs"]["sober_within_15"]
    (failure,) = gate.refusals(gate.compare("headline", lacking, LIVE))
    assert "not measured" in failure


def test_a_second_publish_at_the_same_time_is_refused(live, tmp_path):
    import fcntl
    import os

    stage = tmp_path / "stage"
    stage_variant(live, stage)
    before = artifacts.read_manifest(live)
    held = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # another publish holds the folder
        with pytest.raises(release.PublishRefused, match="another publish"):
            release.publish(stage, live, say=lambda _: None)
    finally:
        os.close(held)
    assert artifacts.read_manifest(live) == before
    # Released, the same publish goes through.
    assert release.publish(stage, live, say=lambda _: None)["models"]["headline"]


def test_a_candidate_restaged_after_the_gate_is_not_published(
    live, tmp_path, monkeypatch
):
    stage = tmp_path / "stage"
    stage_variant(live, stage)
    gate_candidate = release.gate_candidate

    def gate_then_restage(name, candidate, artifact_dir):
        verdict = gate_candidate(name, candidate, artifact_dir)
        stage_variant(live, stage, temperature=5.0)  # a train lands meanwhile
        return verdict

    monkeypatch.setattr(release, "gate_candidate", gate_then_restage)
    with pytest.raises(release.PublishRefused, match="changed while"):
        release.publish(stage, live, say=lambda _: None)
