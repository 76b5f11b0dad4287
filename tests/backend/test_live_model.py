"""Publishing a new model while the service runs: swapped, never failed, never stuck."""

import json
import logging
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
import requests
from servers import running_gunicorn

from backend.live_model import LiveModel
from backend.service import load_scorer
from model import artifacts
from model.training import release


@pytest.fixture
def artifact_dir(small_artifact_dir, tmp_path):
    """A private copy of the small model's artifact folder."""
    directory = tmp_path / "artifacts"
    directory.mkdir()
    for path in artifacts.paths(artifacts.HEADLINE, small_artifact_dir):
        shutil.copy(path, directory / path.name)
    return directory


def stage_variant(directory: Path, stage: Path, temperature: float) -> str:
    """Stage another model (the live one at another temperature, with the live
    one's figures, so that it passes the gate); its version."""
    pipeline, metadata = artifacts.load(artifacts.HEADLINE, directory)
    pipeline.set_params(classifier__temperature=temperature)
    saved = artifacts.save(
        pipeline, {"metrics": metadata["metrics"]}, artifacts.HEADLINE, stage
    )
    return saved["version"]


def publish_variant(directory: Path, temperature: float) -> str:
    """Stage a variant and publish it as `sensationalism publish` does."""
    stage = directory.parent / f"stage-{temperature}"
    version = stage_variant(directory, stage, temperature)
    release.publish(stage, directory, say=lambda _: None)
    return version


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_published_model_is_picked_up(artifact_dir, caplog):
    caplog.set_level(logging.WARNING, logger="backend.live_model")
    live = LiveModel(artifact_dir, load_scorer)
    old = live.current().version
    assert live.current().version == old
    new = publish_variant(artifact_dir, 3.0)
    assert new != old
    assert live.current().version == new
    messages = [r.getMessage() for r in caplog.records]
    assert f"model loaded: {old}" in messages[0]
    assert any(f"model swapped: {old} -> {new}" in m for m in messages)
    assert all(r.levelno >= logging.WARNING for r in caplog.records)


def test_a_tampered_artifact_is_refused_and_the_old_model_kept(artifact_dir, caplog):
    live = LiveModel(artifact_dir, load_scorer)
    old = live.current()
    new = publish_variant(artifact_dir, 3.0)
    model_path = artifact_dir / "published" / f"{new}.joblib"
    model_path.write_bytes(model_path.read_bytes() + b"tampered")
    assert live.current() is old
    assert live.current().score("You won't believe this")["model"]["version"] == (
        old.version
    )
    (refusal,) = [r for r in caplog.records if "refused" in r.getMessage()]
    assert refusal.levelno == logging.ERROR and old.version in refusal.getMessage()


def test_a_manifest_written_before_its_files_is_followed_once_they_arrive(
    artifact_dir, tmp_path
):
    # By hand, in the wrong order: the manifest first, then the files it names.
    live = LiveModel(artifact_dir, load_scorer, clock=Clock())
    old = live.current().version
    stage = tmp_path / "stage"
    new = stage_variant(artifact_dir, stage, 3.0)
    (artifact_dir / "published").mkdir()
    manifest = {
        "models": {
            "headline": {
                "version": new,
                "model": f"published/{new}.joblib",
                "metadata": f"published/{new}.json",
            }
        }
    }
    artifacts.manifest_path(artifact_dir).write_text(json.dumps(manifest))
    assert live.current().version == old
    model_path, meta_path = artifacts.paths(artifacts.HEADLINE, stage)
    shutil.copy(meta_path, artifact_dir / "published" / f"{new}.json")
    assert live.current().version == old
    shutil.copy(model_path, artifact_dir / "published" / f"{new}.joblib")
    assert live.current().version == new


@pytest.mark.parametrize("order", ["json first", "joblib first"])
def test_plain_files_copied_in_either_order_end_on_the_new_model(
    artifact_dir, tmp_path, order
):
    live = LiveModel(artifact_dir, load_scorer, clock=Clock())
    old = live.current().version
    stage = tmp_path / "stage"
    new = stage_variant(artifact_dir, stage, 3.0)
    model_path, meta_path = artifacts.paths(artifacts.HEADLINE, stage)
    first, second = (
        (meta_path, model_path) if order == "json first" else (model_path, meta_path)
    )
    shutil.copy(first, artifact_dir / first.name)
    assert live.current().version == old  # a mismatched pair: refused
    shutil.copy(second, artifact_dir / second.name)
    assert live.current().version == new


def test_a_refused_pair_is_tried_again_even_if_no_file_changes(artifact_dir):
    clock = Clock()
    failures = iter([OSError("half a file"), OSError("half a file")])

    def flaky_loader(directory):
        # The first two tries after the publish read a file still being written.
        if flaky.armed:
            error = next(failures, None)
            if error is not None:
                raise error
        return load_scorer(directory)

    flaky = flaky_loader
    flaky.armed = False
    live = LiveModel(artifact_dir, flaky_loader, retry_seconds=2.0, clock=clock)
    old = live.current().version
    flaky.armed = True
    new = publish_variant(artifact_dir, 3.0)
    assert live.current().version == old  # refused: first try
    assert live.current().version == old  # not tried again before its time
    clock.now += 2.0
    assert live.current().version == old  # second try, refused
    clock.now += 2.0
    assert live.current().version == new  # same files, third try loads


@pytest.fixture
def gunicorn(artifact_dir, tmp_path):
    """The service under gunicorn (2 workers) on a free loopback port; its log."""
    log_path = tmp_path / "gunicorn.log"
    with running_gunicorn(
        {
            "SENSATIONALISM_ARTIFACT_DIR": str(artifact_dir),
            "SENSATIONALISM_CACHE_TTL": "0",
        },
        log_path=log_path,
    ) as (base, _):
        yield base, log_path


def test_swap_under_load_fails_nothing_and_switches_once(gunicorn, artifact_dir):
    gunicorn, log_path = gunicorn
    old = artifacts.read_artifact_metadata(artifacts.HEADLINE, artifact_dir)["version"]
    records: list[tuple[int, float, float, int, str | None]] = []
    stop = threading.Event()
    lock = threading.Lock()

    def client(number: int) -> None:
        with requests.Session() as session:
            for i in range(2000):  # bounded; stopped by time long before
                if stop.is_set():
                    return
                started = time.monotonic()
                try:
                    response = session.post(
                        f"{gunicorn}/api/v1/score",
                        json={"headline": f"Nine ways to save money, part {i}"},
                        timeout=10,
                    )
                    status = response.status_code
                    version = response.json().get("model", {}).get("version")
                except requests.RequestException:
                    status, version = 0, None
                with lock:
                    records.append((number, started, time.monotonic(), status, version))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    publish_started = time.monotonic()
    new = publish_variant(artifact_dir, 3.0)
    publish_done = time.monotonic()
    time.sleep(2.0)
    stop.set()
    for t in threads:
        t.join(timeout=30)

    assert records, "no request was made"
    assert [r for r in records if r[3] != 200] == []
    assert {r[4] for r in records} == {old, new}
    # Requests finished before the publish began were answered by the old model;
    # requests begun after it ended, by the new one.
    assert all(r[4] == old for r in records if r[2] < publish_started)
    assert all(r[4] == new for r in records if r[1] > publish_done)
    # Each client saw the version change once, never back.
    for number in range(6):
        versions = [r[4] for r in sorted(records) if r[0] == number]
        switches = sum(a != b for a, b in zip(versions, versions[1:], strict=False))
        assert switches <= 1
    # Every worker's load and swap is in gunicorn's log, with its time and level.
    log = log_path.read_text()
    stamped = r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+\] WARNING in live_model: "
    assert len(re.findall(stamped + re.escape(f"model loaded: {old}"), log)) == 2
    assert re.search(stamped + re.escape(f"model swapped: {old} -> {new}"), log), log


def test_a_publish_by_hand_in_the_wrong_order_reaches_every_worker(
    gunicorn, artifact_dir, tmp_path
):
    """The issue's stuck publish: the json copied before the joblib."""
    from concurrent.futures import ThreadPoolExecutor

    gunicorn, log_path = gunicorn
    old = artifacts.read_artifact_metadata(artifacts.HEADLINE, artifact_dir)["version"]
    stage = tmp_path / "stage"
    new = stage_variant(artifact_dir, stage, 3.0)
    model_path, meta_path = artifacts.paths(artifacts.HEADLINE, stage)

    def version(_) -> str:
        answer = requests.post(
            f"{gunicorn}/api/v1/score", json={"headline": "Nine ways"}, timeout=10
        )
        return answer.json()["model"]["version"]

    def swaps() -> int:
        return log_path.read_text().count(f"model swapped: {old} -> {new}")

    with ThreadPoolExecutor(8) as pool:  # in parallel, so that both workers answer
        shutil.copy(meta_path, artifact_dir / meta_path.name)
        assert set(pool.map(version, range(40))) == {old}  # refused, answering
        shutil.copy(model_path, artifact_dir / model_path.name)
        deadline = time.monotonic() + 60  # a bound for a loaded machine, not a figure
        while True:
            answered = set(pool.map(version, range(40)))
            if answered == {new} and swaps() == 2:  # both workers, once each
                break
            assert time.monotonic() < deadline, log_path.read_text()
    log = log_path.read_text()
    refused = r"\] ERROR in live_model: new model refused, still answering with "
    assert re.search(refused + re.escape(old), log), log
