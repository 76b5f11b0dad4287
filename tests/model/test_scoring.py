"""The headline and the body together: the score, its reasons and the evidence.

Uses the committed models, as the service runs them.
"""

from pathlib import Path

import pytest

from backend import create_app

PAGES = Path(__file__).resolve().parents[1] / "pages"

# Modelled on the issue's seed article: a question headline pinned on a "spy
# chief" the article never mentions, over an article in which NATO states say
# they agreed not to send soldiers.
SEED_HEADLINE = (
    "Is France officially entering war with Russia? Russian spy chief confirms "
    "French troops are heading to Ukraine"
)
SEED_SOBER_HEADLINE = "Kremlin warns NATO against sending troops to Ukraine"
SEED_DENIAL = (
    "Several NATO states, including Germany, Poland, Britain and the Czech "
    "Republic, said on Tuesday that they had agreed not to send soldiers to "
    "Ukrainian soil and had no such plans."
)
SEED_BODY = (
    "Kremlin warns NATO against sending troops to Ukraine after Paris "
    "talks.\n\n"
    "The Kremlin warned on Tuesday that a conflict between Russia and NATO "
    "would be inevitable if members of the alliance sent troops to fight in"
    " Ukraine.\n\n"
    "The warning came a day after President Emmanuel Macron said at a "
    "meeting of European leaders in Paris that the deployment of Western "
    "ground troops could not be ruled out in the future.\n\n"
    "Several NATO states, including Germany, Poland, Britain and the Czech "
    "Republic, said on Tuesday that they had agreed not to send soldiers to"
    " Ukrainian soil and had no such plans.\n\n"
    "Kremlin spokesman Dmitry Peskov told reporters that the very "
    "discussion of such a possibility was a new and very important element."
    " Asked whether a deployment would mean direct conflict, he said it "
    "would be a matter of inevitability rather than probability.\n\n"
    "German Chancellor Olaf Scholz said the leaders had agreed that there "
    "would be no ground troops and no soldiers sent to Ukraine by European "
    "states or NATO states. Mr Macron's office later said his remarks were "
    "meant to signal strategic ambiguity rather than a plan.\n\n"
    "Ukraine's allies are instead expected to step up deliveries of "
    "ammunition and air defence systems in the coming months."
)


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
    assert result["score"] >= 80
    assert result["score"] > result["headline"]["score"]
    codes = [r["code"] for r in result["reasons"]]
    assert {"question_headline", "yes_no_question"} & set(codes)
    answered = next(r for r in result["reasons"] if r["code"] == "question_answered")
    assert "answers no" in answered["message"]
    body = result["body_check"]
    assert body["status"] == "checked"
    quoted = [e["sentence"] for e in body["evidence"]]
    assert quoted and all(
        s in (PAGES / "eastern-wire.war-question.html").read_text() for s in quoted
    )
    # It quotes the answer, or points to it when a weightier reason quoted it.
    assert any(f'"{q}"' in answered["message"] for q in quoted) or answered[
        "message"
    ].endswith("in the sentence quoted above.")


def test_the_seed_article(client):
    result = client.post(
        "/api/v1/score", json={"headline": SEED_HEADLINE, "body": SEED_BODY}
    ).get_json()
    assert result["score"] >= 80
    body = result["body_check"]
    answered = next(r for r in body["reasons"] if r["code"] == "question_answered")
    assert "Is France officially entering war with Russia?" in answered["message"]
    assert "answers no, contradicting it" in answered["message"]
    assert f'"{SEED_DENIAL}"' in answered["message"]
    assert answered in result["reasons"]
    # Verdict, reason and quote agree, and no sentence is printed twice.
    first = body["reasons"][0]["message"]
    assert first.startswith(body["verdict"][:-1])
    assert first.endswith(f'"{body["evidence"][0]["sentence"]}"')
    printed = " ".join(r["message"] for r in result["reasons"])
    for item in body["evidence"]:
        assert printed.count(item["sentence"]) <= 1
    assert "spy chief" in " ".join(r["message"] for r in body["reasons"])


def test_the_seed_article_under_a_sober_headline(client):
    result = client.post(
        "/api/v1/score", json={"headline": SEED_SOBER_HEADLINE, "body": SEED_BODY}
    ).get_json()
    assert result["body_check"]["weight"] == 0.0
    assert result["score"] == result["headline"]["score"]


def test_same_article_under_its_sober_headline(client):
    result = score_page(client, "eastern-wire.war-denied.html")
    assert result["score"] < 40
    assert result["body_check"]["weight"] == 0.0


def test_body_never_lowers_the_headline_score(client):
    for name in ("eastern-wire.war-question.html", "eastern-wire.war-denied.html"):
        result = score_page(client, name)
        assert result["score"] >= result["headline"]["score"]
        body = result["body_check"]
        assert body["weight"] == pytest.approx(
            sum(r["weight"] for r in body["reasons"]), abs=1e-3
        )
        assert all(r["weight"] >= 0 for r in body["reasons"])


@pytest.mark.parametrize(
    "item",
    [
        {"headline": "Is the euro about to collapse?"},
        {"headline": "Is the euro about to collapse?", "body": ""},
        {"headline": "Is the euro about to collapse?", "body": "   "},
    ],
    ids=["no body", "empty body", "blank body"],
)
def test_no_body_no_body_check(client, item):
    result = client.post("/api/v1/score", json=item).get_json()
    assert result["body_check"] is None
    assert result["score"] == result["headline"]["score"]


def test_a_short_body_says_so(client):
    item = {"headline": "Is the euro about to collapse?", "body": "Subscribe now."}
    result = client.post("/api/v1/score", json=item).get_json()
    assert result["body_check"]["status"] == "short"
    assert "50 words" in result["body_check"]["status_message"]
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
