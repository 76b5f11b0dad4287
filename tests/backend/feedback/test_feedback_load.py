"""Feedback under concurrent load through gunicorn, with a worker killed mid-run.

Every feedback the service answered 201 for must be in the store afterwards, and
no request stored twice, on SQLite and on a real PostgreSQL server.
"""

import os
import signal
import threading
import time
from contextlib import ExitStack

import pytest
import requests
from postgres import PostgresUnavailable, running_postgres
from servers import running_gunicorn, worker_pids

from backend.feedback import migrate_once, open_store

WRITERS = 16
SECONDS = 30.0  # as the issue asks: 16 writers for 30 s
MAX_PER_WRITER = 2000  # bounded, though time stops the run long before


@pytest.fixture(params=["sqlite", "postgres"])
def store_config(request, tmp_path):
    if request.param == "sqlite":
        yield {
            "FEEDBACK_DB_PATH": str(tmp_path / "feedback.sqlite3"),
            "FEEDBACK_DATABASE_URL": None,
        }
        return
    with ExitStack() as stack:
        try:
            server = stack.enter_context(
                running_postgres({"fsync": "on", "full_page_writes": "on"})
            )
        except PostgresUnavailable as err:
            pytest.fail(f"PostgreSQL did not start: {err}")
        yield {
            "FEEDBACK_DB_PATH": str(tmp_path / "unused.sqlite3"),
            "FEEDBACK_DATABASE_URL": server.create_database(),
        }


def test_no_accepted_feedback_is_lost_or_doubled(store_config, small_artifact_dir):
    env = {
        "SENSATIONALISM_ARTIFACT_DIR": str(small_artifact_dir),
        "SENSATIONALISM_FEEDBACK_DB_PATH": store_config["FEEDBACK_DB_PATH"],
    }
    if store_config["FEEDBACK_DATABASE_URL"]:
        env["SENSATIONALISM_FEEDBACK_DATABASE_URL"] = store_config[
            "FEEDBACK_DATABASE_URL"
        ]
    accepted: dict[int, str] = {}  # id -> the headline that was sent
    failures = []
    lock = threading.Lock()
    stop = threading.Event()

    with running_gunicorn(env) as (base, master):

        def writer(number: int) -> None:
            with requests.Session() as session:
                for i in range(MAX_PER_WRITER):
                    if stop.is_set():
                        return
                    headline = f"Writer {number} sends feedback number {i}"
                    try:
                        response = session.post(
                            f"{base}/api/v1/feedback",
                            json={
                                "url": "https://example.com/a",
                                "headline": headline,
                                "score_seen": 70,
                                "verdict": "too_high",
                            },
                            timeout=10,
                        )
                    except requests.RequestException as err:
                        with lock:
                            failures.append(repr(err))  # the killed worker's requests
                        continue
                    with lock:
                        if response.status_code == 201:
                            accepted[response.json()["id"]] = headline
                        else:
                            failures.append(response.status_code)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
        for t in threads:
            t.start()
        time.sleep(SECONDS / 3)
        victim = worker_pids(master)[0]
        os.kill(victim, signal.SIGKILL)
        time.sleep(SECONDS * 2 / 3)
        stop.set()
        for t in threads:
            t.join(timeout=60)

    store = open_store(store_config)
    migrate_once(store)
    rows = {row["id"]: row["headline"] for row in store.export()}
    store.close()

    assert len(accepted) > 100, "too few requests went through to mean anything"
    # Every answered row is stored, as it was sent.
    assert {i: rows.get(i) for i in accepted} == accepted
    # No request was stored twice.
    assert len(set(rows.values())) == len(rows)
    # Rows the killed worker committed but could not answer for: at most its threads.
    assert len(rows) - len(accepted) <= 2
    # Only connection failures from the killed worker, never an error answer.
    assert all(isinstance(f, str) for f in failures)
