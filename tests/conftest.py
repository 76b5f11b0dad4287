"""Shared fixtures: a small real model fitted once per session, the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from model import artifacts
from model.headline.pipeline import build_pipeline
from model.scoring import Scorer
from model.training import data

SMALL_MODEL_ROWS = 4000
TESTS = Path(__file__).resolve().parent

# Test tiers (README, "Test"). Unit tests are the default and the fast tier;
# ``integration`` starts a browser, a server, a database or a build; ``slow``
# retrains a model. Marked here by what a test uses, so that a new test that
# starts a Redis server lands in its tier without anyone remembering to mark it.
INTEGRATION_PATHS = ("extension/", "backend/feedback/test_feedback_load.py")
INTEGRATION_FIXTURES = frozenset({"redis_url", "postgres_server", "gunicorn"})


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.path.relative_to(TESTS).as_posix()
        params = getattr(item, "callspec", None)
        uses_postgres = params is not None and "postgres" in params.params.values()
        if (
            path.startswith(INTEGRATION_PATHS)
            or INTEGRATION_FIXTURES & set(item.fixturenames)
            or uses_postgres
        ):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def small_artifact_dir(tmp_path_factory):
    """A real headline model fitted on a few thousand rows, saved like the real one."""
    corpus = data.load_stop_clickbait(data.DEFAULT_DATA_DIR)
    train_rows, _ = data.split_held_out(corpus)
    step = len(train_rows.texts) // SMALL_MODEL_ROWS  # the file is sorted by label
    texts = train_rows.texts[::step]
    labels = train_rows.labels[::step]
    pipeline = build_pipeline().fit(texts, labels)
    directory = tmp_path_factory.mktemp("artifacts")
    artifacts.save(pipeline, {"note": "test model"}, artifacts.HEADLINE, directory)
    return directory


@pytest.fixture(scope="session")
def small_scorer(small_artifact_dir) -> Scorer:
    return Scorer.load(small_artifact_dir)


@pytest.fixture(scope="session")
def committed_scorer() -> Scorer:
    """The model committed in model/artifacts, as the service runs it."""
    return Scorer.load()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def app(small_artifact_dir, tmp_path):
    from backend import create_app

    return create_app(
        {
            "TESTING": True,
            "ARTIFACT_DIR": str(small_artifact_dir),
            "FEEDBACK_DB_PATH": str(tmp_path / "feedback.sqlite3"),
            "CACHE_TTL": 60,
            # Rate limits have tests of their own (test_access.py).
            "RATE_LIMIT_ENABLED": False,
        }
    )


@pytest.fixture
def client(app):
    return app.test_client()
