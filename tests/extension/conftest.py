"""The extension's fixtures: the real backend, page servers, Chromium with it loaded."""

from __future__ import annotations

import extension_harness as harness
import pytest
import requests
from playwright.sync_api import sync_playwright

SENSATIONAL = "dailybuzz.parking-fines-shock.html"


@pytest.fixture(scope="module")
def feedback_db(tmp_path_factory):
    """The SQLite file the backend keeps readers' feedback in, for the tests to read."""
    return tmp_path_factory.mktemp("feedback") / "feedback.sqlite3"


@pytest.fixture(scope="module")
def backend_url(small_artifact_dir, feedback_db):
    with harness.model_backend(small_artifact_dir, feedback_db) as url:
        yield url


@pytest.fixture(scope="module")
def pages_url():
    """The extension's own test pages, plus a generated page too large to send."""
    with harness.page_server(
        extra_pages={harness.LARGE_PAGE: harness.large_page()}
    ) as url:
        yield url


@pytest.fixture(scope="module")
def news_url():
    """The saved real news pages in tests/pages (the seed page among them)."""
    with harness.page_server(harness.NEWS_PAGES_DIR) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright, harness.chromium(playwright) as context:
        yield context


@pytest.fixture(scope="module")
def worker(browser):
    return harness.service_worker(browser)


@pytest.fixture
def settings(worker, backend_url):
    """Every test starts from automatic scoring on, opening from any band."""
    values = {
        "backendUrl": backend_url,
        "apiKey": "",
        "autoScore": True,
        "skipHosts": [],
        "openFrom": "low",
    }
    harness.configure(worker, **values)
    return values


@pytest.fixture
def page(browser, settings):
    page = browser.new_page()
    yield page
    page.close()


@pytest.fixture
def api_score(backend_url):
    """What the API answers for a page, asked directly."""

    def score(page) -> dict:
        response = requests.post(
            f"{backend_url}/api/v1/score",
            json={"html": harness.sent_html(page), "url": page.url},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    return score


@pytest.fixture
def real_answer(backend_url):
    """The real API's answer for the sensational page, for a canned backend to give."""
    html = (harness.PAGES_DIR / SENSATIONAL).read_text(encoding="utf-8")
    response = requests.post(
        f"{backend_url}/api/v1/score", json={"html": html}, timeout=30
    )
    response.raise_for_status()
    return response.json()
