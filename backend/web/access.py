"""Who may call the API, and how often: optional API keys and per-client rate limits.

API keys are off until ``API_KEYS`` is configured; then every route but health
needs a matching ``X-API-Key`` header. Keys are compared in constant time over
their SHA-256 digests, so neither the content nor the length of a key leaks
through timing. Rate limits count per client (the API key when there is one,
else a salted hash of the address: no address is stored) and answer 429 with
Retry-After. The counts are kept in Redis when ``REDIS_URL`` (or
``RATE_LIMIT_STORAGE_URI``) is set, so all workers share them; otherwise each
worker process counts alone, and N workers let N times the limit through.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app, request
from flask_limiter import Limiter

from backend.errors import Unauthorized

OPEN_ENDPOINTS = frozenset({"api.health"})
_SALT = secrets.token_bytes(16)  # per process: hashes cannot be joined across runs


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "replace")).digest()


def key_matches(given: str | None, keys) -> bool:
    """Whether ``given`` equals one of ``keys``, in time independent of both."""
    if given is None:
        return False
    digest = _digest(given)
    found = False
    for key in keys:
        found |= hmac.compare_digest(digest, _digest(key))
    return found


def _configured_keys() -> tuple[str, ...]:
    keys = current_app.config.get("API_KEYS") or ()
    return (keys,) if isinstance(keys, str) else tuple(keys)


def check_api_key() -> None:
    """Before each request: refuse it when keys are configured and none matches."""
    keys = _configured_keys()
    if not keys or request.endpoint in OPEN_ENDPOINTS:
        return
    if not key_matches(request.headers.get("X-API-Key"), keys):
        raise Unauthorized()


def client_key() -> str:
    """The rate-limit bucket of this request's client."""
    api_key = request.headers.get("X-API-Key")
    if api_key and key_matches(api_key, _configured_keys()):
        return "key:" + hashlib.sha256(api_key.encode()).hexdigest()[:16]
    address = request.remote_addr or "unknown"
    return "addr:" + hashlib.blake2b(address.encode(), key=_SALT).hexdigest()[:16]


def _batch_cost() -> int:
    body = request.get_json(silent=True) if request.is_json else None
    items = body.get("items") if isinstance(body, dict) else None
    return max(1, len(items)) if isinstance(items, list) else 1


def make_limiter(app) -> Limiter:
    """A rate limiter for this app, with limits read from its configuration."""
    limiter = Limiter(
        key_func=client_key,
        app=app,
        # Shared by every worker only when the counts live in Redis.
        storage_uri=app.config.get("RATE_LIMIT_STORAGE_URI")
        or app.config.get("REDIS_URL")
        or "memory://",
        headers_enabled=True,
        default_limits=[lambda: current_app.config["RATE_LIMIT_SCORE"]],
        default_limits_exempt_when=lambda: (
            request.endpoint in OPEN_ENDPOINTS or request.endpoint == "api.feedback"
        ),
        # A broken limit store must not take the service down.
        swallow_errors=True,
        enabled=bool(app.config.get("RATE_LIMIT_ENABLED", True)),
    )
    # Feedback has a limit of its own (it writes to the database).
    app.view_functions["api.feedback"] = limiter.limit(
        lambda: current_app.config["RATE_LIMIT_FEEDBACK"]
    )(app.view_functions["api.feedback"])
    # A batch costs as many requests as it holds items.
    app.view_functions["api.score_batch"] = limiter.limit(
        lambda: current_app.config["RATE_LIMIT_SCORE"], cost=_batch_cost
    )(app.view_functions["api.score_batch"])
    return limiter
