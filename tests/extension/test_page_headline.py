"""The verdict beside the page's own headline: its words marked there, the panel clear.

Real Chromium, the real backend and the saved real news pages in tests/pages (the
seed page, eastern-wire.war-question.html, among them).
"""

from __future__ import annotations

import json

import extension_harness as harness
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.integration

SEED = "eastern-wire.war-question.html"
MARKUP_HEADLINE = "forumwatch.img-onerror-headline.html"
SENSATIONAL = "dailybuzz.parking-fines-shock.html"
# Saved pages the service scores: English articles with an h1 (expected.json marks
# the others with their language or kind; they get panels without a verdict).
_EXPECTED = json.loads((harness.NEWS_PAGES_DIR / "expected.json").read_text())
NEWS_PAGES = sorted(
    path.name
    for path in harness.NEWS_PAGES_DIR.glob("*.html")
    if b"<h1" in path.read_bytes()
    and _EXPECTED.get(path.name, {}).get("language", "en") == "en"
    and "kind" not in _EXPECTED.get(path.name, {})
)
WIDTHS = (1024, 1366)
MARKS = "mark[data-sensationalism-mark]"
# The panel once it shows an answer, whichever it is.
ANSWERED = f"{harness.OVERLAY}:not([data-state='scoring'])"


def box(locator) -> dict:
    return locator.evaluate(
        """(node) => {
          const { left, top, right, bottom } = node.getBoundingClientRect();
          return { left, top, right, bottom };
        }"""
    )


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def headline_element(page, answer: dict):
    """The page element whose text is the headline the service scored."""
    text = " ".join(answer["headline"]["text"].split())
    return page.locator("h1").filter(has_text=text).first


@pytest.fixture
def wide_page(page):
    page.set_viewport_size({"width": 1366, "height": 900})
    return page


@pytest.fixture
def forget_places(worker):
    """Positions the reader gave the panel are kept per site: forget them afterwards."""
    yield
    worker.evaluate(
        """async () => {
          const stored = await chrome.storage.local.get(null);
          await chrome.storage.local.remove(
            Object.keys(stored).filter((key) => key.startsWith('place:')));
        }"""
    )


def test_the_seed_pages_h1_carries_the_services_marks(wide_page, news_url, api_score):
    page = wide_page
    page.goto(f"{news_url}/{SEED}")
    panel = harness.overlay(page)
    answer = api_score(page)
    assert answer["highlights"], "the model marks no word in the seed headline"
    expect(panel.locator("[data-field='score']")).to_have_text(str(answer["score"]))
    h1 = headline_element(page, answer)
    marks = h1.locator(MARKS)
    expect(marks).to_have_count(len(answer["highlights"]))
    assert marks.all_text_contents() == [span["text"] for span in answer["highlights"]]
    kinds = marks.evaluate_all(
        "marks => marks.map((m) => m.dataset.sensationalismMark)"
    )
    assert kinds == [
        "raises" if span["weight"] > 0 else "lowers" for span in answer["highlights"]
    ]
    titles = marks.evaluate_all("marks => marks.map((m) => m.title)")
    assert all(title.startswith(("Raises", "Lowers")) for title in titles)
    assert " ".join(h1.text_content().split()) == answer["headline"]["text"]
    expect(panel.locator("[data-field='page-marks']")).to_have_attribute(
        "data-found", "true"
    )


def test_marks_do_not_move_the_page(wide_page, news_url, worker):
    page = wide_page
    harness.configure(worker, autoScore=False)
    page.goto(f"{news_url}/{SEED}")
    h1 = page.locator("h1").first
    before = (box(h1), box(page.locator("article p").first))
    harness.score_tab(worker, page)
    harness.overlay(page)
    expect(h1.locator(MARKS).first).to_be_attached()
    assert (box(h1), box(page.locator("article p").first)) == before


def test_marks_go_on_dismiss_and_are_not_doubled_on_rescore(
    wide_page, news_url, worker
):
    page = wide_page
    harness.configure(worker, autoScore=False)
    page.goto(f"{news_url}/{SEED}")
    h1 = page.locator("h1").first
    original = h1.evaluate("(h1) => [h1.innerHTML, h1.childNodes.length]")
    harness.score_tab(worker, page)
    panel = harness.overlay(page)
    count = h1.locator(MARKS).count()
    assert count > 0
    harness.score_tab(worker, page)
    harness.overlay(page)
    expect(h1.locator(MARKS)).to_have_count(count)
    panel.get_by_role("button", name="Dismiss the sensationalism score").click()
    expect(h1.locator(MARKS)).to_have_count(0)
    assert h1.evaluate("(h1) => [h1.innerHTML, h1.childNodes.length]") == original


def test_markup_in_the_pages_headline_stays_text(page, pages_url):
    page.goto(f"{pages_url}/{MARKUP_HEADLINE}")
    harness.overlay(page)
    h1 = page.locator("h1").first
    assert '<img src=x onerror="window.__pwned=1">' in h1.text_content()
    expect(h1.locator("img")).to_have_count(0)
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_a_headline_not_on_the_page_is_said(page, pages_url, worker, real_answer):
    # As when the service took the headline from the page's metadata, not its text.
    elsewhere = "A headline found elsewhere"
    answer = {
        **real_answer,
        "headline": {**real_answer["headline"], "text": elsewhere},
        "article": {
            **real_answer["article"],
            "headline": {"text": elsewhere, "source": "og:title"},
        },
    }
    with harness.canned_backend(answer) as (url, _):
        harness.configure(worker, autoScore=False, backendUrl=url)
        page.goto(f"{pages_url}/{SENSATIONAL}")
        harness.score_tab(worker, page)
        panel = harness.overlay(page)
    marks_note = panel.locator("[data-field='page-marks']")
    expect(marks_note).to_have_attribute("data-found", "false")
    expect(marks_note).to_contain_text("not found as such on the page")
    expect(page.locator(MARKS)).to_have_count(0)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", NEWS_PAGES)
def test_the_open_panel_keeps_clear_of_the_headline(page, news_url, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{news_url}/{name}")
    panel = page.locator(ANSWERED)
    panel.wait_for()
    expect(panel).to_be_visible()
    for h1 in page.locator("h1").all():
        if h1.is_visible():
            assert not overlaps(box(panel), box(h1)), (box(panel), box(h1))


def test_the_panel_collapses_to_a_badge_and_opens_again(
    wide_page, news_url, forget_places
):
    page = wide_page
    page.goto(f"{news_url}/{SEED}")
    panel = harness.overlay(page)
    score = panel.locator("[data-field='score']").text_content()
    panel.get_by_role("button", name="Collapse the sensationalism panel").click()
    expect(panel).to_be_hidden()
    pill = page.get_by_role("button", name="Show the sensationalism score")
    expect(pill).to_be_visible()
    expect(pill).to_contain_text(score)
    expect(pill).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(pill).to_be_hidden()


def test_the_panel_moves_by_keyboard_and_keeps_its_place_on_the_site(
    wide_page, news_url, forget_places
):
    page = wide_page
    page.goto(f"{news_url}/{SEED}")
    panel = harness.overlay(page)
    start = box(panel)
    handle = panel.get_by_role("button", name="Move the sensationalism panel")
    handle.focus()
    for key in ("ArrowRight", "ArrowDown", "ArrowDown", "Shift+ArrowLeft"):
        page.keyboard.press(key)
    moved = box(panel)
    assert (moved["left"] - start["left"], moved["top"] - start["top"]) == (-48, 32)
    # Another page on the same site opens where the reader left it.
    page.goto(f"{news_url}/{SEED}?again")
    panel = harness.overlay(page)
    expect(panel).to_be_visible()
    page.wait_for_function(
        """([selector, left]) => {
          const host = document.querySelector('sensationalism-overlay');
          const panel = host?.shadowRoot.querySelector('.panel');
          return panel && Math.abs(panel.getBoundingClientRect().left - left) < 1;
        }""",
        arg=[harness.OVERLAY, moved["left"]],
    )
    assert box(panel)["top"] == pytest.approx(moved["top"], abs=1)
    # Home puts it back where it sits by itself.
    panel.get_by_role("button", name="Move the sensationalism panel").focus()
    page.keyboard.press("Home")
    assert box(panel)["left"] == pytest.approx(start["left"], abs=1)


def test_the_panel_moves_by_mouse(wide_page, news_url, forget_places):
    page = wide_page
    page.goto(f"{news_url}/{SEED}")
    panel = harness.overlay(page)
    start = box(panel)
    handle = box(panel.get_by_role("button", name="Move the sensationalism panel"))
    x, y = handle["left"] + 20, (handle["top"] + handle["bottom"]) / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 60, y + 10, steps=5)
    page.mouse.move(x - 120, y + 40, steps=5)
    page.mouse.up()
    moved = box(panel)
    assert (moved["left"] - start["left"], moved["top"] - start["top"]) == (-120, 40)


def test_no_console_errors_from_the_extension(wide_page, news_url, forget_places):
    page = wide_page
    errors = []

    def from_the_extension(message) -> None:
        # The saved page's own missing images are no concern of the extension's.
        url = message.location["url"]
        if message.type in ("error", "warning") and url.startswith("chrome-extension"):
            errors.append(message.text)

    page.on("console", from_the_extension)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{news_url}/{SEED}")
    panel = harness.overlay(page)
    panel.get_by_role("button", name="Collapse the sensationalism panel").click()
    page.get_by_role("button", name="Show the sensationalism score").click()
    panel.get_by_role("button", name="Move the sensationalism panel").focus()
    page.keyboard.press("ArrowDown")
    page.set_viewport_size({"width": 1024, "height": 900})
    panel.get_by_role("button", name="Dismiss the sensationalism score").click()
    expect(page.locator(MARKS)).to_have_count(0)
    assert errors == []
