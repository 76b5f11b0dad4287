"""Every setting of the service and the CLI, with its default, in one place.

Settings come from ``DEFAULTS``, then ``SENSATIONALISM_*`` environment variables
(values parsed as JSON, e.g. ``SENSATIONALISM_CACHE_TTL=0``), then a mapping
given by the caller (tests). ``create_app`` and the CLI both build theirs with
``load``, so a setting means the same wherever it is read. Fixed limits of the
request format (not settings) are the constants below ``DEFAULTS``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Config

from model import artifacts

# A headline longer than this is no headline; the model refuses it too.
from model.limits import MAX_HEADLINE_CHARS  # noqa: F401 (a limit of the format)
from model.training.data import DEFAULT_DATA_DIR

PREFIX = "SENSATIONALISM"


def _instance_folder() -> str:
    """Where Flask keeps this app's instance folder (project/instance when run
    from a checkout, <prefix>/var/backend-instance when installed)."""
    from flask import Flask

    return Flask("backend").instance_path


DEFAULTS: dict[str, Any] = {
    # The model artifacts (.joblib with its .json, or a manifest naming them:
    # `sensationalism publish`); reloaded when they change.
    "ARTIFACT_DIR": str(artifacts.ARTIFACT_DIR),
    # Where `sensationalism train` stages its candidates (None: ARTIFACT_DIR/staging).
    "STAGE_DIR": None,
    # Seconds between tries to load a published model that failed its checks.
    "MODEL_RETRY_SECONDS": 2.0,
    # Training and evaluation data (read only; see ../shared/datasets/README.md).
    "DATA_DIR": str(DEFAULT_DATA_DIR),
    # Largest request body; a page's HTML is capped separately below.
    "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
    "MAX_HTML_BYTES": 5_000_000,
    "MAX_BATCH_ITEMS": 100,
    # Seconds: the fetch (connect to last byte, redirects included), then
    # extraction and scoring; a batch as a whole. Past one: 504 "timeout".
    "FETCH_TIMEOUT": 10.0,
    "REQUEST_BUDGET": 10.0,
    "BATCH_BUDGET": 30.0,
    "FETCH_MAX_REDIRECTS": 5,
    # Only for local testing: lets the service fetch pages from 127.0.0.1.
    "FETCH_ALLOW_LOOPBACK": False,
    # Result cache: seconds (0 turns it off), entries per process, or Redis.
    "CACHE_TTL": 300,
    "CACHE_MAX_ENTRIES": 1024,
    "REDIS_URL": None,
    # Optional: a list of keys; when set, every route but health needs one.
    "API_KEYS": None,
    # Per client (an API key's reader, from X-Reader-Id, else the key, else the
    # address); any "N per minute/hour" string. Storage: RATE_LIMIT_STORAGE_URI,
    # else REDIS_URL (shared by all workers), else memory:// (per worker).
    "RATE_LIMIT_ENABLED": True,
    "RATE_LIMIT_SCORE": "120 per minute",
    "RATE_LIMIT_FEEDBACK": "20 per minute",
    # All readers of one API key together (scoring and feedback), so that a
    # shared key with made-up reader ids cannot get round the limits.
    "RATE_LIMIT_PER_KEY": "3000 per minute",
    "RATE_LIMIT_STORAGE_URI": None,
    # Key of the hashes that name rate-limit buckets (never stored raw). None: a
    # random one, shared through Redis when the counts are there, else per worker.
    "RATE_LIMIT_SALT": None,
    # Behind N reverse proxies, trust the last N X-Forwarded-For entries for
    # the client's address (rate limits); 0 trusts none.
    "PROXY_FIX_X_FOR": 0,
    # Reader feedback: a SQLite file (None: feedback.sqlite3 in the instance
    # folder), or PostgreSQL when a URL is set.
    "FEEDBACK_DB_PATH": None,
    "FEEDBACK_DATABASE_URL": None,
    # Seconds to wait for a busy SQLite file or a PostgreSQL connection.
    "FEEDBACK_DB_TIMEOUT": 10.0,
    # PostgreSQL connections one process keeps.
    "FEEDBACK_POOL_SIZE": 4,
}

# Limits of the request format, the same for every deployment.
MAX_URL_LENGTH = 2048
MAX_BODY_CHARS = 2_000_000
MAX_NOTE_CHARS = 2000
MAX_MODEL_VERSION_CHARS = 200


def load(overrides: Mapping[str, Any] | None = None) -> Config:
    """The settings: defaults, then SENSATIONALISM_* variables, then ``overrides``."""
    config = Config(os.getcwd())
    config.from_mapping(DEFAULTS)
    config.from_prefixed_env(PREFIX)
    if overrides is not None:
        config.from_mapping(overrides)
    if not config["FEEDBACK_DB_PATH"]:
        config["FEEDBACK_DB_PATH"] = os.path.join(
            _instance_folder(), "feedback.sqlite3"
        )
    check(config)
    return config


def check(config: Mapping[str, Any]) -> None:
    """Refuse settings that cannot work, naming the setting and an example."""
    keys = config["API_KEYS"]
    if keys is not None and (
        not isinstance(keys, list | tuple)
        or not all(isinstance(k, str) and len(k) >= 16 for k in keys)
    ):
        raise ValueError(
            "API_KEYS must be a list of strings of at least 16 characters, e.g. "
            "SENSATIONALISM_API_KEYS='[\"a-long-random-key-1\"]'"
        )
