"""Who may call the API, and how often: optional API keys and per-client rate limits.

API keys are off until ``API_KEYS`` is configured; then every route but health
needs a matching ``X-API-Key`` header. Keys are compared in constant time over
their SHA-256 digests, so neither the content nor the length of a key leaks
through timing. Rate limits count per client and answer 429 with Retry-After.
A client is:

- with a valid API key and an ``X-Reader-Id`` header (the extension sends a
  random id made once per installation): that reader within that key, so the
  readers sharing one key each get the whole limit;
- with a valid key and no (or a malformed) reader id: the key;
- without a key: the address. A reader id counts only behind a key.

A shared key sits in every extension's settings, so whoever holds it could make
up a new reader id per request; every keyed request therefore also counts
against the key as a whole (``RATE_LIMIT_PER_KEY``, across the scoring and
feedback routes), which bounds all its readers together.

Buckets hold keyed hashes, never a key, an id or an address. The hashing key is
``RATE_LIMIT_SALT`` when set; else, with Redis, a random salt kept in Redis and
shared by every worker (made by the first); else a random one per process. The
counts are kept in Redis when ``REDIS_URL`` (or ``RATE_LIMIT_STORAGE_URI``) is
set, so all workers share them; otherwise each worker process counts alone, and
N workers let N times the limit through.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets

from flask import current_app, request
from flask_limiter import Limiter

from backend.errors import Unauthorized

OPEN_ENDPOINTS = frozenset({"api.health"})
READER_HEADER = "X-Reader-Id"
# What an id may look like (the extension's is a UUID): no more is hashed.
_READER_ID = re.compile(r"[A-Za-z0-9_-]{16,128}")
_SALT_KEY = "sensationalism:rate-limit-salt"

log = logging.getLogger(__name__)


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


def _hashed(value: str) -> str:
    salt = current_app.extensions["sensationalism"]["rate_limit_salt"]
    return hashlib.blake2b(value.encode(), key=salt, digest_size=12).hexdigest()


def _valid_key() -> str | None:
    api_key = request.headers.get("X-API-Key")
    return api_key if api_key and key_matches(api_key, _configured_keys()) else None


def key_bucket() -> str:
    """The bucket of the whole API key (all its readers), for RATE_LIMIT_PER_KEY."""
    return "key-total:" + _hashed(_valid_key() or "")


def without_key() -> bool:
    """No valid key: the per-key limit does not apply (the address limit does)."""
    return _valid_key() is None


def key_limit() -> str:
    return current_app.config["RATE_LIMIT_PER_KEY"]


def client_key() -> str:
    """The rate-limit bucket of this request's client (see the module)."""
    api_key = _valid_key()
    if api_key:
        bucket = "key:" + _hashed(api_key)
        reader = request.headers.get(READER_HEADER)
        if reader is not None and _READER_ID.fullmatch(reader):
            bucket += ":reader:" + _hashed(reader)
        return bucket
    return "addr:" + _hashed(request.remote_addr or "unknown")


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
#: that need another limit say so with ``@limiter.limit``, and every keyed
#: route also counts against its key (``per_key``).
limiter = Limiter(
    key_func=client_key,
    headers_enabled=True,
    default_limits=[score_limit],
    default_limits_exempt_when=_exempt_from_default,
    # A broken limit store must not take the service down.
    swallow_errors=True,
)


def per_key():
    """A route's share of its key's overall limit (``RATE_LIMIT_PER_KEY``)."""
    return limiter.shared_limit(
        key_limit,
        scope="per-key",
        key_func=key_bucket,
        exempt_when=without_key,
        override_defaults=False,
        cost=batch_cost,
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
    app.extensions["sensationalism"]["rate_limit_salt"] = _salt(app.config)
    limiter.init_app(app)
    return limiter


def _salt(config) -> bytes:
    """The key of the buckets' hashes: one for every worker sharing the counts."""
    if config.get("RATE_LIMIT_SALT"):
        return hashlib.blake2b(str(config["RATE_LIMIT_SALT"]).encode()).digest()[:16]
    uri = config["RATELIMIT_STORAGE_URI"]
    if config["RATELIMIT_ENABLED"] and uri.split(":", 1)[0].startswith(
        ("redis", "rediss")
    ):
        try:
            import redis

            client = redis.Redis.from_url(
                uri, socket_timeout=2, socket_connect_timeout=2
            )
            client.set(_SALT_KEY, secrets.token_hex(16), nx=True)  # the first makes it
            shared = client.get(_SALT_KEY)
            if shared:
                return hashlib.blake2b(shared).digest()[:16]
        except Exception as err:  # the limiter itself fails open (swallow_errors)
            log.warning(
                "rate limits: no shared salt from %s (%s): each worker counts "
                "alone until restarted; set RATE_LIMIT_SALT to avoid this",
                uri.split("@")[-1],
                err,
            )
    return secrets.token_bytes(16)  # hashes cannot be joined across processes
