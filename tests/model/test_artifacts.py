import json
import shutil

import numpy as np
import pytest

from model import artifacts, fastpath
from model.headline import lexicons, wordlist
from model.scoring import Scorer


def test_round_trip_through_joblib(small_artifact_dir, small_scorer, tmp_path):
    pipeline, metadata = artifacts.load(artifacts.HEADLINE, small_artifact_dir)
    texts = ["You won't believe this", "Senate passes budget bill"]
    saved = artifacts.save(pipeline, {"note": "copy"}, "copy", tmp_path)
    again, again_meta = artifacts.load("copy", tmp_path)
    np.testing.assert_array_equal(
        pipeline.predict_proba(texts), again.predict_proba(texts)
    )
    assert again_meta["artifact"]["sha256"] == saved["artifact"]["sha256"]
    assert again_meta["version"] == saved["version"]
    assert again_meta["version"].startswith("copy-")


def test_metadata_records_libraries_and_digest(small_artifact_dir):
    meta = artifacts.read_artifact_metadata(artifacts.HEADLINE, small_artifact_dir)
    assert set(meta["artifact"]) == {"file", "sha256", "bytes"}
    assert {"scikit-learn", "numpy", "scipy"} <= set(meta["libraries"])
    assert "CERTAINTY" in meta["resources"]["model.headline.lexicons"]
    assert "WORDLIST" in meta["resources"]["model.headline.wordlist"]
    assert len(meta["probes"]) == len(fastpath.PROBE_HEADLINES)
    assert meta["metrics"]["stop_clickbait"]["n"] > 1000


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


def test_a_changed_word_list_is_refused_until_retrained(copied, monkeypatch, tmp_path):
    pipeline, _ = artifacts.load(artifacts.HEADLINE, copied)
    before = artifacts.save(pipeline, {}, artifacts.HEADLINE, tmp_path / "before")
    monkeypatch.setattr(lexicons, "CERTAINTY", lexicons.CERTAINTY - {"officially"})
    with pytest.raises(artifacts.ArtifactError) as refused:
        artifacts.load(artifacts.HEADLINE, copied)
    message = str(refused.value)
    assert "model.headline.lexicons.CERTAINTY" in message
    assert "sensationalism train --model headline" in message
    # Saving under the new list (what training does) gives a new version, even
    # when the pickled parameters are byte for byte the same.
    after = artifacts.save(pipeline, {}, artifacts.HEADLINE, tmp_path / "after")
    assert after["artifact"]["sha256"] == before["artifact"]["sha256"]
    assert after["version"] != before["version"]
    artifacts.load(artifacts.HEADLINE, tmp_path / "after")


def test_a_changed_word_file_is_refused(copied, monkeypatch, tmp_path):
    edited = tmp_path / "common_words.txt"
    edited.write_text(wordlist.WORDLIST.read_text() + "zzyzx\n")
    monkeypatch.setattr(wordlist, "WORDLIST", edited)
    with pytest.raises(artifacts.ArtifactError, match="wordlist.WORDLIST"):
        artifacts.load(artifacts.HEADLINE, copied)


@pytest.mark.parametrize(
    "library, version",
    [("scikit-learn", "1.5.0"), ("numpy", "1.26.4"), ("scipy", None)],
)
def test_another_library_version_is_refused(copied, library, version):
    _, meta_path = artifacts.paths(artifacts.HEADLINE, copied)
    meta = json.loads(meta_path.read_text())
    meta["libraries"][library] = version
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(artifacts.ArtifactError, match=f"pickled under {library}"):
        artifacts.load(artifacts.HEADLINE, copied)


def test_metadata_without_word_list_digests_is_refused(copied):
    _, meta_path = artifacts.paths(artifacts.HEADLINE, copied)
    meta = json.loads(meta_path.read_text())
    del meta["resources"]
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(artifacts.ArtifactError, match="word lists"):
        artifacts.load(artifacts.HEADLINE, copied)


def test_a_fast_path_that_drifts_from_scikit_learn_is_refused(copied, monkeypatch):
    Scorer.load(copied)  # agrees as saved
    real = fastpath.tfidf_values
    monkeypatch.setattr(
        "model.headline.explain.tfidf_values", lambda *a: real(*a) * 1.001
    )
    with pytest.raises(artifacts.ArtifactError, match="fast path differs"):
        Scorer.load(copied)


def test_missing_probe_outputs_are_refused(copied):
    _, meta_path = artifacts.paths(artifacts.HEADLINE, copied)
    meta = json.loads(meta_path.read_text())
    meta["probes"] = None
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(artifacts.ArtifactError, match="no probe outputs"):
        Scorer.load(copied)
