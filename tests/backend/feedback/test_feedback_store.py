"""Reader feedback: validation, then the same store on SQLite and real PostgreSQL."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sqlite3
import struct
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import pytest
from postgres import PostgresUnavailable, free_port, running_postgres

from backend.errors import BadInput
from backend.feedback import (
    FeedbackNotFound,
    FeedbackUnavailable,
    open_store,
    validate_feedback,
)

MODEL = "headline-test-1"
GOOD = {
    "url": "https://news.example.com/story?id=7",
    "headline": "You won't believe what happened next",
    "score_seen": 87,
    "verdict": "too_high",
}
# One format from both databases: UTC, to the microsecond.
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")
TIMEOUT = 60  # seconds for a child process; generous for slow CI machines


def record(**changes) -> dict:
    return {**GOOD, **changes}


def without(name: str) -> dict:
    return {key: value for key, value in GOOD.items() if key != name}


VALID = [
    pytest.param(GOOD, {}, id="minimal"),
    pytest.param(record(note="It backs it up."), {}, id="note"),
    pytest.param(record(note=None), {}, id="null-note"),
    pytest.param(record(note=" \n "), {"note": None}, id="blank-note-is-none"),
    pytest.param(record(headline=" Spaced \n"), {"headline": "Spaced"}, id="strip"),
    pytest.param(
        record(url="http://example.com/a?b=1#top"),
        {"url": "http://example.com/a?b=1"},
        id="fragment-dropped",
    ),
    pytest.param(record(url="HTTPS://EXAMPLE.COM/"), {}, id="scheme-in-capitals"),
    pytest.param(record(score_seen=0), {}, id="score-0"),
    pytest.param(record(score_seen=100), {}, id="score-100"),
    pytest.param(record(verdict="too_low"), {}, id="too-low"),
    pytest.param(record(verdict="about_right"), {}, id="about-right"),
    pytest.param(record(headline="Ça alors ! 東京 🎉"), {}, id="unicode"),
    pytest.param(record(url="https://e.com/" + "a" * 2034), {}, id="url-2048"),
    pytest.param(record(headline="h" * 1000), {}, id="headline-1000"),
    pytest.param(record(note="n" * 2000), {}, id="note-2000"),
]

INVALID = [
    pytest.param([GOOD], "JSON object", id="list"),
    pytest.param("too_high", "JSON object", id="string"),
    pytest.param(None, "JSON object", id="null"),
    pytest.param(record(ip="192.0.2.1"), "unknown feedback field(s) 'ip'", id="extra"),
    pytest.param(without("url"), '"url" is required', id="no-url"),
    pytest.param(without("headline"), '"headline" is required', id="no-headline"),
    pytest.param(without("score_seen"), '"score_seen" is required', id="no-score"),
    pytest.param(without("verdict"), '"verdict" is required', id="no-verdict"),
    pytest.param(record(url=None), '"url" is required', id="null-url"),
    pytest.param(record(url=42), '"url" must be a string', id="url-number"),
    pytest.param(record(url="ftp://e.com/a"), "http or https", id="ftp"),
    pytest.param(record(url="javascript:alert(1)"), "http or https", id="javascript"),
    pytest.param(record(url="/news/story"), "http or https", id="relative"),
    pytest.param(record(url="https://"), "http or https", id="no-host"),
    pytest.param(
        record(url="https://e.com/" + "a" * 2035), "longer than 2,048", id="url-2049"
    ),
    pytest.param(record(url="https://e.com/a b"), "spaces", id="url-space"),
    pytest.param(record(url="https://e.com/\n"), "control", id="url-newline"),
    pytest.param(record(url="https://e.com/\x00"), "NUL", id="url-nul"),
    pytest.param(record(url="https://me:pw@e.com/"), "user name", id="credentials"),
    pytest.param(record(url="http://[::1/"), "not a valid URL", id="bad-ipv6"),
    pytest.param(record(headline=""), "1 to 1,000", id="empty-headline"),
    pytest.param(record(headline="  "), "1 to 1,000", id="blank-headline"),
    pytest.param(record(headline="h" * 1001), "1 to 1,000", id="headline-1001"),
    pytest.param(record(headline=5), '"headline" must be a string', id="headline-int"),
    pytest.param(record(headline="a\x00b"), "NUL", id="headline-nul"),
    pytest.param(record(headline="\ud800"), "Unicode", id="lone-surrogate"),
    pytest.param(record(score_seen=True), "integer", id="score-bool"),
    pytest.param(record(score_seen=87.0), "integer", id="score-float"),
    pytest.param(record(score_seen="87"), "integer", id="score-string"),
    pytest.param(record(score_seen=-1), "between 0 and 100", id="score-negative"),
    pytest.param(record(score_seen=101), "between 0 and 100", id="score-101"),
    pytest.param(record(verdict="TOO_HIGH"), '"verdict" must be', id="verdict-case"),
    pytest.param(record(verdict="meh"), '"verdict" must be', id="verdict-unknown"),
    pytest.param(record(verdict=["too_high"]), '"verdict" must be', id="verdict-list"),
    pytest.param(record(note=5), '"note" must be a string', id="note-int"),
    pytest.param(record(note=False), '"note" must be a string', id="note-false"),
    pytest.param(record(note="n" * 2001), "longer than 2,000", id="note-2001"),
    pytest.param(record(note="\x00"), "NUL", id="note-nul"),
]


@pytest.mark.parametrize(("item", "changes"), VALID)
def test_valid_feedback_is_tidied(item, changes):
    assert validate_feedback(item) == {"note": None, **item, **changes}


@pytest.mark.parametrize(("item", "message"), INVALID)
def test_invalid_feedback_is_refused_with_a_reason(item, message):
    with pytest.raises(BadInput, match=re.escape(message)):
        validate_feedback(item)


@pytest.fixture(scope="session")
def postgres_server():
    """One real server for the session; each test gets a database of its own."""
    with ExitStack() as stack:
        try:
            server = stack.enter_context(running_postgres())
        except PostgresUnavailable as err:
            pytest.fail(f"these tests need PostgreSQL: {err}", pytrace=False)
        yield server


@pytest.fixture(params=["sqlite", "postgres"])
def config(request, tmp_path) -> dict:
    if request.param == "sqlite":
        return {"FEEDBACK_DB_PATH": str(tmp_path / "feedback.sqlite3")}
    server = request.getfixturevalue("postgres_server")
    return {"FEEDBACK_DATABASE_URL": server.create_database()}


@pytest.fixture
def store(config):
    with open_store(config) as store:
        store.migrate()
        yield store


def test_round_trip(store):
    before = datetime.now(UTC)
    first = store.add(GOOD, MODEL)
    second = store.add(record(verdict="too_low", note="Calm piece."), "other-model")
    exported = list(store.export())
    assert [row["id"] for row in exported] == [first, second]
    assert first < second
    assert all(TIMESTAMP.fullmatch(row["created_at"]) for row in exported)
    created = datetime.fromisoformat(exported[0]["created_at"])
    assert created.utcoffset() == timedelta(0)
    assert before <= created <= datetime.now(UTC)
    # Exactly these fields: nothing about the reader is kept but what they sent.
    assert exported[0] == {
        "id": first,
        "created_at": exported[0]["created_at"],
        **validate_feedback(GOOD),
        "model_version": MODEL,
        "reviewed": None,
    }
    assert exported[1]["note"] == "Calm piece."
    assert exported[1]["model_version"] == "other-model"


def test_export_reads_page_by_page_in_id_order(store, monkeypatch):
    monkeypatch.setattr(store, "page_size", 2)
    ids = [store.add(record(score_seen=n), MODEL) for n in range(5)]
    assert [row["id"] for row in store.export()] == ids
    assert [row["score_seen"] for row in store.export()] == list(range(5))


def test_migrate_twice_keeps_the_data(store):
    added = store.add(GOOD, MODEL)
    assert store.migrate() == store.migrate() == 1
    assert [row["id"] for row in store.export()] == [added]


def test_processes_may_migrate_at_once(config):
    stores = [open_store(config) for _ in range(4)]
    try:
        with ThreadPoolExecutor(len(stores)) as pool:
            versions = list(pool.map(lambda store: store.migrate(), stores))
        assert versions == [1, 1, 1, 1]
        assert stores[0].count() == 0
    finally:
        for store in stores:
            store.close()


def test_new_sqlite_files_turn_to_wal_under_contention(tmp_path):
    # Turning a new file to WAL fails at once, busy timeout or not, while another
    # connection is doing it: the race that made the test above flaky in CI.
    # Many fresh files make a missed wait show up in nearly every run.
    for round_ in range(100):
        path = str(tmp_path / f"feedback-{round_}.sqlite3")
        stores = [open_store({"FEEDBACK_DB_PATH": path}) for _ in range(6)]
        try:
            with ThreadPoolExecutor(len(stores)) as pool:
                assert list(pool.map(lambda store: store.migrate(), stores)) == [1] * 6
        finally:
            for store in stores:
                store.close()


def test_reviews_select_what_training_reads(store):
    accepted, rejected, pending = (store.add(GOOD, MODEL) for _ in range(3))
    store.review(accepted, "accepted")
    store.review(rejected, "rejected")

    def ids(state):
        return [row["id"] for row in store.export(reviewed=state)]

    assert ids("accepted") == [accepted]
    assert ids("rejected") == [rejected]
    assert ids("pending") == [pending]
    assert ids(None) == [accepted, rejected, pending]
    assert (store.count(), store.count("accepted"), store.count("pending")) == (3, 1, 1)
    store.review(accepted, "pending")
    assert ids("pending") == [accepted, pending]


@pytest.mark.parametrize(
    "record_id", [0, 999_999, 2**70], ids=["zero", "absent", "huge"]
)
def test_reviewing_an_unknown_id_is_not_found(store, record_id):
    with pytest.raises(FeedbackNotFound):
        store.review(record_id, "accepted")


def test_review_states_are_checked_at_the_call(store):
    added = store.add(GOOD, MODEL)
    with pytest.raises(BadInput):
        store.review(added, "approved")
    with pytest.raises(BadInput):
        store.export(reviewed="approved")  # before any row is read
    with pytest.raises(BadInput):
        store.review("1", "accepted")


def test_add_checks_the_record_and_model_version(store):
    with pytest.raises(BadInput):
        store.add(record(verdict="meh"), MODEL)
    with pytest.raises(ValueError):
        store.add(GOOD, "")
    assert store.count() == 0


def test_a_closed_store_refuses_work(config):
    store = open_store(config)
    store.migrate()
    store.close()
    with pytest.raises(FeedbackUnavailable):
        store.add(GOOD, MODEL)
    store.close()  # twice is fine


def test_an_unreachable_database_is_unavailable(tmp_path):
    (tmp_path / "file").write_text("not a directory")
    unreachable = [
        {"FEEDBACK_DB_PATH": str(tmp_path / "file" / "feedback.sqlite3")},
        {
            "FEEDBACK_DATABASE_URL": f"postgresql://u@127.0.0.1:{free_port()}/none",
            "FEEDBACK_DB_TIMEOUT": 1,
        },
    ]
    for config in unreachable:
        with open_store(config) as store, pytest.raises(FeedbackUnavailable):
            store.add(GOOD, MODEL)


def test_a_configuration_names_a_database():
    with pytest.raises(ValueError):
        open_store({})
    with pytest.raises(ValueError):
        open_store({"FEEDBACK_DATABASE_URL": "mysql://localhost/feedback"})


def test_sqlite_file_is_in_wal_mode(tmp_path):
    path = tmp_path / "feedback.sqlite3"
    with open_store({"FEEDBACK_DB_PATH": str(path)}) as store:
        store.migrate()
    reader = sqlite3.connect(path)
    try:
        assert reader.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        reader.close()


def test_sqlite_syncs_every_commit(tmp_path):
    with open_store({"FEEDBACK_DB_PATH": str(tmp_path / "f.sqlite3")}) as store:
        store.migrate()
        # 2 is FULL: the log is synced before add() returns, not later.
        synchronous = store._connection().execute("PRAGMA synchronous").fetchone()
        assert synchronous == (2,)


def test_threads_share_a_store(store):
    def write(thread: int) -> list[tuple[int, str]]:
        notes = [f"thread {thread} row {n}" for n in range(50)]
        return [(store.add(record(note=note), MODEL), note) for note in notes]

    with ThreadPoolExecutor(8) as pool:
        added = dict(pair for batch in pool.map(write, range(8)) for pair in batch)
    assert len(added) == 400  # no id returned twice
    assert {row["id"]: row["note"] for row in store.export()} == added


@pytest.fixture
def processes():
    """Child processes to start; any still running at the end are killed."""
    started = []
    yield started
    for process in started:
        if process.is_alive():
            process.kill()
        process.join(TIMEOUT)


def _write_rows(config: dict, count: int, start, results) -> None:
    """A writer process: wait for the others, add rows, report the ids."""
    with open_store(config) as store:
        start.wait(TIMEOUT)
        note = f"process {os.getpid()}"
        results.put((note, [store.add(record(note=note), MODEL) for _ in range(count)]))


def test_processes_share_a_store(store, config, processes):
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(4), spawn.Queue()
    for _ in range(4):
        processes.append(
            spawn.Process(target=_write_rows, args=(config, 50, start, results))
        )
        processes[-1].start()
    batches = [results.get(timeout=TIMEOUT) for _ in processes]
    for writer in processes:
        writer.join(TIMEOUT)
        assert writer.exitcode == 0
    results.close()
    results.join_thread()
    added = {row_id: note for note, ids in batches for row_id in ids}
    assert len(added) == 200  # no id returned twice
    assert {row["id"]: row["note"] for row in store.export()} == added


def _session(store) -> object:
    """What the store's next query runs on: a SQLite connection, a server process."""
    with store._transaction(write=False) as conn:
        if isinstance(conn, sqlite3.Connection):
            return conn
        return conn.execute("SELECT pg_backend_pid()").fetchone()[0]


def _add_one(store, results) -> None:
    started_clean = store._handle is None  # the fork hook dropped the parent's
    results.put((started_clean, store.add(GOOD, MODEL)))
    store.close()  # closes the child's own connection, not the parent's


# gunicorn forks its workers from a master that may have used the store, threads
# (PostgreSQL's pool) and all; the child must neither use nor close what it
# inherited, or the parent's connection breaks and is silently replaced.
@pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded:DeprecationWarning"
)
def test_a_forked_child_opens_its_own_connections(store, processes):
    before = store.add(GOOD, MODEL)
    session = _session(store)
    fork = multiprocessing.get_context("fork")
    results = fork.Queue()
    child = fork.Process(target=_add_one, args=(store, results))
    processes.append(child)
    child.start()
    started_clean, in_child = results.get(timeout=TIMEOUT)
    child.join(TIMEOUT)
    results.close()
    results.join_thread()
    assert child.exitcode == 0
    assert started_clean
    assert _session(store) == session
    after = store.add(GOOD, MODEL)
    assert [row["id"] for row in store.export()] == [before, in_child, after]


def _write_until_killed(config: dict, sender) -> None:
    """Add rows forever, reporting each id once add() has returned."""
    with open_store(config) as store:
        while True:
            # 12 bytes a message: one pipe write, which SIGKILL cannot split.
            sender.send_bytes(struct.pack("<q", store.add(GOOD, MODEL)))


def test_killing_a_writer_loses_no_committed_row(store, config, processes):
    spawn = multiprocessing.get_context("spawn")
    receiver, sender = spawn.Pipe(duplex=False)
    writer = spawn.Process(target=_write_until_killed, args=(config, sender))
    processes.append(writer)
    writer.start()
    sender.close()  # the child's copy is now the only one: its death means EOF
    reported = []
    with receiver:
        while len(reported) < 40:
            assert receiver.poll(TIMEOUT), "the writer stopped reporting"
            reported.append(struct.unpack("<q", receiver.recv_bytes())[0])
        os.kill(writer.pid, signal.SIGKILL)  # most likely in the middle of an add()
        writer.join(TIMEOUT)
        while True:
            try:
                reported.append(struct.unpack("<q", receiver.recv_bytes())[0])
            except EOFError:
                break
    assert writer.exitcode == -signal.SIGKILL

    stored = [row["id"] for row in store.export()]
    assert len(stored) == len(set(stored))
    assert set(reported) <= set(stored)
    assert len(stored) - len(reported) <= 1  # committed, killed before reporting
    assert store.add(GOOD, MODEL) > max(stored)  # and the store still takes writes
