"""The extension in Firefox: installed unpacked, scoring pages through the real backend.

The same code base as in Chromium (tests/test_extension.py covers the overlay in
depth there); here, what could differ in Firefox: the manifest's background
scripts, host permissions granted at install, the content script and overlay.
"""

from __future__ import annotations

import json

import extension_harness as harness
import firefox_harness
import pytest
import requests

pytestmark = pytest.mark.integration

SENSATIONAL = "dailybuzz.parking-fines-shock.html"
MARKUP_HEADLINE = "forumwatch.img-onerror-headline.html"
# The page's HTML as the content script sends it: without the overlay's host.
SENT_HTML = """(() => {
  const copy = document.documentElement.cloneNode(true);
  copy.querySelector('sensationalism-overlay')?.remove();
  return copy.outerHTML;
})()"""


@pytest.fixture(scope="module")
def backend_url(small_artifact_dir, tmp_path_factory):
    feedback = tmp_path_factory.mktemp("feedback") / "feedback.sqlite3"
    with harness.model_backend(small_artifact_dir, feedback) as url:
        yield url


@pytest.fixture(scope="module")
def pages_url():
    with harness.page_server() as url:
        yield url


@pytest.fixture(scope="module")
def firefox():
    with firefox_harness.firefox() as browser:
        yield browser


@pytest.fixture(scope="module")
def options_tab(firefox):
    return firefox.open_options()


@pytest.fixture
def configure(firefox, options_tab, backend_url):
    """Automatic scoring on, opening from any band; returns a writer for more."""

    def write(**settings):
        return firefox.storage(options_tab, settings)

    write(backendUrl=backend_url, autoScore=True, openFrom="low", skipHosts=[])
    return write


@pytest.fixture
def open_tab(firefox):
    opened = []

    def open_(url: str) -> str:
        opened.append(firefox.new_tab(url))
        return opened[-1]

    yield open_
    for context in opened:
        firefox.close_tab(context)


def test_installs_with_its_defaults_and_permissions(firefox, options_tab):
    stored = firefox.storage(options_tab)
    assert stored.keys() >= {"backendUrl", "apiKey", "autoScore", "openFrom"}
    granted = firefox.evaluate(options_tab, "browser.permissions.getAll()")
    # Firefox grants host_permissions at install, as Chromium does: the backend
    # on loopback is reachable without a prompt, and no other site is readable.
    assert granted["origins"] == ["http://127.0.0.1/*"]


def test_overlay_shows_the_services_score(
    firefox, configure, open_tab, pages_url, backend_url
):
    tab = open_tab(f"{pages_url}/{SENSATIONAL}")
    shown = firefox.overlay(tab)
    answer = requests.post(
        f"{backend_url}/api/v1/score",
        json={
            "html": firefox.evaluate(tab, SENT_HTML),
            "url": f"{pages_url}/{SENSATIONAL}",
        },
        timeout=30,
    ).json()
    assert shown["score"] == str(answer["score"])
    assert shown["band"] == answer["band"]
    assert shown["reasons"] == [reason["code"] for reason in answer["reasons"]]


def test_markup_in_a_headline_is_shown_as_text(firefox, configure, open_tab, pages_url):
    tab = open_tab(f"{pages_url}/{MARKUP_HEADLINE}")
    shown = firefox.overlay(tab)
    assert '<img src=x onerror="window.__pwned=1">' in shown["headline"]
    assert shown["images"] == 0
    assert firefox.evaluate(tab, "typeof window.__pwned") == "undefined"


def test_backend_down_is_shown_when_asked(
    firefox, configure, options_tab, open_tab, pages_url
):
    closed = f"http://127.0.0.1:{harness.free_port()}"
    configure(backendUrl=closed, autoScore=False)
    url = f"{pages_url}/{SENSATIONAL}"
    tab = open_tab(url)
    firefox.score_tab(options_tab, url)
    shown = firefox.overlay(tab, "service-down")
    assert shown["message"] == "The scoring service is not running"
    assert f"{closed}/api/v1/score" in shown["text"]
    assert "sensationalism serve" in shown["text"]
    assert shown["gauges"] == 0


def test_the_page_headline_carries_the_marks(firefox, configure, open_tab, pages_url):
    tab = open_tab(f"{pages_url}/{SENSATIONAL}")
    shown = firefox.overlay(tab)
    marks = firefox.evaluate(
        tab,
        """[...document.querySelectorAll('h1 mark[data-sensationalism-mark]')]
          .map((mark) => mark.textContent)""",
    )
    assert marks
    assert all(word in shown["headline"] for word in marks)


def test_the_popup_describes_the_tab(firefox, configure, open_tab, pages_url):
    url = f"{pages_url}/{SENSATIONAL}"
    tab = open_tab(url)
    shown = firefox.overlay(tab)
    popup = firefox.open_extension_page("popup.html")
    try:
        # Opened as a tab, the popup first describes itself; with the page's tab
        # selected again, it describes the page, as it does from the toolbar.
        firefox.activate(tab)
        summary = firefox.evaluate(
            popup,
            "show().then(() => document.getElementById('summary').textContent)",
        )
        button = firefox.evaluate(popup, "document.getElementById('score').textContent")
    finally:
        firefox.close_tab(popup)
    assert (
        summary
        == f"Scored {shown['score']}/100 ({shown['band']}): “{shown['headline']}”"
    )
    assert button == "Show the score on the page"


def save_options(firefox, options_tab, backend_url: str) -> str:
    """Fill the options form and click Save, as a reader does; returns its answer.

    The browser's permission prompt is answered "Allow" by a preference (see
    firefox_harness.PREFERENCES); the request itself needs the real click.
    """
    firefox.evaluate(
        options_tab,
        f"""(() => {{
          const form = document.getElementById('options');
          form.elements.backendUrl.value = {json.dumps(backend_url + "/")};
          form.elements.autoScore.checked = true;
          form.elements.skipHosts.value = 'https://mail.example.com/inbox\\nnot a host';
          form.elements.openFrom.value = 'low';
          document.getElementById('status').textContent = '';
          return true;
        }})()""",
    )
    firefox.click(options_tab, "button[type='submit']")
    return firefox.wait_for(
        lambda: firefox.evaluate(
            options_tab, "document.getElementById('status').textContent || null"
        ),
        "the options page to answer",
    )


@pytest.fixture
def revoke_afterwards(firefox, options_tab):
    """Take back the access the options page obtained, for the tests that follow."""
    yield
    firefox.evaluate(
        options_tab,
        "browser.permissions.remove({ origins: ['http://*/*', 'https://*/*'] })",
    )


def test_options_page_saves_and_gets_access_to_read_pages(
    firefox, options_tab, backend_url, revoke_afterwards
):
    status = save_options(firefox, options_tab, backend_url)
    assert status == "Saved. Left out, not host names: not a host"
    stored = firefox.storage(options_tab)
    assert (stored["backendUrl"], stored["autoScore"], stored["skipHosts"]) == (
        backend_url,
        True,
        ["mail.example.com"],
    )
    granted = firefox.evaluate(options_tab, "browser.permissions.getAll()")
    assert {"http://*/*", "https://*/*"} <= set(granted["origins"])


def test_automatic_scoring_reads_other_sites_once_allowed(
    firefox, options_tab, open_tab, backend_url, revoke_afterwards
):
    # "localhost" is not the loopback address the extension may read from install:
    # only the access asked for on the options page lets it score this page.
    assert save_options(firefox, options_tab, backend_url).startswith("Saved.")
    with harness.page_server() as pages_url:
        url = pages_url.replace("127.0.0.1", "localhost") + f"/{SENSATIONAL}"
        shown = firefox.overlay(open_tab(url))
    assert shown["score"].isdigit()
