"""Time budgets, invisible headlines and the model's body cap, in the service."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from backend import config, service
from backend.errors import NoHeadline, Timeout
from backend.service import MAX_MODEL_BODY_CHARS, Settings, is_visible

sys.path.insert(0, str(Path(__file__).parent / "pages"))
from hostile_server import HostileServer  # noqa: E402


def make_settings(**changes) -> Settings:
    """The service's default settings, with ``changes``."""
    return dataclasses.replace(Settings.from_config(config.load()), **changes)


HTML = "<html><head><title>Council {n} approves budget</title></head><body>{p}</body>"
PARAGRAPH = "<p>The council met on Monday and voted on the budget for the year.</p>"


class Clock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def slow_extract(monkeypatch):
    """Extraction that takes 20 s of the injected clock."""
    clock = Clock()
    real = service.extract

    def extract(html, url=None):
        clock.now += 20
        return real(html, url)

    monkeypatch.setattr(service, "extract", extract)
    return clock


def page(n: int) -> dict:
    return {"html": HTML.format(n=n, p=PARAGRAPH * 5)}


def test_batch_items_past_the_budget_answer_timeout_in_place(
    small_scorer, slow_extract
):
    settings = make_settings(batch_budget=30, request_budget=100, clock=slow_extract)
    outcomes = service.score_requests(
        [page(1), page(2), page(3), {"headline": "Court rules"}],
        small_scorer,
        settings,
    )
    assert "score" in outcomes[0]
    # The second item's extraction ended past the batch's 30 s; the rest were
    # never started.
    assert [type(o) for o in outcomes[1:]] == [Timeout, Timeout, Timeout]
    assert outcomes[1].status == 504 and outcomes[1].code == "timeout"
    assert "extracting" in outcomes[1].message
    assert "before this item was reached" in outcomes[2].message


def test_extraction_past_the_request_budget_is_a_timeout(small_scorer, slow_extract):
    settings = make_settings(request_budget=10, clock=slow_extract)
    with pytest.raises(Timeout, match="10 s budget extracting"):
        service.score_request(page(1), small_scorer, settings)


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("\u200b\u200c\u200d\ufeff", False),
        ("\u00ad", False),
        ("\u2060 \u200e\t\u200f", False),
        ("\u3164", False),
        ("\x01\x02", False),
        ("Caf\u00e9\u200b", True),
        ("\u0647\u200c\u0627", True),  # a joiner inside Persian text
    ],
)
def test_visibility(text, visible):
    assert is_visible(text) is visible


def test_a_page_whose_headline_is_invisible_has_no_headline(small_scorer):
    html = "<html><head><title>\u200b\u00ad</title></head><body><h1>\u200b</h1></body>"
    with pytest.raises(NoHeadline):
        service.score_request({"html": html}, small_scorer, make_settings())


def test_the_model_reads_at_most_the_capped_body(small_scorer, monkeypatch):
    seen = []
    real = small_scorer.score_many

    def score_many(headlines, bodies=None):
        seen.extend(bodies)
        return real(headlines, bodies)

    monkeypatch.setattr(small_scorer, "score_many", score_many)
    body = "word " * 700_000  # 3.5 M characters
    service.score_request(
        {"headline": "Court rules", "body": body[:2_000_000]},
        small_scorer,
        make_settings(),
    )
    assert 0 < len(seen[0]) <= MAX_MODEL_BODY_CHARS
    assert seen[0].endswith("word")


@pytest.mark.integration
def test_a_batch_of_hanging_urls_ends_within_its_budget(small_scorer):
    with HostileServer(drip_interval=0.25, drip_for=30.0) as server:
        settings = make_settings(
            fetch_timeout=1.5, batch_budget=2.0, allow_loopback=True
        )
        items = [{"url": f"{server.url}/slow-status?{n}"} for n in range(5)]
        outcomes = service.score_requests(items, small_scorer, settings)
        codes = [o.code for o in outcomes]
        assert codes[0] == "upstream_timeout"
        assert codes[1:] == ["timeout"] * 4
        # Returned while the server would still be dripping for half a minute.
        assert not any(record.finished for record in server.records.values())
        assert len(server.requests) <= 2
