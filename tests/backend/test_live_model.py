"""Publishing a new model artifact while the service runs: swapped, never failed."""

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


@pytest.fixture
def artifact_dir(small_artifact_dir, tmp_path):
    """A private copy of the small model's artifact folder."""
    directory = tmp_path / "artifacts"
    directory.mkdir()
    for path in artifacts.paths(artifacts.HEADLINE, small_artifact_dir):
        shutil.copy(path, directory / path.name)
    return directory


def publish_variant(directory: Path, temperature: float) -> str:
    """Publish another model (the same one at another temperature); its version."""
    pipeline, metadata = artifacts.load(artifacts.HEADLINE, directory)
    pipeline.set_params(classifier__temperature=temperature)
    return artifacts.save(pipeline, {"note": "variant"}, artifacts.HEADLINE, directory)[
        "version"
    ]


def test_new_artifact_is_picked_up(artifact_dir):
    live = LiveModel(artifact_dir, load_scorer)
    old = live.current().version
    assert live.current().version == old
    new = publish_variant(artifact_dir, 3.0)
    assert new != old
    assert live.current().version == new


def test_tampered_artifact_is_refused_and_the_old_model_kept(artifact_dir):
    live = LiveModel(artifact_dir, load_scorer)
    old = live.current()
    publish_variant(artifact_dir, 3.0)
    model_path, _ = artifacts.paths(artifacts.HEADLINE, artifact_dir)
    model_path.write_bytes(model_path.read_bytes() + b"tampered")
    assert live.current() is old
    assert live.current().version == old.version  # still the old one, still answering
    assert live.current().score("You won't believe this")["model"]["version"] == (
        old.version
    )


@pytest.fixture
def gunicorn(artifact_dir):
    """The service under gunicorn (2 workers) on a free loopback port."""
    with running_gunicorn(
        {
            "SENSATIONALISM_ARTIFACT_DIR": str(artifact_dir),
            "SENSATIONALISM_CACHE_TTL": "0",
        }
    ) as (base, _):
        yield base


def test_swap_under_load_fails_nothing_and_switches_once(gunicorn, artifact_dir):
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
