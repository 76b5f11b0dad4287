"""The scoring service: fetch a page, find its headline and body, score and explain."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from model import artifacts

DEFAULT_FEEDBACK_DB = (
    Path(__file__).resolve().parents[1] / "instance" / "feedback.sqlite3"
)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask app: defaults, then SENSATIONALISM_* variables, then tests."""
    app = Flask(__name__)
    app.config.from_mapping(
        ARTIFACT_DIR=str(artifacts.ARTIFACT_DIR),
        # Largest request body; a page's HTML is capped separately below.
        MAX_CONTENT_LENGTH=6 * 1024 * 1024,
        MAX_HTML_BYTES=5_000_000,
        MAX_BATCH_ITEMS=100,
        # Seconds: the fetch (connect to last byte, redirects included), then
        # extraction and scoring; a batch as a whole. Past one: 504 "timeout".
        FETCH_TIMEOUT=10.0,
        REQUEST_BUDGET=10.0,
        BATCH_BUDGET=30.0,
        FETCH_MAX_REDIRECTS=5,
        # Only for local testing: lets the service fetch pages from 127.0.0.1.
        FETCH_ALLOW_LOOPBACK=False,
        CACHE_TTL=300,
        CACHE_MAX_ENTRIES=1024,
        REDIS_URL=None,
        # Optional: a list of keys; when set, every route but health needs one.
        API_KEYS=None,
        # Per client; any "N per minute/hour" string. Storage: REDIS_URL when
        # set (shared by all workers), else memory:// (each worker counts alone).
        RATE_LIMIT_ENABLED=True,
        RATE_LIMIT_SCORE="120 per minute",
        RATE_LIMIT_FEEDBACK="20 per minute",
        RATE_LIMIT_STORAGE_URI=None,
        # Behind N reverse proxies, trust the last N X-Forwarded-For entries for
        # the client's address (rate limits); 0 trusts none.
        PROXY_FIX_X_FOR=0,
        # Reader feedback: a SQLite file, or PostgreSQL when a URL is set.
        FEEDBACK_DB_PATH=str(DEFAULT_FEEDBACK_DB),
        FEEDBACK_DATABASE_URL=None,
    )
    # e.g. SENSATIONALISM_REDIS_URL=redis://localhost:6379/0 (values parsed as JSON)
    app.config.from_prefixed_env("SENSATIONALISM")
    if test_config is not None:
        app.config.from_mapping(test_config)
    keys = app.config["API_KEYS"]
    if keys is not None and (
        not isinstance(keys, list | tuple)
        or not all(isinstance(k, str) and len(k) >= 16 for k in keys)
    ):
        raise ValueError(
            "API_KEYS must be a list of strings of at least 16 characters, e.g. "
            "SENSATIONALISM_API_KEYS='[\"a-long-random-key-1\"]'"
        )

    from backend import errors
    from backend.feedback import open_store
    from backend.live_model import LiveModel
    from backend.service import Settings, load_scorer
    from backend.web import access, api
    from backend.web.cache import make_cache

    app.extensions["sensationalism"] = {
        # Reloads itself when a new artifact is published (backend.live_model).
        "model": LiveModel(app.config["ARTIFACT_DIR"], load_scorer),
        "cache": make_cache(app.config),
        "settings": Settings.from_config(app.config),
        # Connects on first use, in each worker (see backend.feedback).
        "feedback": open_store(app.config),
    }
    if int(app.config["PROXY_FIX_X_FOR"]) > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX_X_FOR"]))
    errors.register(app)
    app.before_request(access.check_api_key)
    app.register_blueprint(api.bp)
    app.extensions["sensationalism"]["limiter"] = access.make_limiter(app)
    return app
