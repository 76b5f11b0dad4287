"""The scoring service: fetch a page, find its headline and body, score and explain."""

from __future__ import annotations

from flask import Flask

from backend import config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask app: defaults, then SENSATIONALISM_* variables, then tests.

    Every setting and its default is in ``backend.config``.
    """
    app = Flask(__name__)
    app.config.update(config.load(test_config))
    _log_with_time_and_level(app)

    from backend import errors
    from backend.feedback import open_store
    from backend.live_model import LiveModel
    from backend.service import Settings, load_scorer
    from backend.web import access, api
    from backend.web.cache import make_cache

    app.extensions["sensationalism"] = {
        # Reloads itself when a new artifact is published (backend.live_model).
        "model": LiveModel(
            app.config["ARTIFACT_DIR"],
            load_scorer,
            retry_seconds=float(app.config["MODEL_RETRY_SECONDS"]),
        ),
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
    app.extensions["sensationalism"]["limiter"] = access.init_limiter(app)
    return app


def _log_with_time_and_level(app: Flask) -> None:
    """Make the service's warnings (model loads, swaps, refusals) show in its log.

    Under gunicorn nothing configures Python's logging, so a warning came out
    bare, without its time or level. Flask's logger is the "backend" logger,
    parent of every module's here; reading ``app.logger`` gives it Flask's
    handler (time, level, module; to the WSGI error stream, which is gunicorn's
    error log) when no handler would already take its records, and leaves it
    alone when one would (an application's own logging setup, pytest's capture).
    """
    app.logger  # noqa: B018 (reading it is what installs the handler)
