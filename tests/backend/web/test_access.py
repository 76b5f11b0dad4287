"""API keys and rate limits."""

import pytest

from backend import create_app
from backend.web.access import key_matches

KEY = "k3y-0123456789abcdef"
HEADLINE = {"headline": "Nine ways to save money"}


def make_client(artifact_dir, **config):
    app = create_app(
        {"TESTING": True, "ARTIFACT_DIR": str(artifact_dir), "CACHE_TTL": 0, **config}
    )
    return app.test_client()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (KEY, True),
        (None, False),
        ("", False),
        (KEY[:-1], False),
        (KEY + "x", False),
        ("x" * 500, False),
        (KEY.upper(), False),
    ],
    ids=["right", "none", "empty", "one short", "one long", "very long", "case"],
)
def test_key_matches(given, expected):
    assert key_matches(given, [KEY, "another-key"]) is expected


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"X-API-Key": KEY}, 200),
        ({}, 401),
        ({"X-API-Key": "wrong-key-of-same-len"}, 401),
        ({"X-API-Key": "short"}, 401),
        ({"X-API-Key": KEY + KEY}, 401),
        ({"Authorization": f"Bearer {KEY}"}, 401),
    ],
    ids=["right key", "no key", "wrong key", "short key", "long key", "other header"],
)
def test_api_key_required_when_configured(small_artifact_dir, headers, status):
    client = make_client(small_artifact_dir, API_KEYS=[KEY], RATE_LIMIT_ENABLED=False)
    response = client.post("/api/v1/score", json=HEADLINE, headers=headers)
    assert response.status_code == status
    if status == 401:
        assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/model"),
        ("get", "/api/v1/openapi.json"),
        ("post", "/api/v1/score/batch"),
    ],
)
def test_every_route_but_health_needs_the_key(small_artifact_dir, method, path):
    client = make_client(small_artifact_dir, API_KEYS=[KEY], RATE_LIMIT_ENABLED=False)
    assert getattr(client, method)(path).status_code == 401
    assert client.get("/api/v1/health").status_code == 200


def test_no_key_needed_when_none_configured(small_artifact_dir):
    client = make_client(small_artifact_dir, RATE_LIMIT_ENABLED=False)
    assert client.post("/api/v1/score", json=HEADLINE).status_code == 200


def test_scoring_rate_limit_answers_429_with_retry_after(small_artifact_dir):
    client = make_client(small_artifact_dir, RATE_LIMIT_SCORE="3 per minute")
    statuses = [
        client.post("/api/v1/score", json=HEADLINE).status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    response = client.post("/api/v1/score", json=HEADLINE)
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["error"]["code"] == "too_many_requests"


def test_limits_are_per_client(small_artifact_dir):
    client = make_client(small_artifact_dir, RATE_LIMIT_SCORE="2 per minute")
    for _ in range(2):
        client.post(
            "/api/v1/score", json=HEADLINE, environ_base={"REMOTE_ADDR": "1.1.1.1"}
        )
    blocked = client.post(
        "/api/v1/score", json=HEADLINE, environ_base={"REMOTE_ADDR": "1.1.1.1"}
    )
    other = client.post(
        "/api/v1/score", json=HEADLINE, environ_base={"REMOTE_ADDR": "2.2.2.2"}
    )
    assert (blocked.status_code, other.status_code) == (429, 200)


def test_health_is_not_rate_limited(small_artifact_dir):
    client = make_client(small_artifact_dir, RATE_LIMIT_SCORE="1 per minute")
    assert {client.get("/api/v1/health").status_code for _ in range(5)} == {200}


def test_a_batch_costs_one_request_per_item(small_artifact_dir):
    client = make_client(small_artifact_dir, RATE_LIMIT_SCORE="5 per minute")
    batch = {"items": [HEADLINE] * 4}
    assert client.post("/api/v1/score/batch", json=batch).status_code == 200
    assert client.post("/api/v1/score/batch", json=batch).status_code == 429


@pytest.mark.parametrize(
    "keys",
    ["a-single-string-key", [""], ["short"], [123], {"k": "v"}],
    ids=["string", "empty", "short", "number", "mapping"],
)
def test_misconfigured_keys_stop_the_start(small_artifact_dir, keys):
    with pytest.raises(ValueError, match="API_KEYS"):
        make_client(small_artifact_dir, API_KEYS=keys)


@pytest.mark.parametrize(
    ("hops", "separate"), [(0, False), (1, True)], ids=["no proxy", "one proxy"]
)
def test_clients_behind_a_proxy(small_artifact_dir, hops, separate):
    client = make_client(
        small_artifact_dir, RATE_LIMIT_SCORE="1 per minute", PROXY_FIX_X_FOR=hops
    )

    def post(address: str) -> int:
        return client.post(
            "/api/v1/score", json=HEADLINE, headers={"X-Forwarded-For": address}
        ).status_code

    assert post("203.0.113.1") == 200
    # Trusted, the header tells clients apart; untrusted, it cannot dodge a limit.
    assert post("203.0.113.2") == (200 if separate else 429)


@pytest.mark.parametrize(
    ("config", "storage"),
    [
        ({}, "MemoryStorage"),
        ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "RedisStorage"),
        (
            {
                "REDIS_URL": "redis://127.0.0.1:1/0",
                "RATE_LIMIT_STORAGE_URI": "memory://",
            },
            "MemoryStorage",
        ),
    ],
    ids=["per-worker-by-default", "shared-through-redis", "explicit-storage-wins"],
)
def test_rate_limits_are_shared_through_redis_when_configured(
    small_artifact_dir, config, storage
):
    from backend.web.access import limiter

    create_app({"TESTING": True, "ARTIFACT_DIR": str(small_artifact_dir), **config})
    assert type(limiter.storage).__name__ == storage


READER_A = "0b5c6c1e-7d5e-4a53-9a4e-2f1c3b7d9e10"
READER_B = "6f0e2d4c-1a3b-4c5d-8e7f-9a0b1c2d3e4f"


def test_readers_sharing_a_key_are_limited_each_on_their_own(small_artifact_dir):
    client = make_client(
        small_artifact_dir, API_KEYS=[KEY], RATE_LIMIT_SCORE="2 per minute"
    )

    def post(reader: str | None) -> int:
        headers = {"X-API-Key": KEY}
        if reader is not None:
            headers["X-Reader-Id"] = reader
        return client.post("/api/v1/score", json=HEADLINE, headers=headers).status_code

    assert [post(READER_A) for _ in range(3)] == [200, 200, 429]
    assert [post(READER_B) for _ in range(3)] == [200, 200, 429]
    # Without a reader id (or with one that is not an id), the key's own bucket.
    assert [post(None), post("x"), post(None)] == [200, 200, 429]


def test_made_up_reader_ids_do_not_get_round_the_key_limit(small_artifact_dir):
    client = make_client(
        small_artifact_dir,
        API_KEYS=[KEY],
        RATE_LIMIT_SCORE="2 per minute",
        RATE_LIMIT_PER_KEY="5 per minute",
    )
    statuses = []
    for n in range(7):  # a new reader every time, as a key thief would send
        reader = f"{n:04d}" + READER_A[4:]
        headers = {"X-API-Key": KEY, "X-Reader-Id": reader}
        statuses.append(
            client.post("/api/v1/score", json=HEADLINE, headers=headers).status_code
        )
    assert statuses == [200] * 5 + [429] * 2
    # Feedback and batches count against the same key total.
    feedback = client.post(
        "/api/v1/feedback",
        json={"headline": "x", "score_seen": 50, "verdict": "too_high"},
        headers={"X-API-Key": KEY, "X-Reader-Id": READER_B},
    )
    assert feedback.status_code == 429


def test_a_reader_id_without_a_key_does_not_dodge_the_address_limit(
    small_artifact_dir,
):
    client = make_client(small_artifact_dir, RATE_LIMIT_SCORE="2 per minute")
    statuses = [
        client.post(
            "/api/v1/score", json=HEADLINE, headers={"X-Reader-Id": reader}
        ).status_code
        for reader in (READER_A, READER_B, READER_A.replace("0", "1"))
    ]
    assert statuses == [200, 200, 429]


def test_buckets_hold_no_key_reader_or_address(small_artifact_dir):
    from backend.web.access import client_key

    app = create_app(
        {"TESTING": True, "ARTIFACT_DIR": str(small_artifact_dir), "API_KEYS": [KEY]}
    )
    headers = {"X-API-Key": KEY, "X-Reader-Id": READER_A}
    with app.test_request_context(
        "/api/v1/score", headers=headers, environ_base={"REMOTE_ADDR": "203.0.113.9"}
    ):
        bucket = client_key()
    assert bucket.startswith("key:") and ":reader:" in bucket
    assert KEY not in bucket and READER_A not in bucket and "203.0.113" not in bucket


def test_workers_with_one_salt_share_buckets(small_artifact_dir):
    from backend.web.access import client_key

    def bucket(**config) -> str:
        app = create_app(
            {"TESTING": True, "ARTIFACT_DIR": str(small_artifact_dir), **config}
        )
        with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.9"}):
            return client_key()

    assert bucket(RATE_LIMIT_SALT="s") == bucket(RATE_LIMIT_SALT="s")
    assert bucket() != bucket()  # no salt, no Redis: per process (here, per app)


def test_the_salt_is_shared_through_redis(small_artifact_dir, redis_url):
    from backend.web.access import client_key

    _, url = redis_url

    def bucket() -> str:
        app = create_app(
            {"TESTING": True, "ARTIFACT_DIR": str(small_artifact_dir), "REDIS_URL": url}
        )
        with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.9"}):
            return client_key()

    assert bucket() == bucket()
