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


def batch_cost() -> int:
    """A batch costs as many requests as it holds items."""
    body = request.get_json(silent=True) if request.is_json else None
    items = body.get("items") if isinstance(body, dict) else None
    return max(1, len(items)) if isinstance(items, list) else 1


def score_limit() -> str:
    return current_app.config["RATE_LIMIT_SCORE"]


def feedback_limit() -> str:
    return current_app.config["RATE_LIMIT_FEEDBACK"]


def _exempt_from_default() -> bool:
    # Health is open; feedback and batches have limits of their own (api.py).
    return request.endpoint in OPEN_ENDPOINTS or request.endpoint in (
        "api.feedback",
        "api.score_batch",
    )


#: Per client, the limits read from the app's configuration; routes in api.py
#: that need another limit say so with ``@limiter.limit``.
limiter = Limiter(
    key_func=client_key,
    headers_enabled=True,
    default_limits=[score_limit],
    default_limits_exempt_when=_exempt_from_default,
    # A broken limit store must not take the service down.
    swallow_errors=True,
)


def init_limiter(app) -> Limiter:
    """Attach the rate limiter to ``app``, with its storage and switch."""
    # Shared by every worker only when the counts live in Redis.
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI",
        app.config.get("RATE_LIMIT_STORAGE_URI")
        or app.config.get("REDIS_URL")
        or "memory://",
    )
    app.config.setdefault("RATELIMIT_ENABLED", bool(app.config["RATE_LIMIT_ENABLED"]))
    limiter.init_app(app)
    return limiter
