import json
import shutil

import numpy as np
import pytest

from model import artifacts


def test_round_trip_through_joblib(small_artifact_dir, small_scorer, tmp_path):
    pipeline, metadata = artifacts.load(artifacts.HEADLINE, small_artifact_dir)
    texts = ["You won't believe this", "Senate passes budget bill"]
    saved = artifacts.save(pipeline, {"note": "copy"}, "copy", tmp_path)
    again, again_meta = artifacts.load("copy", tmp_path)
    np.testing.assert_array_equal(
        pipeline.predict_proba(texts), again.predict_proba(texts)
    )
    assert again_meta["artifact"]["sha256"] == saved["artifact"]["sha256"]
    assert again_meta["version"] == "copy-" + saved["artifact"]["sha256"][:12]


def test_metadata_records_libraries_and_digest(small_artifact_dir):
    meta = artifacts.read_metadata(artifacts.HEADLINE, small_artifact_dir)
    assert set(meta["artifact"]) == {"file", "sha256", "bytes"}
    assert meta["libraries"]["scikit-learn"]
    assert meta["note"] == "test model"


@pytest.fixture
def copied(small_artifact_dir, tmp_path):
    for path in artifacts.paths(artifacts.HEADLINE, small_artifact_dir):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_tampered_file_is_refused(copied):
    model_path, _ = artifacts.paths(artifacts.HEADLINE, copied)
    blob = bytearray(model_path.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    model_path.write_bytes(bytes(blob))
    with pytest.raises(artifacts.ArtifactError, match="tampered"):
        artifacts.load(artifacts.HEADLINE, copied)


def test_metadata_with_another_digest_is_refused(copied):
    _, meta_path = artifacts.paths(artifacts.HEADLINE, copied)
    meta = json.loads(meta_path.read_text())
    meta["artifact"]["sha256"] = "0" * 64
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(artifacts.ArtifactError):
        artifacts.load(artifacts.HEADLINE, copied)


@pytest.mark.parametrize("missing", [0, 1], ids=["no joblib", "no metadata"])
def test_missing_files_are_refused(copied, missing):
    artifacts.paths(artifacts.HEADLINE, copied)[missing].unlink()
    with pytest.raises(artifacts.ArtifactError):
        artifacts.load(artifacts.HEADLINE, copied)


def test_committed_artifact_is_small_and_loads():
    model_path, _ = artifacts.paths(artifacts.HEADLINE)
    assert model_path.stat().st_size < 10 * 1024 * 1024
    _, meta = artifacts.load()
    assert meta["metrics"]["stop_clickbait"]["n"] > 1000
