"""The two databases feedback can live in: a SQLite file, or a PostgreSQL server.

Each says only how to connect, how to run one transaction, and how its columns
are spelt; the queries and the rest are ``backend.feedback.store.FeedbackStore``'s.
"""

from __future__ import annotations

import os
import sqlite3
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from backend.config import DEFAULTS
from backend.feedback.store import DEFAULT_TIMEOUT, FeedbackStore, schema_steps

DEFAULT_POOL_SIZE = DEFAULTS["FEEDBACK_POOL_SIZE"]


class SQLiteStore(FeedbackStore):
    """One SQLite file in WAL mode; per process, one connection behind a lock.

    ``synchronous=FULL`` syncs the log at every commit, so a row survives a power
    cut as well as a killed process. Other processes writing the same file wait
    up to ``timeout`` for its write lock (the busy timeout) rather than fail;
    writing transactions take that lock at BEGIN IMMEDIATE, where SQLite can
    wait for it, instead of upgrading a read lock, where it cannot.
    """

    errors = (sqlite3.Error, OSError)
    migrations = schema_steps("id INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT")

    def __init__(
        self, path: str, timeout: float = DEFAULT_TIMEOUT, create: bool = True
    ) -> None:
        super().__init__(timeout)
        self.path = path
        # False for readers (the CLI): a wrong path must not become a new store.
        self.create = create

    def _open(self) -> sqlite3.Connection:
        if self.create:
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            target, uri = self.path, False
        else:
            target = (
                "file:" + urllib.parse.quote(os.path.abspath(self.path)) + "?mode=rw"
            )
            uri = True
        # timeout= is SQLite's busy timeout; transactions are ours (BEGIN/COMMIT).
        conn = sqlite3.connect(
            target,
            timeout=self.timeout,
            isolation_level=None,
            check_same_thread=False,
            uri=uri,
        )
        try:
            self._use_wal(conn)
            conn.execute("PRAGMA synchronous = FULL")
        except BaseException:
            conn.close()
            raise
        return conn

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        """Switch the file to WAL, waiting up to ``timeout`` for the other processes.

        Turning a new file to WAL needs it to itself, and SQLite answers "database
        is locked" at once, without its busy timeout, while another connection is
        doing the same; so wait and try again here. Once a file is in WAL mode it
        stays so, and later connections pass at the first try.
        """
        deadline = time.monotonic() + self.timeout
        pause = 0.005
        while True:
            try:
                (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
                break
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.1)
        if mode.lower() != "wal":
            raise sqlite3.OperationalError(f"journal mode {mode}, not WAL")

    def _close(self, conn: sqlite3.Connection) -> None:
        conn.close()

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        with self._unavailable_on_error(), self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.rollback()
                raise

    def _timestamp(self, moment: datetime) -> str:
        return moment.isoformat(timespec="microseconds")


class PostgresStore(FeedbackStore):
    """A PostgreSQL database, through a small connection pool in each process.

    A commit returns once the server has it on disk (its default,
    ``synchronous_commit = on``), so here too add() returning means durable.
    """

    param = "%s"
    migrations = schema_steps(
        "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "TIMESTAMPTZ"
    )
    #: Any fixed number: the advisory lock that lets one process migrate at a time.
    MIGRATION_LOCK = 0x5E45_F33D

    def __init__(
        self,
        url: str,
        timeout: float = DEFAULT_TIMEOUT,
        pool_size: int = DEFAULT_POOL_SIZE,
    ) -> None:
        # Imported here: only installations that configure PostgreSQL need them.
        try:
            import psycopg
            import psycopg_pool
        except ImportError as err:
            raise ValueError(
                "FEEDBACK_DATABASE_URL is set, but psycopg is not installed: "
                "pip install 'sensationalism[serve]'"
            ) from err

        super().__init__(timeout)
        self.url = url
        self.pool_size = pool_size
        self.errors = (psycopg.Error, OSError)  # PoolTimeout is a psycopg.Error
        self._pool_class = psycopg_pool.ConnectionPool

    def _open(self) -> Any:
        pool = self._pool_class(
            self.url,
            min_size=1,
            max_size=self.pool_size,
            open=False,
            timeout=self.timeout,
            kwargs={
                "connect_timeout": max(1, round(self.timeout)),
                # No query, nor a wait for a lock, outlasts the timeout either.
                "options": f"-c statement_timeout={round(self.timeout * 1000)}",
                "application_name": "sensationalism-feedback",
            },
            # A connection the server dropped is replaced, not handed out.
            check=self._pool_class.check_connection,
            name="feedback",
        )
        try:
            pool.open(wait=True, timeout=self.timeout)
        except BaseException:
            pool.close()
            raise
        return pool

    def _close(self, pool: Any) -> None:
        pool.close()

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Any]:
        with self._unavailable_on_error():
            pool = self._connection()
            with pool.connection() as conn, conn.transaction():
                yield conn

    def _lock_schema(self, conn: Any) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (self.MIGRATION_LOCK,))
