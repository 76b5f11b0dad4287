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
(``backend.feedback.store`` has the shared queries, ``backend.feedback.backends``
the two databases).

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
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from backend.errors import (  # noqa: F401  (re-exported for callers)
    BadInput,
    FeedbackNotFound,
    FeedbackUnavailable,
)
from backend.pages.fetch import MAX_URL_LENGTH

if TYPE_CHECKING:
    from backend.feedback.store import FeedbackStore

VERDICTS = ("too_high", "too_low", "about_right")
#: Review states; "pending" is stored as NULL.
REVIEW_STATES = ("pending", "accepted", "rejected")
FIELDS = ("url", "headline", "score_seen", "verdict", "note")
REQUIRED = ("url", "headline", "score_seen", "verdict")

MAX_HEADLINE_CHARS = 1000
MAX_NOTE_CHARS = 2000
MAX_MODEL_VERSION_CHARS = 200
#: Seconds to wait for a busy SQLite file or a PostgreSQL connection.
DEFAULT_TIMEOUT = 10.0
DEFAULT_POOL_SIZE = 4


def validate_feedback(item: Any) -> dict:
    """The feedback record in ``item``, checked and tidied, or BadInput saying why not.

    Unknown fields are refused, not ignored: a misspelt field ("verdit") is then
    reported to the client instead of silently lost, and nothing the store does
    not keep can look as if it had been accepted. Headline and note lose
    surrounding whitespace, and a blank note is no note. The URL is only stored,
    never fetched; its fragment is dropped (browsers never send it to servers,
    and it can hold a page's private state) and a URL with a user name or
    password in it is refused.
    """
    if not isinstance(item, Mapping):
        raise BadInput("feedback must be a JSON object")
    unknown = [str(name)[:40] for name in item if name not in FIELDS]
    if unknown:
        raise BadInput(
            f"unknown feedback field(s) {', '.join(map(repr, unknown[:5]))};"
            f" expected {', '.join(FIELDS)}"
        )
    for name in REQUIRED:
        if item.get(name) is None:
            raise BadInput(f'"{name}" is required')
    note = item.get("note")
    return {
        "url": _url(item["url"]),
        "headline": _text(item["headline"], "headline", MAX_HEADLINE_CHARS),
        "score_seen": _score(item["score_seen"]),
        "verdict": _verdict(item["verdict"]),
        "note": None if note is None else _text(note, "note", MAX_NOTE_CHARS, True),
    }


def _string(value: Any, field: str) -> str:
    """A string a database can store: UTF-8 encodable and free of NUL."""
    if not isinstance(value, str):
        raise BadInput(f'"{field}" must be a string')
    if "\x00" in value:
        raise BadInput(f'"{field}" contains a NUL character')
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone surrogate, e.g. "\ud800" in JSON
        raise BadInput(f'"{field}" is not valid Unicode text') from err
    return value


def _text(value: Any, field: str, limit: int, blank: bool = False) -> str | None:
    text = _string(value, field).strip()
    if not text and blank:
        return None
    if not 1 <= len(text) <= limit:
        raise BadInput(f'"{field}" must be 1 to {limit:,} characters long')
    return text


def _url(value: Any) -> str:
    url = _string(value, "url")
    if len(url) > MAX_URL_LENGTH:
        raise BadInput(f'"url" is longer than {MAX_URL_LENGTH:,} characters')
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise BadInput('"url" contains spaces or control characters')
    try:
        parts = urlsplit(url)
    except ValueError as err:
        raise BadInput(f'"url" is not a valid URL: {err}') from err
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadInput('"url" must be an absolute http or https URL')
    if parts.username is not None or parts.password is not None:
        raise BadInput('"url" must not contain a user name or password')
    return url.split("#", 1)[0]


def _score(value: Any) -> int:
    # bool is an int in Python, but true is not a score.
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput('"score_seen" must be an integer')
    if not 0 <= value <= 100:
        raise BadInput('"score_seen" must be between 0 and 100')
    return value


def _verdict(value: Any) -> str:
    if value not in VERDICTS:
        raise BadInput(f'"verdict" must be one of {", ".join(VERDICTS)}')
    return value


def validate_model_version(value: Any) -> str:
    """The version of the model whose score the reader saw; ours, so ValueError."""
    if (
        not isinstance(value, str)
        or not 1 <= len(value) <= MAX_MODEL_VERSION_CHARS
        or "\x00" in value
    ):
        raise ValueError(f"model_version must be a short non-empty string: {value!r}")
    return value


def open_store(config: Mapping[str, Any]) -> FeedbackStore:
    """The store the configuration names; it connects on first use, not here.

    FEEDBACK_DATABASE_URL (postgresql://...) selects PostgreSQL; otherwise
    FEEDBACK_DB_PATH is the SQLite file. FEEDBACK_DB_TIMEOUT (seconds) bounds
    the wait for a busy file or a connection; FEEDBACK_POOL_SIZE caps the
    PostgreSQL connections one process holds.
    """
    from backend.feedback.backends import PostgresStore, SQLiteStore

    timeout = float(config.get("FEEDBACK_DB_TIMEOUT") or DEFAULT_TIMEOUT)
    url = config.get("FEEDBACK_DATABASE_URL")
    if url:
        if not str(url).startswith(("postgresql://", "postgres://")):
            raise ValueError("FEEDBACK_DATABASE_URL must be a postgresql:// URL")
        size = int(config.get("FEEDBACK_POOL_SIZE") or DEFAULT_POOL_SIZE)
        return PostgresStore(str(url), timeout=timeout, pool_size=size)
    path = config.get("FEEDBACK_DB_PATH")
    if not path:
        raise ValueError("set FEEDBACK_DB_PATH or FEEDBACK_DATABASE_URL")
    return SQLiteStore(str(path), timeout=timeout)


_migrated: set[tuple[int, int]] = set()
_migrate_lock = threading.Lock()


def migrate_once(store: FeedbackStore) -> None:
    """Run the store's migrations the first time this process uses it."""
    key = (os.getpid(), id(store))
    if key in _migrated:
        return
    with _migrate_lock:
        if key not in _migrated:
            store.migrate()
            _migrated.add(key)
