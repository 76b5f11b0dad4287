"""The headline and the body together: the score, its reasons and the evidence.

Uses the committed models, as the service runs them.
"""

from pathlib import Path

import pytest

from backend import create_app
from model.scoring import BODY_WEIGHT

PAGES = Path(__file__).resolve().parents[1] / "pages"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "CACHE_TTL": 0,
            "RATE_LIMIT_ENABLED": False,
            "FEEDBACK_DB_PATH": str(tmp_path_factory.mktemp("db") / "f.sqlite3"),
        }
    )
    return app.test_client()


def score_page(client, name: str) -> dict:
    html = (PAGES / name).read_text(encoding="utf-8")
    response = client.post(
        "/api/v1/score", json={"html": html, "url": "https://www.easternwire.example/"}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_question_headline_contradicted_by_its_body(client):
    result = score_page(client, "eastern-wire.war-question.html")
    assert result["score"] >= 70
    assert result["score"] > result["headline"]["score"]
    codes = [r["code"] for r in result["reasons"]]
    assert {"question_headline", "yes_no_question"} & set(codes)
    answered = next(r for r in result["reasons"] if r["code"] == "question_answered")
    assert "answers no" in answered["message"]
    body = result["body_check"]
    assert body["support"] < 0
    quoted = [e["sentence"] for e in body["evidence"]]
    assert quoted and all(
        s in (PAGES / "eastern-wire.war-question.html").read_text() for s in quoted
    )
    assert any(q in answered["message"] for q in quoted)


def test_same_article_under_its_sober_headline(client):
    result = score_page(client, "eastern-wire.war-denied.html")
    assert result["score"] < 40


def test_body_never_lowers_the_headline_score(client):
    for name in ("eastern-wire.war-question.html", "eastern-wire.war-denied.html"):
        result = score_page(client, name)
        assert result["score"] >= result["headline"]["score"]
        assert result["body_check"]["weight"] == pytest.approx(
            BODY_WEIGHT * max(0.0, -result["body_check"]["support"]), abs=1e-3
        )


@pytest.mark.parametrize(
    "item",
    [
        {"headline": "Is the euro about to collapse?"},
        {"headline": "Is the euro about to collapse?", "body": ""},
        {"headline": "Is the euro about to collapse?", "body": "   "},
        {"headline": "Is the euro about to collapse?", "body": "Subscribe now."},
    ],
    ids=["no body", "empty body", "blank body", "too short to check"],
)
def test_no_body_no_body_check(client, item):
    result = client.post("/api/v1/score", json=item).get_json()
    assert result["body_check"] is None
    assert result["score"] == result["headline"]["score"]


def test_headline_and_body_through_the_api_and_cli(client, runner):
    import json

    from backend.cli import main

    body = (
        "The Kremlin said it had no plans to deploy troops to the border, and its "
        "spokesman described the reports circulating online as groundless. NATO "
        "officials said they had seen no sign of unusual troop movements near the "
        "eastern flank in the past week. Leaders across the alliance distanced "
        "themselves from the reports, and foreign ministers will meet in Brussels "
        "next week to discuss air defence and support for Ukraine."
    )
    headline = "Is Russia officially entering war with NATO? Official confirms troops"
    api = client.post("/api/v1/score", json={"headline": headline, "body": body})
    cli = runner.invoke(main, ["score", "--headline", headline, "--body", body])
    assert cli.exit_code == 0
    from_cli = json.loads(cli.output)
    assert from_cli["score"] == api.get_json()["score"]
    assert from_cli["body_check"]["stance"] == api.get_json()["body_check"]["stance"]
