"""Caching scored results: in-process by default, Redis when a URL is configured.

Keys name the model version, so a new model never answers from an old model's
cache. Redis is shared by every worker and machine behind a load balancer; when
it goes away the service keeps answering, uncached, and tries again later.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time

from cachetools import TTLCache

log = logging.getLogger(__name__)


def cache_key(model_version: str, kind: str, *parts: str) -> str:
    """A short key for (model version, kind of input, the input itself)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()
    return f"sensationalism:{model_version}:{kind}:{digest}"


class MemoryCache:
    """A thread-safe TTL cache local to one process."""

    def __init__(
        self, ttl: float, max_entries: int = 1024, timer=time.monotonic
    ) -> None:
        # ``timer`` is the clock entries age by (tests pass one they can wind on).
        self._data: TTLCache = TTLCache(maxsize=max_entries, ttl=ttl, timer=timer)
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            return self._data.get(key)

    def set(self, key: str, value: dict) -> None:
        with self._lock:
            self._data[key] = value


class RedisCache:
    """A cache in Redis; every Redis failure is a miss, never an error."""

    #: After a failure, skip Redis for this long rather than wait on it per request.
    RETRY_AFTER = 5.0

    def __init__(self, url: str, ttl: float, timeout: float = 0.2) -> None:
        try:
            import redis
        except ImportError as err:
            raise ValueError(
                "REDIS_URL is set, but the redis package is not installed: "
                "pip install 'sensationalism[serve]'"
            ) from err

        self._redis = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self._errors = (redis.RedisError, OSError)
        self._ttl = max(1, int(ttl))
        self._down_until = 0.0

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, err: Exception) -> None:
        log.warning("redis cache unavailable, serving uncached: %s", err)
        self._down_until = time.monotonic() + self.RETRY_AFTER

    def get(self, key: str) -> dict | None:
        if not self._available():
            return None
        try:
            raw = self._redis.get(key)
        except self._errors as err:
            self._failed(err)
            return None
        try:
            return json.loads(raw) if raw else None
        except ValueError:  # a corrupt entry is a miss
            return None

    def set(self, key: str, value: dict) -> None:
        if not self._available():
            return
        try:
            self._redis.set(key, json.dumps(value), ex=self._ttl)
        except self._errors as err:
            self._failed(err)


class NoCache:
    """Caching turned off (a TTL of 0)."""

    def get(self, key: str) -> None:
        return None

    def set(self, key: str, value: dict) -> None:
        pass


def make_cache(config) -> MemoryCache | RedisCache | NoCache:
    """The cache the configuration asks for."""
    ttl = float(config["CACHE_TTL"])
    if ttl <= 0:
        return NoCache()
    if config.get("REDIS_URL"):
        return RedisCache(config["REDIS_URL"], ttl)
    return MemoryCache(ttl, int(config["CACHE_MAX_ENTRIES"]))
