import http.client
import json
import threading
from pathlib import Path

import pytest
from openapi_schema_validator import OAS31Validator

from backend.feedback import migrate_once
from backend.schema import spec

PAGES = Path(__file__).resolve().parents[2] / "pages"
PAGE = PAGES / "harbour-post.ward-recount.html"


def validate(body: dict, schema_name: str) -> None:
    schema = {
        "$ref": f"#/components/schemas/{schema_name}",
        "components": spec()["components"],
    }
    OAS31Validator(schema).validate(body)


def test_score_headline(client):
    response = client.post("/api/v1/score", json={"headline": "17 Things You Need"})
    assert response.status_code == 200
    body = response.get_json()
    validate(body, "ScoreResult")
    assert body["article"]["headline"] == {
        "text": "17 Things You Need",
        "source": "request",
    }
    assert body["article"]["body_chars"] == 0


def test_score_html_fetches_nothing(client):
    html = PAGE.read_text(encoding="utf-8")
    response = client.post(
        "/api/v1/score", json={"html": html, "url": "https://harbourpost.example/x"}
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    validate(body, "ScoreResult")
    assert body["article"]["headline"]["source"] == "h1"
    assert "recount" in body["headline"]["text"]
    assert body["article"]["body_chars"] > 500
    assert "fetch_ms" not in body["timing"]


def test_second_identical_request_is_cached(client):
    first = client.post("/api/v1/score", json={"headline": "Nine ways to save money"})
    second = client.post("/api/v1/score", json={"headline": "Nine ways to save money"})
    assert first.get_json()["cached"] is False
    assert second.get_json()["cached"] is True
    assert second.get_json()["score"] == first.get_json()["score"]


def test_batch_answers_in_place(client):
    items = [
        {"headline": "You won't believe this"},
        {"nothing": 1},
        {"url": "file:///etc/passwd"},
        {"html": "<html><body></body></html>"},
    ]
    response = client.post("/api/v1/score/batch", json={"items": items})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r.get("error", {}).get("code") for r in results] == [
        None,
        "bad_input",
        "forbidden_url",
        "no_headline",
    ]
    assert [r.get("status") for r in results] == [None, 400, 400, 422]


def test_batch_scores_each_item_as_alone_and_caches_them(client):
    items = [
        {"headline": "Nine ways to save money"},
        {"headline": "Court rules on budget", "body": "The court ruled. " * 40},
        {"headline": " \n "},
        {"headline": "Nine ways to save money"},
    ]
    results = client.post("/api/v1/score/batch", json={"items": items}).get_json()[
        "results"
    ]
    assert results[2]["error"]["code"] == "bad_input"
    for item, result in zip(items[:2], results[:2], strict=True):
        alone = client.post("/api/v1/score", json=item).get_json()
        assert alone["cached"] is True  # the batch stored it
        assert result["cached"] is False
        assert {k: result[k] for k in ("score", "reasons", "highlights")} == {
            k: alone[k] for k in ("score", "reasons", "highlights")
        }
    assert results[3]["score"] == results[0]["score"]
    assert set(results[0]["timing"]) == {"score_ms", "total_ms"}


@pytest.mark.parametrize(
    "body",
    [{}, {"items": []}, {"items": "x"}, {"items": [{"headline": "x"}] * 101}],
    ids=["no items", "empty", "not a list", "too many"],
)
def test_bad_batches(client, body):
    response = client.post("/api/v1/score/batch", json=body)
    assert response.status_code == 400
    validate(response.get_json(), "Error")


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"data": "{not json", "content_type": "application/json"}, 400, "bad_input"),
        ({"data": "headline=x", "content_type": "text/plain"}, 400, "bad_input"),
        (
            {"data": b"\xff\xfe\x00binary", "content_type": "application/json"},
            400,
            "bad_input",
        ),
        ({"json": []}, 400, "bad_input"),
        ({"json": "just a string"}, 400, "bad_input"),
        ({"json": {}}, 400, "bad_input"),
        ({"json": {"headline": ""}}, 400, "bad_input"),
        ({"json": {"headline": 42}}, 400, "bad_input"),
        ({"json": {"headline": "x" * 1001}}, 400, "bad_input"),
        ({"json": {"headline": "a\x00b"}}, 400, "bad_input"),
        ({"json": {"headline": "x", "url": "https://example.com"}}, 400, "bad_input"),
        ({"json": {"url": "https://example.com", "body": "x"}}, 400, "bad_input"),
        ({"json": {"url": "javascript:alert(1)"}}, 400, "forbidden_url"),
        ({"json": {"url": "http://127.0.0.1:5000/"}}, 400, "forbidden_url"),
        ({"json": {"url": "http://[::ffff:169.254.169.254]/"}}, 400, "forbidden_url"),
        ({"json": {"url": "http://" + "a" * 3000}}, 400, "bad_input"),
        ({"json": {"html": "x" * 5_000_001}}, 413, "too_large"),
        (
            {"data": "x" * (7 * 1024 * 1024), "content_type": "application/json"},
            413,
            "too_large",
        ),
        ({"json": {"html": "<html><p>no headline</p></html>"}}, 422, "no_headline"),
        ({"json": {"url": "http://[::1"}}, 400, "bad_input"),
        (
            {"data": "[" * 100_000 + "]" * 100_000, "content_type": "application/json"},
            400,
            "bad_input",
        ),
        ({"json": {"headline": "Is it \ud800"}}, 400, "bad_input"),
        (
            {"json": {"html": "<h1>A headline</h1>", "url": "javascript:alert(1)"}},
            400,
            "bad_input",
        ),
    ],
    ids=[
        "malformed json",
        "not json",
        "binary",
        "a list",
        "a string",
        "empty object",
        "empty headline",
        "headline not string",
        "headline too long",
        "NUL",
        "headline and url",
        "url and body",
        "javascript url",
        "loopback url",
        "mapped metadata address",
        "huge url",
        "html too large",
        "request too large",
        "no headline",
        "unclosed ipv6 bracket",
        "deeply nested",
        "lone surrogate",
        "html with a javascript url",
    ],
)
def test_bad_input_gets_a_clear_error(client, kwargs, status, code):
    response = client.post("/api/v1/score", **kwargs)
    assert response.status_code == status
    body = response.get_json()
    validate(body, "Error")
    assert body["error"]["code"] == code
    assert "Traceback" not in response.get_data(as_text=True)


def test_markup_in_headline_comes_back_as_text(client):
    headline = '<img src=x onerror="alert(1)"> Shocking'
    response = client.post("/api/v1/score", json={"headline": headline})
    assert response.get_json()["headline"]["text"] == headline
    assert response.headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/nope", 404),
        ("delete", "/api/v1/score", 405),
        ("get", "/api/v1/score", 405),
    ],
)
def test_http_errors_are_json(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    validate(response.get_json(), "Error")


def test_health_and_model(client, small_scorer):
    health = client.get("/api/v1/health").get_json()
    assert health == {"status": "ok", "model": {"version": small_scorer.version}}
    model = client.get("/api/v1/model").get_json()
    assert model["version"] == small_scorer.version
    assert model["headline"]["version"] == small_scorer.metadata["version"]
    assert model["stance"] is None  # the small test model has no stance artifact


def test_model_reports_both_committed_models(committed_scorer, tmp_path):
    from backend import create_app

    app = create_app({"TESTING": True, "FEEDBACK_DB_PATH": str(tmp_path / "f.sqlite3")})
    model = app.test_client().get("/api/v1/model").get_json()
    assert model["version"] == committed_scorer.version
    assert model["headline"]["metrics"]["stop_clickbait"]["n"] > 1000
    assert model["stance"]["version"] == committed_scorer.body_checker.version
    assert model["stance"]["metrics"]


def test_openapi_documents_every_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {
        (path, method.upper())
        for path, ops in document["paths"].items()
        for method in ops
    }
    served = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == served
    from openapi_spec_validator import validate as validate_spec

    validate_spec(json.loads(json.dumps(document)))


def test_configuration_from_environment(monkeypatch, small_artifact_dir):
    from backend import create_app

    monkeypatch.setenv("SENSATIONALISM_MAX_BATCH_ITEMS", "2")
    monkeypatch.setenv("SENSATIONALISM_ARTIFACT_DIR", str(small_artifact_dir))
    app = create_app({"TESTING": True})
    assert app.config["MAX_BATCH_ITEMS"] == 2
    response = app.test_client().post(
        "/api/v1/score/batch", json={"items": [{"headline": "x"}] * 3}
    )
    assert response.status_code == 400


FEEDBACK = {
    "url": "https://example.com/story",
    "headline": "Is this the end?",
    "score_seen": 81,
    "verdict": "too_high",
}


def test_feedback_is_stored_with_the_model_version(app, client, small_scorer):
    response = client.post("/api/v1/feedback", json={**FEEDBACK, "note": "calm piece"})
    assert response.status_code == 201
    record_id = response.get_json()["id"]
    rows = list(app.extensions["sensationalism"]["feedback"].export())
    assert [r["id"] for r in rows] == [record_id]
    assert rows[0]["model_version"] == small_scorer.version
    assert rows[0]["note"] == "calm piece"
    assert set(rows[0]) == {
        "id",
        "created_at",
        "url",
        "headline",
        "score_seen",
        "verdict",
        "note",
        "model_version",
        "reviewed",
    }


@pytest.mark.parametrize(
    "change",
    [
        {"verdict": "meh"},
        {"score_seen": 101},
        {"url": "javascript:alert(1)"},
        {"headline": ""},
        {"ip": "1.2.3.4"},
    ],
    ids=["verdict", "score", "url", "headline", "unknown field"],
)
def test_bad_feedback_changes_nothing(app, client, change):
    response = client.post("/api/v1/feedback", json={**FEEDBACK, **change})
    assert response.status_code == 400
    validate(response.get_json(), "Error")
    store = app.extensions["sensationalism"]["feedback"]
    migrate_once(store)
    assert store.count() == 0


def test_a_page_with_malformed_links_still_scores(client):
    html = (
        '<html><head><link rel="canonical" href="http://[::1">'
        '<meta property="og:url" content="http://[bad"></head>'
        '<body><h1><a href="http://[x">Council approves new budget</a></h1>'
        "<p>The council approved the budget.</p></body></html>"
    )
    response = client.post(
        "/api/v1/score", json={"html": html, "url": "https://a.example/"}
    )
    assert response.status_code == 200
    assert response.get_json()["article"]["url"] == "https://a.example/"


@pytest.mark.parametrize(
    "headline",
    ["\u200b\u200c\u200d\ufeff", "\u00ad", "\u2060\u200e \u200f", "\u3164\u115f"],
    ids=["zero-widths-and-bom", "soft-hyphen", "joiner-and-marks", "hangul-fillers"],
)
def test_an_invisible_headline_is_refused(client, headline):
    response = client.post("/api/v1/score", json={"headline": headline})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "no_headline"


def test_an_invisible_headline_in_a_batch_is_refused_in_place(client):
    items = [{"headline": "\u200b\u00ad"}, {"headline": "17 Things You Need"}]
    response = client.post("/api/v1/score/batch", json={"items": items})
    results = response.get_json()["results"]
    assert results[0]["error"]["code"] == "no_headline"
    assert results[0]["status"] == 422
    assert "score" in results[1]


@pytest.fixture
def served(app):
    """The app behind Werkzeug's server on a real 127.0.0.1 socket."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.mark.integration
@pytest.mark.parametrize("path", ["/api/v1/score", "/api/v1/score/batch"])
def test_a_huge_chunked_body_is_too_large_not_bad_json(served, path):
    connection = http.client.HTTPConnection("127.0.0.1", served.server_port, timeout=30)
    chunk = b"[" * (1024 * 1024)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    sent = 0
    try:  # 100 MB, unless the server answers and hangs up first
        while sent < 100 * 1024 * 1024:
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        connection.send(b"0\r\n\r\n")
    except OSError:
        pass
    response = connection.getresponse()
    assert response.status == 413
    assert json.loads(response.read())["error"]["code"] == "too_large"


def test_a_request_past_its_budget_is_a_504_timeout(small_artifact_dir, tmp_path):
    from backend import create_app

    app = create_app(
        {
            "TESTING": True,
            "ARTIFACT_DIR": str(small_artifact_dir),
            "FEEDBACK_DB_PATH": str(tmp_path / "feedback.sqlite3"),
            "RATE_LIMIT_ENABLED": False,
            "REQUEST_BUDGET": 0,  # spent before extraction starts
        }
    )
    html = PAGE.read_text(encoding="utf-8")
    response = app.test_client().post("/api/v1/score", json={"html": html})
    assert response.status_code == 504
    body = response.get_json()
    validate(body, "Error")
    assert body["error"]["code"] == "timeout"
