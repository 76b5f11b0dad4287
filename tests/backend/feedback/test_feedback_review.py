"""Reviewing feedback from the CLI: a readable list, many rows in one command."""

import json

import pytest

from backend.cli import main
from backend.feedback import migrate_once, open_store

VERDICTS = ("too_high", "too_low", "about_right")


@pytest.fixture
def db(tmp_path):
    """A store with 12 pending rows, verdicts in turn."""
    path = tmp_path / "feedback.sqlite3"
    store = open_store({"FEEDBACK_DB_PATH": str(path), "FEEDBACK_DATABASE_URL": None})
    migrate_once(store)
    for n in range(12):
        store.add(
            {
                "url": f"https://example.com/{n}",
                "headline": f"Headline number {n} " + "very long " * (n == 3) * 30,
                "score_seen": 5 * n,
                "verdict": VERDICTS[n % 3],
                "note": None,
            },
            model_version="headline-test",
        )
    store.close()
    return path


def reviews(path) -> dict:
    store = open_store({"FEEDBACK_DB_PATH": str(path), "FEEDBACK_DATABASE_URL": None})
    with store:
        return {r["id"]: r["reviewed"] for r in store.export()}


def cli(runner, db, *args):
    return runner.invoke(main, ["feedback", *args, "--db-path", str(db)])


def test_list_shows_pending_rows_as_a_table(runner, db):
    cli(runner, db, "review", "accepted", "1")
    result = cli(runner, db, "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "score", "verdict", "headline"]
    assert len(lines) == 1 + 11  # row 1 is no longer pending
    assert lines[1].split()[:4] == ["2", "5", "too_low", "Headline"]
    assert max(len(line) for line in lines) <= 120  # long headlines are cut
    assert "11 pending rows" in result.stderr


def test_list_by_verdict(runner, db):
    result = cli(runner, db, "list", "--verdict", "about_right")
    ids = [int(line.split()[0]) for line in result.stdout.splitlines()[1:]]
    assert ids == [3, 6, 9, 12]


def test_review_by_ids_and_ranges_in_one_command(runner, db):
    result = cli(runner, db, "review", "accepted", "1", "3-5", "7,9")
    assert result.exit_code == 0, result.output
    assert "6 feedback rows reviewed: accepted" in result.output
    accepted = {i for i, r in reviews(db).items() if r == "accepted"}
    assert accepted == {1, 3, 4, 5, 7, 9}


def test_the_old_form_still_works(runner, db):
    result = cli(runner, db, "review", "4", "rejected")
    assert result.exit_code == 0 and "feedback 4: rejected" in result.output
    assert reviews(db)[4] == "rejected"


def test_an_unknown_id_changes_nothing(runner, db):
    result = cli(runner, db, "review", "accepted", "1-3", "999")
    assert result.exit_code == 1
    assert "999" in result.output and "nothing was changed" in result.output
    assert set(reviews(db).values()) == {None}


def test_review_by_filter(runner, db):
    result = cli(runner, db, "review", "rejected", "--verdict", "about_right")
    assert result.exit_code == 0, result.output
    assert "4 feedback rows reviewed: rejected" in result.output
    result = cli(runner, db, "review", "accepted", "--all-pending")
    assert "8 feedback rows reviewed: accepted" in result.output
    assert {i for i, r in reviews(db).items() if r == "rejected"} == {3, 6, 9, 12}


def test_review_from_an_edited_export(runner, db, tmp_path):
    exported = cli(runner, db, "export", "--reviewed", "pending").stdout
    rows = [json.loads(line) for line in exported.splitlines()]
    for row in rows:
        row["reviewed"] = "accepted" if row["id"] % 2 else "rejected"
    rows[0]["reviewed"] = None  # left pending
    edited = tmp_path / "edited.jsonl"
    edited.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = cli(runner, db, "review", "--from-file", str(edited))
    assert result.exit_code == 0, result.output
    assert "12 feedback rows reviewed" in result.output
    states = reviews(db)
    assert states[1] is None and states[2] == "rejected" and states[3] == "accepted"
    # The other use: keep the lines to accept, give the state.
    kept = tmp_path / "kept.jsonl"
    kept.write_text("".join(json.dumps(r) + "\n" for r in rows[:2]))
    cli(runner, db, "review", "accepted", "--from-file", str(kept))
    assert reviews(db)[2] == "accepted"


@pytest.mark.parametrize(
    "args",
    [
        ["review", "1", "2"],
        ["review", "accepted"],
        ["review", "accepted", "rejected", "1"],
        ["review", "accepted", "1", "--all-pending"],
        ["review", "accepted", "x-y"],
    ],
    ids=["no-state", "no-rows", "two-states", "ids-and-filter", "not-ids"],
)
def test_review_usage_errors(runner, db, args):
    result = cli(runner, db, *args)
    assert result.exit_code == 2, result.output
    assert set(reviews(db).values()) == {None}


@pytest.mark.parametrize(
    "args",
    [["export"], ["list"], ["review", "accepted", "1"]],
    ids=["export", "list", "review"],
)
def test_a_store_that_does_not_exist_is_refused_not_created(runner, tmp_path, args):
    missing = tmp_path / "instance" / "feedback.sqlite3"
    result = runner.invoke(main, ["feedback", *args, "--db-path", str(missing)])
    assert result.exit_code == 2
    assert f"no feedback store at {missing}" in result.output
    assert not missing.exists() and not missing.parent.exists()
