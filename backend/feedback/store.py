"""The feedback store both databases share: its schema, queries and connections.

``FeedbackStore`` holds the queries, the migrations, and opening connections
lazily, once per process. Its subclasses in ``backend.feedback.backends`` say
only how to connect to SQLite or PostgreSQL, how to run one transaction there,
and how each spells the columns that differ.
"""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from backend.config import DEFAULTS
from backend.errors import BadInput, FeedbackNotFound, FeedbackUnavailable
from backend.feedback.records import (
    REVIEW_STATES,
    VERDICTS,
    validate_feedback,
    validate_model_version,
)

DEFAULT_TIMEOUT = DEFAULTS["FEEDBACK_DB_TIMEOUT"]

log = logging.getLogger(__name__)

COLUMNS = (
    "id",
    "created_at",
    "url",
    "headline",
    "score_seen",
    "verdict",
    "note",
    "model_version",
    "reviewed",
)
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM feedback"

# The columns after id and created_at, spelt alike by both databases.
_SHARED_COLUMNS = """
    url TEXT NOT NULL,
    headline TEXT NOT NULL,
    score_seen INTEGER NOT NULL CHECK (score_seen BETWEEN 0 AND 100),
    verdict TEXT NOT NULL CHECK (verdict IN ('too_high', 'too_low', 'about_right')),
    note TEXT,
    model_version TEXT NOT NULL,
    reviewed TEXT CHECK (reviewed IN ('accepted', 'rejected'))
"""


def schema_steps(id_column: str, time_type: str) -> tuple:
    """Schema steps as (version, statements): append new steps, never edit old ones.

    Each step runs in one transaction with its version's row, and is idempotent
    on its own as well (IF NOT EXISTS), so replaying it can do no harm.
    """
    return (
        (
            1,
            (
                f"CREATE TABLE IF NOT EXISTS feedback ({id_column},"
                f" created_at {time_type} NOT NULL, {_SHARED_COLUMNS})",
                "CREATE INDEX IF NOT EXISTS feedback_by_review"
                " ON feedback (reviewed, id)",
            ),
        ),
    )


# What forked children inherited: kept referenced and never closed, because
# closing a connection from the child would end or disturb the parent's session.
_INHERITED: list[Any] = []
_STORES: weakref.WeakSet[FeedbackStore] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for store in list(_STORES):
        store._forget_inherited()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _now() -> datetime:
    return datetime.now(UTC)


class FeedbackStore:
    """Feedback records in a SQL database, shared by the threads of one process."""

    #: How the driver marks a parameter; the queries here are written with "?".
    param = "?"
    migrations: tuple = ()
    #: The driver's exceptions, reported to callers as FeedbackUnavailable.
    errors: tuple[type[Exception], ...] = ()
    #: Rows read per query when exporting: no lock or connection is held between.
    page_size = 500

    def __init__(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self._lock = threading.RLock()
        self._handle: Any = None  # this process's connection or pool, once opened
        self._closed = False
        _STORES.add(self)

    def migrate(self) -> int:
        """Bring the schema up to date and return its version; safe to repeat."""
        with self._transaction(write=True) as conn:
            self._lock_schema(conn)
            conn.execute(
                "CREATE TABLE IF NOT EXISTS feedback_schema_version"
                " (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            (current,) = conn.execute(
                "SELECT COALESCE(MAX(version), 0) FROM feedback_schema_version"
            ).fetchone()
            for version, statements in self.migrations:
                if version <= current:
                    continue
                for statement in statements:
                    conn.execute(statement)
                conn.execute(
                    self._sql(
                        "INSERT INTO feedback_schema_version (version, applied_at)"
                        " VALUES (?, ?)"
                    ),
                    (version, _now().isoformat(timespec="seconds")),
                )
                current = version
        return current

    def add(self, record: dict, model_version: str) -> int:
        """Save one record in its own transaction and return its id.

        The transaction has committed when this returns: the row is durable.
        """
        record = validate_feedback(record)
        model_version = validate_model_version(model_version)
        values = (
            self._timestamp(_now()),
            *(record[name] for name in COLUMNS[2:7]),
            model_version,
        )
        with self._transaction(write=True) as conn:
            rows = conn.execute(
                self._sql(
                    f"INSERT INTO feedback ({', '.join(COLUMNS[1:8])})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"
                ),
                values,
            ).fetchall()
        return int(rows[0][0])

    def export(
        self, reviewed: str | None = None, verdict: str | None = None
    ) -> Iterator[dict]:
        """Every record, or those in one review state (and with one verdict), in
        id order.

        Pages are read in short transactions, so a slow reader holds nothing
        and rows added meanwhile may or may not appear.
        """
        # Checked now, not on the first next().
        where, params = self._filter(reviewed, verdict)
        return self._pages(where, params)

    def _pages(self, where: str, params: tuple) -> Iterator[dict]:
        last = 0
        while True:
            with self._transaction(write=False) as conn:
                rows = conn.execute(
                    self._sql(f"{_SELECT} WHERE id > ?{where} ORDER BY id LIMIT ?"),
                    (last, *params, self.page_size),
                ).fetchall()
            yield from map(self._record, rows)
            if len(rows) < self.page_size:
                return
            last = rows[-1][0]

    @staticmethod
    def _check_review(record_id: int, state: str) -> None:
        if isinstance(record_id, bool) or not isinstance(record_id, int):
            raise BadInput("a feedback id must be an integer")
        if state not in REVIEW_STATES:
            raise BadInput(f"a review must be one of {', '.join(REVIEW_STATES)}")
        if not 1 <= record_id < 2**63:
            raise FeedbackNotFound(f"no feedback has id {record_id}")

    def review(self, record_id: int, state: str) -> None:
        """Mark a record accepted or rejected, or pending again."""
        self._check_review(record_id, state)
        with self._transaction(write=True) as conn:
            cursor = conn.execute(
                self._sql("UPDATE feedback SET reviewed = ? WHERE id = ?"),
                (None if state == "pending" else state, record_id),
            )
            if cursor.rowcount == 0:
                raise FeedbackNotFound(f"no feedback has id {record_id}")

    def review_many(self, changes) -> int:
        """Set the review of many records, in one transaction; return how many.

        ``changes`` is (id, state) pairs. Nothing changes unless every id exists
        (FeedbackNotFound names the missing ones) and every state is one.
        """
        rows = []
        for record_id, state in changes:
            self._check_review(record_id, state)
            rows.append((None if state == "pending" else state, record_id))
        if not rows:
            return 0
        missing = []
        with self._transaction(write=True) as conn:
            for row in rows:
                cursor = conn.execute(
                    self._sql("UPDATE feedback SET reviewed = ? WHERE id = ?"), row
                )
                if cursor.rowcount == 0:
                    missing.append(row[1])
            if missing:
                # Raised inside the transaction: it rolls back, nothing changed.
                shown = ", ".join(map(str, missing[:10]))
                more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
                raise FeedbackNotFound(
                    f"no feedback has id {shown}{more}; nothing was changed"
                )
        return len(rows)

    def review_pending(self, state: str, verdict: str | None = None) -> list[int]:
        """Set the review of every pending record (with ``verdict``, if given), in
        one transaction; return their ids."""
        self._check_review(1, state)
        where, params = self._filter("pending", verdict)
        with self._transaction(write=True) as conn:
            ids = [
                int(row[0])
                for row in conn.execute(
                    self._sql(f"SELECT id FROM feedback WHERE TRUE{where} ORDER BY id"),
                    params,
                ).fetchall()
            ]
            if state == "pending":
                return []  # pending rows set to pending: nothing was reviewed
            # By the ids just read, so rows that arrive meanwhile are neither
            # changed nor miscounted.
            update = self._sql("UPDATE feedback SET reviewed = ? WHERE id = ?")
            for record_id in ids:
                conn.execute(update, (state, record_id))
        return ids

    def count(self, reviewed: str | None = None) -> int:
        """How many records there are, or how many in one review state."""
        where, params = self._review_filter(reviewed)
        with self._transaction(write=False) as conn:
            (total,) = conn.execute(
                self._sql(f"SELECT COUNT(*) FROM feedback WHERE TRUE{where}"), params
            ).fetchone()
        return int(total)

    def close(self) -> None:
        """Close this process's connections; the store cannot be used after."""
        with self._lock:
            self._closed = True
            handle, self._handle = self._handle, None
            if handle is not None:
                self._close(handle)

    def __enter__(self) -> FeedbackStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _filter(self, reviewed: str | None, verdict: str | None) -> tuple[str, tuple]:
        where, params = self._review_filter(reviewed)
        if verdict is None:
            return where, params
        if verdict not in VERDICTS:
            raise BadInput(f"a verdict must be one of {', '.join(VERDICTS)}")
        return where + " AND verdict = ?", (*params, verdict)

    def _review_filter(self, reviewed: str | None) -> tuple[str, tuple]:
        if reviewed is None:
            return "", ()
        if reviewed not in REVIEW_STATES:
            raise BadInput(f"a review must be one of {', '.join(REVIEW_STATES)}")
        if reviewed == "pending":
            return " AND reviewed IS NULL", ()
        return " AND reviewed = ?", (reviewed,)

    def _record(self, row: tuple) -> dict:
        record = dict(zip(COLUMNS, row, strict=True))
        if isinstance(record["created_at"], datetime):
            moment = record["created_at"].astimezone(UTC)
            record["created_at"] = moment.isoformat(timespec="microseconds")
        return record

    def _sql(self, query: str) -> str:
        return query.replace("?", self.param)

    def _connection(self) -> Any:
        """This process's connection or pool, opened on first use."""
        with self._lock:
            if self._closed:
                raise FeedbackUnavailable("the feedback store has been closed")
            if self._handle is None:
                self._handle = self._open()
            return self._handle

    def _forget_inherited(self) -> None:
        """In a forked child: leave the parent's connections be; open anew."""
        if self._handle is not None:
            _INHERITED.append(self._handle)
        self._handle = None
        self._lock = threading.RLock()  # the parent may have held the old one

    @contextmanager
    def _unavailable_on_error(self) -> Iterator[None]:
        try:
            yield
        except self.errors as err:
            # The driver's message can name hosts and paths: log it, don't send it.
            log.warning("feedback store failed: %s", err)
            raise FeedbackUnavailable() from err

    # What each database supplies.

    def _open(self) -> Any:
        raise NotImplementedError

    def _close(self, handle: Any) -> None:
        raise NotImplementedError

    def _transaction(self, write: bool) -> Any:
        """A context giving a connection inside a transaction, committed at exit."""
        raise NotImplementedError

    def _lock_schema(self, conn: Any) -> None:
        """Keep other processes from migrating at the same time."""

    def _timestamp(self, moment: datetime) -> Any:
        return moment
