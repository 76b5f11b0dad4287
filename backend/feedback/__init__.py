"""Reader feedback on scores: checked here, then kept durably in a SQL database.

A reader who thinks a score was too high or too low says so from the extension.
A record keeps only what they sent (the page's URL, its headline, the score they
saw, their verdict, an optional note) plus its id, the UTC time it arrived, the
model version that produced the score, and a maintainer's review: pending (NULL),
accepted or rejected, so that training folds in reviewed rows only. No IP
address, user agent, cookie or account is ever stored.

SQLite is the default (one file in WAL mode at FEEDBACK_DB_PATH); PostgreSQL is
used when FEEDBACK_DATABASE_URL is set. Both keep the same schema, created by
``migrate()``, which is safe to run twice and from several workers at once
(``records`` checks a record, ``store`` has the shared queries, ``backends``
the two databases; each imports only the ones before it).

Processes and threads: ``open_store()`` connects to nothing. Each process opens
its own connections on first use, and a forked child (a gunicorn worker forked
from a master that already used the store) drops, without closing, whatever it
inherited and opens its own. Threads of one process share the store: SQLite
through one connection behind a lock, PostgreSQL through a small pool.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

from backend.config import DEFAULTS
from backend.errors import FeedbackNotFound, FeedbackUnavailable
from backend.feedback.backends import PostgresStore, SQLiteStore
from backend.feedback.records import (
    REVIEW_STATES,
    VERDICTS,
    validate_feedback,
    validate_model_version,
)
from backend.feedback.store import FeedbackStore

__all__ = [
    "REVIEW_STATES",
    "VERDICTS",
    "FeedbackNotFound",
    "FeedbackStore",
    "FeedbackUnavailable",
    "migrate_once",
    "open_store",
    "validate_feedback",
    "validate_model_version",
]


def open_store(config: Mapping[str, Any], create: bool = True) -> FeedbackStore:
    """The store the configuration names; it connects on first use, not here.

    ``create=False`` (for commands that read a store): a SQLite file that does
    not exist is not created; using the store raises FeedbackUnavailable.

    FEEDBACK_DATABASE_URL (postgresql://...) selects PostgreSQL; otherwise
    FEEDBACK_DB_PATH is the SQLite file. FEEDBACK_DB_TIMEOUT (seconds) bounds
    the wait for a busy file or a connection; FEEDBACK_POOL_SIZE caps the
    PostgreSQL connections one process holds.
    """
    timeout = float(
        config.get("FEEDBACK_DB_TIMEOUT") or DEFAULTS["FEEDBACK_DB_TIMEOUT"]
    )
    url = config.get("FEEDBACK_DATABASE_URL")
    if url:
        if not str(url).startswith(("postgresql://", "postgres://")):
            raise ValueError("FEEDBACK_DATABASE_URL must be a postgresql:// URL")
        size = int(config.get("FEEDBACK_POOL_SIZE") or DEFAULTS["FEEDBACK_POOL_SIZE"])
        return PostgresStore(str(url), timeout=timeout, pool_size=size)
    path = config.get("FEEDBACK_DB_PATH")
    if not path:
        raise ValueError("set FEEDBACK_DB_PATH or FEEDBACK_DATABASE_URL")
    return SQLiteStore(str(path), timeout=timeout, create=create)


_migrate_lock = threading.Lock()


def migrate_once(store: FeedbackStore) -> None:
    """Run the store's migrations the first time this process uses it."""
    # Marked on the store itself: a set of id(store) took a new store for one
    # that had been freed and migrated when Python gave it the same id.
    if getattr(store, "_migrated_in", None) == os.getpid():
        return
    with _migrate_lock:
        if getattr(store, "_migrated_in", None) != os.getpid():
            store.migrate()
            store._migrated_in = os.getpid()
