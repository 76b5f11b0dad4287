"""The result cache: in-process, and shared through a real Redis server."""

from backend import create_app
from backend.web.cache import MemoryCache, NoCache, RedisCache, cache_key

HEADLINE = {"headline": "Nine ways to save money"}


def make_app(artifact_dir, **config):
    return create_app(
        {
            "TESTING": True,
            "ARTIFACT_DIR": str(artifact_dir),
            "CACHE_TTL": 60,
            "RATE_LIMIT_ENABLED": False,
            **config,
        }
    )


def test_key_names_the_model_version():
    assert cache_key("v1", "url", "https://a.example") != cache_key(
        "v2", "url", "https://a.example"
    )
    assert cache_key("v1", "url", "x").startswith("sensationalism:v1:url:")


def test_memory_cache_expires():
    now = [1000.0]
    cache = MemoryCache(ttl=60, timer=lambda: now[0])
    cache.set("k", {"score": 1})
    now[0] += 59.9
    assert cache.get("k") == {"score": 1}
    now[0] += 0.2
    assert cache.get("k") is None


def test_zero_ttl_turns_caching_off(small_artifact_dir):
    app = make_app(small_artifact_dir, CACHE_TTL=0)
    assert isinstance(app.extensions["sensationalism"]["cache"], NoCache)
    client = app.test_client()
    client.post("/api/v1/score", json=HEADLINE)
    assert client.post("/api/v1/score", json=HEADLINE).get_json()["cached"] is False


def test_workers_share_results_through_redis(small_artifact_dir, redis_url):
    _, url = redis_url
    first = make_app(small_artifact_dir, REDIS_URL=url).test_client()
    second = make_app(small_artifact_dir, REDIS_URL=url).test_client()
    assert isinstance(
        first.application.extensions["sensationalism"]["cache"], RedisCache
    )
    a = first.post("/api/v1/score", json=HEADLINE).get_json()
    b = second.post("/api/v1/score", json=HEADLINE).get_json()
    assert a["cached"] is False
    assert b["cached"] is True
    assert b["score"] == a["score"] and b["reasons"] == a["reasons"]


def test_service_answers_uncached_when_redis_goes_away(small_artifact_dir, redis_url):
    server, url = redis_url
    client = make_app(small_artifact_dir, REDIS_URL=url).test_client()
    assert client.post("/api/v1/score", json=HEADLINE).status_code == 200
    server.kill()
    server.wait()
    for _ in range(3):
        response = client.post("/api/v1/score", json={"headline": "Court rules"})
        assert response.status_code == 200
        assert response.get_json()["cached"] is False
