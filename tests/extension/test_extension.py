"""The browser extension end to end: real Chromium, the real backend, real pages."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sqlite3
import subprocess

import extension_harness as harness
import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.integration

SENSATIONAL = "dailybuzz.parking-fines-shock.html"
SOBER = "wendmouth-gazette.parking-income-report.html"
MARKUP_HEADLINE = "forumwatch.img-onerror-headline.html"
NO_ARTICLE = "tideplanner.app-shell.html"
LARGE = harness.LARGE_PAGE
VERDICT_BUTTONS = ("Too high", "Too low", "About right")
FEEDBACK_COLUMNS = (
    "url",
    "headline",
    "score_seen",
    "verdict",
    "note",
    "model_version",
    "reviewed",
)


def open_scored(page, pages_url: str, name: str):
    page.goto(f"{pages_url}/{name}")
    return harness.overlay(page)


def test_defaults_are_written_on_install(worker):
    stored = worker.evaluate("chrome.storage.local.get(null)")
    assert stored.keys() >= {
        "backendUrl",
        "apiKey",
        "autoScore",
        "skipHosts",
        "openFrom",
    }


def test_a_random_reader_id_is_made_once_on_install(worker):
    stored = worker.evaluate("chrome.storage.local.get('readerId')")["readerId"]
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", stored
    )
    # Asked again (as every request does), it is the same id.
    again = worker.evaluate("readerId()")
    assert again == stored


def test_overlay_shows_the_services_score(page, pages_url, api_score):
    panel = open_scored(page, pages_url, SENSATIONAL)
    answer = api_score(page)
    assert panel.locator("[data-field='score']").text_content() == str(answer["score"])
    assert panel.locator(".gauge").get_attribute("data-band") == answer["band"]
    headline_score = panel.locator("[data-field='headline-score']").text_content()
    assert headline_score.startswith(f"{answer['headline']['score']}/100")


def test_overlay_lists_the_services_reasons(page, pages_url, api_score):
    panel = open_scored(page, pages_url, SENSATIONAL)
    answer = api_score(page)
    reasons = panel.locator(".all-reasons li")
    assert reasons.evaluate_all("items => items.map((li) => li.dataset.code)") == [
        reason["code"] for reason in answer["reasons"]
    ]
    assert panel.locator(".all-reasons .text").all_text_contents() == [
        reason["message"] for reason in answer["reasons"]
    ]
    top = panel.locator(".reasons .text").all_text_contents()
    assert top == [reason["message"] for reason in answer["reasons"][:3]]


def test_overlay_highlights_the_services_words(page, pages_url, api_score):
    panel = open_scored(page, pages_url, SENSATIONAL)
    answer = api_score(page)
    headline = panel.locator("[data-field='headline']")
    assert headline.text_content() == answer["headline"]["text"]
    marks = headline.locator("mark")
    assert marks.all_text_contents() == [span["text"] for span in answer["highlights"]]
    kinds = marks.evaluate_all("marks => marks.map((mark) => mark.className)")
    assert kinds == [
        "raises" if span["weight"] > 0 else "lowers" for span in answer["highlights"]
    ]


def test_page_css_does_not_reach_the_overlay(page, pages_url):
    # The page hides every <button> and spaces out all text with !important rules.
    panel = open_scored(page, pages_url, SENSATIONAL)
    expect(
        panel.get_by_role("button", name="Dismiss the sensationalism score")
    ).to_be_visible()
    text = panel.locator(".reasons .text").first
    assert text.evaluate("span => getComputedStyle(span).letterSpacing") == "normal"


def test_dismiss_button_closes_the_overlay(page, pages_url):
    panel = open_scored(page, pages_url, SENSATIONAL)
    panel.get_by_role("button", name="Dismiss the sensationalism score").click()
    expect(page.locator("sensationalism-overlay")).to_have_count(0)


def test_escape_closes_the_overlay(page, pages_url):
    panel = open_scored(page, pages_url, SENSATIONAL)
    panel.get_by_role("button", name="Dismiss the sensationalism score").focus()
    page.keyboard.press("Escape")
    expect(page.locator("sensationalism-overlay")).to_have_count(0)


def test_details_expand_from_the_keyboard(page, pages_url):
    panel = open_scored(page, pages_url, SENSATIONAL)
    facts = panel.locator(".facts")
    expect(facts).to_be_hidden()
    panel.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(facts).to_be_visible()


def test_overlay_is_a_labelled_region(page, pages_url):
    panel = open_scored(page, pages_url, SOBER)
    assert panel.get_attribute("role") == "region"
    assert panel.get_attribute("aria-label") == "Sensationalism score"
    meter = panel.get_by_role("meter")
    assert (
        meter.get_attribute("aria-valuenow") == panel.locator(".score").text_content()
    )


def test_markup_in_a_headline_is_shown_as_text(page, pages_url):
    panel = open_scored(page, pages_url, MARKUP_HEADLINE)
    headline = panel.locator("[data-field='headline']").text_content()
    assert '<img src=x onerror="window.__pwned=1">' in headline
    assert panel.locator("img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_markup_in_the_services_text_is_shown_as_text(
    page, pages_url, worker, real_answer
):
    markup = '<img src=x onerror="window.__pwned=2">'
    answer = {
        **real_answer,
        "headline": {**real_answer["headline"], "text": f"Headline {markup}"},
        "highlights": [],
        "reasons": [{"code": "markup", "message": f"Reason {markup}", "weight": 1.0}],
        "body_check": {
            "stance": "agree",
            "probabilities": {"agree": 1.0},
            "evidence": [{"sentence": f"Sentence {markup}", "role": markup}],
        },
    }
    with harness.canned_backend(answer) as (url, _):
        harness.configure(worker, autoScore=False, backendUrl=url)
        page.goto(f"{pages_url}/{SENSATIONAL}")
        harness.score_tab(worker, page)
        panel = harness.overlay(page)
    expect(panel.locator("[data-field='headline']")).to_have_text(f"Headline {markup}")
    expect(panel.locator(".reasons .text")).to_have_text(f"Reason {markup}")
    expect(panel.locator("[data-field='evidence']")).to_have_text(f"Sentence {markup}")
    assert panel.locator("img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_badge_shows_the_score(page, pages_url, worker, api_score):
    open_scored(page, pages_url, SOBER)
    assert harness.badge_text(worker, page) == str(api_score(page)["score"])


def test_overlay_stays_closed_below_its_band(page, pages_url, worker):
    harness.configure(worker, openFrom="high")
    page.goto(f"{pages_url}/{SOBER}")
    harness.wait_for_tab_state(worker, page, "result")
    assert harness.content_script_state(worker, page) == {
        "loaded": True,
        "overlay": False,
    }


@pytest.mark.parametrize(
    ("skip_hosts", "scored"),
    [(["127.0.0.1"], False), (["example.com", "0.0.1"], True)],
    ids=["listed", "not-listed"],
)
def test_skipped_sites_are_not_scored_automatically(
    page, pages_url, worker, skip_hosts, scored
):
    harness.configure(worker, autoScore=False)
    page.goto(f"{pages_url}/{SENSATIONAL}")
    harness.configure(worker, autoScore=True, skipHosts=skip_hosts)
    harness.score_if_automatic(worker, page)
    assert harness.content_script_state(worker, page)["loaded"] is scored


def test_body_check_verdict_and_quote_are_shown(page, pages_url, worker, real_answer):
    quote = "Every penny of parking income is spent on transport, as the law requires."
    answer = {
        **real_answer,
        "body_check": {
            "status": "checked",
            "status_message": "The article was checked against its headline.",
            "stance": "disagree",
            "probabilities": {
                "agree": 0.1,
                "disagree": 0.7,
                "discuss": 0.15,
                "unrelated": 0.05,
            },
            "verdict": "The article disputes the headline's claim (probability 70%).",
            "evidence": [{"sentence": quote, "role": "contradicts"}],
            "reasons": [
                {
                    "code": "body_contradicts",
                    "message": "The article disputes the headline's claim "
                    f'(probability 70%): "{quote}"',
                    "weight": 0.56,
                }
            ],
            "support": -0.6,
            "weight": 0.56,
        },
    }
    with harness.canned_backend(answer) as (url, _):
        harness.configure(worker, autoScore=False, backendUrl=url)
        page.goto(f"{pages_url}/{SENSATIONAL}")
        harness.score_tab(worker, page)
        panel = harness.overlay(page)
    # The service's verdict, which the quote below belongs to.
    expect(panel.locator("[data-field='verdict']")).to_have_text(
        "The article disputes the headline's claim (probability 70%)."
    )
    expect(panel.locator(".quote-source")).to_have_text(
        "From the article, where it contradicts it:"
    )
    expect(panel.locator("[data-field='evidence']")).to_have_text(quote)
    expect(panel.locator(".body-reasons li")).to_have_attribute(
        "data-code", "body_contradicts"
    )


@pytest.mark.parametrize(
    ("api_key", "header"), [("k-123", "k-123"), ("", None)], ids=["key", "no-key"]
)
def test_only_the_page_and_the_key_are_sent(
    page, pages_url, worker, real_answer, api_key, header
):
    with harness.canned_backend(real_answer) as (url, received):
        harness.configure(worker, autoScore=False, backendUrl=url, apiKey=api_key)
        page.goto(f"{pages_url}/{SENSATIONAL}")
        harness.score_tab(worker, page)
        request = received.get(timeout=30)
    assert request["path"] == "/api/v1/score"
    assert request["headers"].get("X-API-Key") == header
    # This installation's id, as stored: the service's limits count per reader.
    stored = worker.evaluate("chrome.storage.local.get('readerId')")["readerId"]
    assert request["headers"].get("X-Reader-Id") == stored
    assert request["body"].keys() == {"html", "url"}
    assert request["body"]["url"] == page.url
    assert request["body"]["html"] == harness.sent_html(page)


def test_an_open_overlay_is_not_sent_with_the_page(
    page, pages_url, worker, real_answer
):
    with harness.canned_backend(real_answer) as (url, received):
        harness.configure(worker, autoScore=False, backendUrl=url)
        page.goto(f"{pages_url}/{SENSATIONAL}")
        harness.score_tab(worker, page)
        harness.overlay(page)
        received.get(timeout=30)
        harness.score_tab(worker, page)
        again = received.get(timeout=30)
    assert again["body"]["html"] == harness.sent_html(page)


@pytest.mark.parametrize(
    ("status", "code", "state", "title"),
    [
        (413, "too_large", "too-large", "This page is too large to score"),
        (422, "no_headline", "no-article", "Not an article"),
        (401, "unauthorized", "error", "The scoring service wants an API key"),
        (503, "model_unavailable", "error", "The scoring service could not score it"),
    ],
    ids=["too-large", "no-article", "unauthorized", "model-unavailable"],
)
def test_service_errors_are_shown_with_their_reason(
    page, pages_url, worker, status, code, state, title
):
    answer = {"error": {"code": code, "message": f"The service says {code}."}}
    with harness.canned_backend(answer, status) as (url, _):
        harness.configure(worker, autoScore=False, backendUrl=url)
        page.goto(f"{pages_url}/{SENSATIONAL}")
        harness.score_tab(worker, page)
        panel = harness.overlay(page, state)
    expect(panel.locator(".message")).to_have_text(title)
    expect(panel.locator(".reason")).to_have_text(f"The service says {code}.")


def test_large_page_is_trimmed_and_still_scored(page, pages_url):
    panel = open_scored(page, pages_url, LARGE.lstrip("/"))
    sent = panel.locator("[data-field='sent']").text_content()
    assert re.fullmatch(r"the first 4\.\d MB of 6\.\d MB", sent)
    headline = panel.locator("[data-field='headline']").text_content()
    assert headline == "You Won't Believe What This Council Did With Your Parking Fines"


def stored_feedback(db_path, url: str) -> list[dict]:
    """The feedback rows the backend has stored about a page's address."""
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(
            f"SELECT {', '.join(FEEDBACK_COLUMNS)} FROM feedback WHERE url = ?", (url,)
        ).fetchall()
    return [dict(row) for row in rows]


def shown(panel) -> dict:
    """The headline and score the overlay shows, as feedback reports them."""
    return {
        "headline": panel.locator("[data-field='headline']").text_content(),
        "score_seen": int(panel.locator("[data-field='score']").text_content()),
    }


def address(page) -> str:
    """The page's URL as feedback sends it: without its fragment."""
    return page.url.split("#", 1)[0]


def test_too_high_is_stored_once(page, pages_url, worker, backend_url, feedback_db):
    # A query string per test keeps each test's rows apart in the module's database.
    panel = open_scored(page, pages_url, f"{SENSATIONAL}?case=too-high")
    panel.get_by_role("button", name="Too high").click()
    status = panel.locator("[data-field='feedback-status']")
    expect(status).to_have_text("Thanks — sent.")
    model = requests.get(f"{backend_url}/api/v1/health", timeout=10).json()["model"]
    expected = {
        "url": address(page),
        **shown(panel),
        "verdict": "too_high",
        "note": None,
        "model_version": model["version"],
        "reviewed": None,
    }
    assert stored_feedback(feedback_db, address(page)) == [expected]

    # A second click, on any button, or after the overlay is drawn again, sends nothing.
    for name in VERDICT_BUTTONS:
        button = panel.get_by_role("button", name=name)
        expect(button).to_be_disabled()
        button.dispatch_event("click")
    harness.score_tab(worker, page)
    panel = harness.overlay(page)
    expect(panel.locator("[data-field='feedback-status']")).to_have_text(
        "Thanks — sent."
    )
    expect(panel.get_by_role("button", name="Too high")).to_be_disabled()
    panel.get_by_role("button", name="About right").dispatch_event("click")
    # Nothing must happen: only waiting can show it. The request would take ~10 ms.
    page.wait_for_timeout(1000)
    assert stored_feedback(feedback_db, address(page)) == [expected]


@pytest.mark.parametrize(
    ("key", "label", "verdict"),
    [("Enter", "Too low", "too_low"), ("Space", "About right", "about_right")],
    ids=["enter", "space"],
)
def test_feedback_from_the_keyboard(page, pages_url, feedback_db, key, label, verdict):
    panel = open_scored(page, pages_url, f"{SENSATIONAL}?case=keyboard-{verdict}")
    panel.get_by_role("button", name="Dismiss the sensationalism score").focus()
    # The buttons come next in the Tab order, in their order on screen.
    for name in VERDICT_BUTTONS[: VERDICT_BUTTONS.index(label) + 1]:
        page.keyboard.press("Tab")
        expect(panel.get_by_role("button", name=name)).to_be_focused()
    page.keyboard.press(key)
    status = panel.locator("[data-field='feedback-status']")
    expect(status).to_have_text("Thanks — sent.")
    # The pressed button is disabled now; the focus stays in the overlay, on the news.
    expect(status).to_be_focused()
    [row] = stored_feedback(feedback_db, address(page))
    assert row["verdict"] == verdict


def test_a_note_goes_with_the_verdict(page, pages_url, feedback_db):
    panel = open_scored(page, pages_url, f"{SENSATIONAL}?case=note")
    panel.locator("summary").click()
    note = panel.get_by_label("A note to send with your verdict (optional)")
    note.fill("  The article says the fines paid for the buses.  ")
    panel.get_by_role("button", name="About right").click()
    expect(panel.locator("[data-field='feedback-status']")).to_have_text(
        "Thanks — sent."
    )
    expect(note).to_be_disabled()
    [row] = stored_feedback(feedback_db, address(page))
    assert row["note"] == "The article says the fines paid for the buses."


def test_a_busy_service_is_shown_and_the_buttons_come_back(page, pages_url, worker):
    panel = open_scored(page, pages_url, f"{SENSATIONAL}?case=busy#comments")
    busy = {
        "error": {
            "code": "too_many_requests",
            "message": "Too many requests: the limit is 20 per 1 minute.",
        }
    }
    with harness.canned_backend(busy, 429, {"Retry-After": "30"}) as (url, received):
        harness.configure(worker, backendUrl=url, apiKey="k-123")
        panel.get_by_role("button", name="Too high").click()
        request = received.get(timeout=30)
        expect(panel.locator("[data-field='feedback-status']")).to_have_text(
            "Not sent: the scoring service is busy; try again in 30 s."
        )
        for name in VERDICT_BUTTONS:
            expect(panel.get_by_role("button", name=name)).to_be_enabled()
        # Not stored, so the reader may try again.
        panel.get_by_role("button", name="Too low").click()
        retry = received.get(timeout=30)
    assert request["path"] == "/api/v1/feedback"
    assert request["headers"].get("X-API-Key") == "k-123"
    assert request["body"] == {
        "url": address(page),
        **shown(panel),
        "verdict": "too_high",
    }
    assert retry["body"]["verdict"] == "too_low"


@pytest.mark.parametrize(
    ("url", "sent"),
    [
        ("https://news.example/a?p=1#comments", "https://news.example/a?p=1"),
        ("http://reader:secret@news.example/a", "http://news.example/a"),
        ("file:///home/reader/a.html", None),
        ("chrome://newtab/", None),
    ],
    ids=["fragment", "credentials", "file", "browser-page"],
)
def test_feedback_is_only_sent_about_web_pages(worker, url, sent):
    body = worker.evaluate(
        """(url) => {
          try {
            return feedbackBody({ url, headline: 'A headline', score_seen: 50,
                                  verdict: 'too_high', note: '  ' });
          } catch (err) {
            return null;
          }
        }""",
        url,
    )
    if sent is None:
        assert body is None
    else:
        assert body == {
            "url": sent,
            "headline": "A headline",
            "score_seen": 50,
            "verdict": "too_high",
        }


def test_no_html_is_parsed_from_strings():
    sinks = re.compile(
        r"innerHTML|outerHTML\s*=|insertAdjacentHTML|document\.write|DOMParser"
    )
    for path in sorted(harness.EXTENSION_DIR.glob("*.js")):
        assert not sinks.search(path.read_text(encoding="utf-8")), path.name


def web_ext() -> list[str] | None:
    """web-ext at the version package.json pins, as scripts/test.sh installs it."""
    installed = harness.WEB_EXT_DIR / "node_modules" / ".bin" / "web-ext"
    if installed.exists():
        return [str(installed)]
    if shutil.which("npx"):
        return ["npx", "--yes", f"web-ext@{harness.web_ext_version()}"]
    return None


@pytest.mark.skipif(web_ext() is None, reason="needs web-ext or npx (Node.js)")
def test_the_pinned_web_ext_runs():
    version = subprocess.run(
        [*web_ext(), "--version"], capture_output=True, text=True, check=True
    ).stdout.split()[-1]
    assert version == harness.web_ext_version()


@pytest.mark.skipif(web_ext() is None, reason="needs web-ext or npx (Node.js)")
def test_firefox_accepts_the_manifest():
    result = subprocess.run(
        [
            *web_ext(),
            "lint",
            "--source-dir",
            str(harness.EXTENSION_DIR),
            "--self-hosted",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stdout[result.stdout.index("{") :])
    assert report["errors"] == [], report["errors"]
    assert report["warnings"] == [], report["warnings"]


def test_page_script_cannot_send_feedback(page, pages_url, feedback_db):
    panel = open_scored(page, pages_url, f"{SENSATIONAL}?case=forged")
    expect(panel.get_by_role("button", name="Too high")).to_be_enabled()
    # The page's own script reaches into the open shadow root and clicks.
    page.evaluate(
        """() => {
          for (const host of document.querySelectorAll('*')) {
            const button = host.shadowRoot?.querySelector('[data-verdict="too_high"]');
            if (button) { button.click(); }
          }
        }"""
    )
    # Nothing must happen: only waiting can show it. The request would take ~10 ms.
    page.wait_for_timeout(1000)
    assert stored_feedback(feedback_db, address(page)) == []
    expect(panel.get_by_role("button", name="Too high")).to_be_enabled()
