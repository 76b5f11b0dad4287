"""One scoring request, whatever its form: a URL, a page's HTML, or a headline.

Shared by the API and the CLI so both give the same answer in the same shape:
the model's result plus the article it was read from and how long each step took.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backend.config import MAX_HEADLINE_CHARS
from backend.errors import (
    BadInput,
    ModelUnavailable,
    NoArticle,
    NoHeadline,
    ScorerError,
    Timeout,
    TooLarge,
    UnsupportedLanguage,
    UpstreamTimeout,
)
from backend.pages import language
from backend.pages.extract import Article, extract
from backend.pages.fetch import fetch
from backend.pages.structure import looks_like_article
from backend.schema import validate
from backend.web.cache import NoCache, cache_key
from model import artifacts
from model.scoring import clean_headline

# What of a body the model reads: it stops at 20,000 words (model.body.text), and
# this many characters hold them; extraction caps too, but is not trusted to.
MAX_MODEL_BODY_CHARS = 200_000
# Characters that show nothing: format (Cf: zero-width, soft hyphen, BOM,
# direction marks), control (Cc), spaces, and the blank Hangul and Braille fillers.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


@dataclass(frozen=True)
class Settings:
    """What a request may do: limits, time budgets, the fetcher's options
    (backend.config), and the clock the budgets are read from."""

    max_html_bytes: int
    fetch_timeout: float
    max_redirects: int
    allow_loopback: bool
    # Seconds for extraction and scoring after the fetch, and for a whole batch.
    request_budget: float
    batch_budget: float
    clock: Callable[[], float] = time.monotonic

    @classmethod
    def from_config(cls, config) -> Settings:
        return cls(
            max_html_bytes=int(config["MAX_HTML_BYTES"]),
            fetch_timeout=float(config["FETCH_TIMEOUT"]),
            max_redirects=int(config["FETCH_MAX_REDIRECTS"]),
            allow_loopback=bool(config["FETCH_ALLOW_LOOPBACK"]),
            request_budget=float(config["REQUEST_BUDGET"]),
            batch_budget=float(config["BATCH_BUDGET"]),
        )


class Budget:
    """A wall-clock allowance, read from the settings' clock."""

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds, self.clock = seconds, clock
        self.ends = clock() + seconds

    def remaining(self) -> float:
        return self.ends - self.clock()

    def within(self, seconds: float) -> Budget:
        """A budget of ``seconds`` that also ends when this one does."""
        return Budget(min(seconds, max(self.remaining(), 0.0)), self.clock)

    def check(self, doing: str) -> None:
        if self.remaining() <= 0:
            raise Timeout(
                f"The request ran out of its {self.seconds:g} s budget {doing}."
            )


def load_scorer(artifact_dir):
    """Load the model once, or raise ModelUnavailable with the reason."""
    from model.scoring import Scorer

    try:
        scorer = Scorer.load(artifact_dir)
    except artifacts.ArtifactError as err:
        raise ModelUnavailable(str(err)) from err
    # The language detector's model loads with ours (about 1.5 s), so that no
    # request waits for it.
    language.load()
    return scorer


def _string(item: dict, field: str) -> str | None:
    """A text field the schema let through, checked for what it cannot say."""
    value = item.get(field)
    if value is None:
        return None
    if "\x00" in value:
        raise BadInput(f'"{field}" contains a NUL character')
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:  # lone surrogates, e.g. "\ud800"
        raise BadInput(f'"{field}" is not valid Unicode text') from err
    return value


def parse_request(item: Any, settings: Settings) -> dict:
    """Check one request object and say which form it takes."""
    validate("ScoreRequest", item)  # shape, types and sizes: backend.schema
    url, html = _string(item, "url"), _string(item, "html")
    headline, body = _string(item, "headline"), _string(item, "body")
    if html is not None:
        if len(html) > settings.max_html_bytes:  # cheap before encoding it
            raise TooLarge(f'"html" is longer than {settings.max_html_bytes:,} bytes')
        if headline is not None or body is not None:
            raise BadInput(
                'give "html" (with an optional "url") or "headline", not both'
            )
        if len(html.encode("utf-8")) > settings.max_html_bytes:
            raise TooLarge(f'"html" is larger than {settings.max_html_bytes:,} bytes')
        if url is not None and not url.lower().startswith(("http://", "https://")):
            raise BadInput('"url" must be the http or https address of the page')
        return {"kind": "html", "html": html, "url": url}
    if headline is not None:
        if url is not None:
            raise BadInput(
                'give "headline" with an optional "body", or "url", not both'
            )
        if not headline.strip():
            raise BadInput('"headline" must not be empty')
        if not is_visible(headline):
            raise NoHeadline(
                '"headline" holds only invisible characters (zero-width, format '
                "or control characters); there is no headline to score"
            )
        return {"kind": "headline", "headline": headline, "body": body}
    if url is not None:
        if body is not None:
            raise BadInput('"body" goes with "headline", not with "url"')
        return {"kind": "url", "url": url}
    raise BadInput('give one of "url", "html" (with an optional "url") or "headline"')


def is_visible(text: str) -> bool:
    """Whether ``text`` shows anything once invisible characters are set aside."""
    return any(
        unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        and char not in _BLANK_LETTERS
        for char in text
    )


def read_article(
    request: dict, settings: Settings, timing: dict, budget: Budget | None = None
) -> Article:
    """The article a request is about: fetched, extracted, or given.

    The fetch has ``fetch_timeout`` and extraction ``request_budget``, both cut
    short by ``budget`` (a batch's); running out of either is a Timeout.
    """
    budget = budget or Budget(settings.batch_budget, settings.clock)
    if request["kind"] == "headline":
        return Article(
            headline=request["headline"],
            headline_source="request",
            standfirst=None,
            body=request["body"] or "",
            url=None,
            site_name=None,
        )
    html, url = request.get("html"), request.get("url")
    if request["kind"] == "url":
        started = time.perf_counter()
        budget.check("before fetching the page")
        fetching = budget.within(settings.fetch_timeout)
        try:
            page = fetch(
                url,
                timeout=fetching.remaining(),
                max_bytes=settings.max_html_bytes,
                max_redirects=settings.max_redirects,
                allow_loopback=settings.allow_loopback,
            )
        except UpstreamTimeout:
            # The batch's budget, not the page's server, cut the fetch short.
            budget.check("while fetching the page")
            raise
        timing["fetch_ms"] = _ms(started)
        html, url = page.text, page.url
    started = time.perf_counter()
    extracting = budget.within(settings.request_budget)
    extracting.check("before extracting the article")
    article = extract(html, url)
    extracting.check("extracting the article")
    timing["extract_ms"] = _ms(started)
    if not is_visible(article.headline):
        raise NoHeadline()
    if len(article.headline) > MAX_HEADLINE_CHARS:
        raise NoHeadline("the page's title is too long to be a headline")
    return article


def check_readable(article: Article) -> None:
    """Refuse what the models cannot judge: another language, or no article.

    Raises UnsupportedLanguage or NoArticle; an English article passes.
    """
    if article.structure is None:  # a headline, and perhaps a body, as given
        if article.body:
            found = language.article_language(article.headline, article.body)
        else:
            found = language.headline_language(article.headline)
        if found:
            raise UnsupportedLanguage(found.code, found.name, what="headline")
        return
    # The page's shape first: the detector reads a directory index or a list
    # of teasers as any language. Then the language; then the test that counts
    # words, which pages in languages written without spaces would fail.
    _refuse_if_no_article(article, by_word_count=False)
    found = language.article_language(article.headline, article.body, article.language)
    if found:
        raise UnsupportedLanguage(found.code, found.name)
    _refuse_if_no_article(article, by_word_count=True)


def _refuse_if_no_article(article: Article, by_word_count: bool) -> None:
    is_article, looks_like = looks_like_article(
        article.structure, article.headline, article.body, by_word_count=by_word_count
    )
    if not is_article:
        raise NoArticle(
            f"This page has no article to score: it looks like {looks_like}.",
            headline=article.headline,
            body_words=len(article.body.split()),
            links=article.structure.links,
        )


def article_summary(article: Article) -> dict:
    return {
        "headline": {"text": article.headline, "source": article.headline_source},
        "standfirst": article.standfirst,
        "url": article.url,
        "site_name": article.site_name,
        "body_chars": len(article.body),
    }


def _key(request: dict, version: str) -> str:
    if request["kind"] == "url":
        return cache_key(version, "url", request["url"])
    if request["kind"] == "html":
        return cache_key(version, "html", request["html"], request["url"] or "")
    return cache_key(version, "headline", request["headline"], request["body"] or "")


def score_request(item: Any, scorer, settings: Settings, cache=None) -> dict:
    """Score one request object end to end; raises ScorerError subclasses."""
    (outcome,) = score_requests([item], scorer, settings, cache)
    if isinstance(outcome, ScorerError):
        raise outcome
    return outcome


def score_requests(
    items: list, scorer, settings: Settings, cache=None
) -> list[dict | ScorerError]:
    """Score request objects in order, the model's sums once for all of them.

    Each item's outcome is its result, or the ScorerError that stopped it: one
    bad item never stops the others. Items not reached within ``batch_budget``
    answer Timeout in place. An item's ``score_ms`` is its share of the batch's
    scoring time.
    """
    cache = cache or NoCache()
    budget = Budget(settings.batch_budget, settings.clock)
    outcomes: list[dict | ScorerError] = []
    pending = []  # (position, key, article, timing) awaiting the model
    for item in items:
        started = time.perf_counter()
        try:
            budget.check("before this item was reached")
            request = parse_request(item, settings)
            key = _key(request, scorer.version)
            cached = cache.get(key)
            if cached is not None:
                timing = {"total_ms": _ms(started)}
                outcomes.append({**cached, "cached": True, "timing": timing})
                continue
            timing: dict[str, float] = {}
            article = read_article(request, settings, timing, budget)
            check_readable(article)
            # Checked here, per item: score_many refuses a whole batch for one
            # headline it cannot score.
            clean_headline(article.headline)
        except ScorerError as err:
            outcomes.append(err)
            continue
        except ValueError as err:
            outcomes.append(BadInput(str(err)))
            continue
        timing["total_ms"] = _ms(started)  # so far; its share of scoring is added
        pending.append((len(outcomes), key, article, timing))
        outcomes.append({})  # filled in below
    if not pending:
        return outcomes
    scoring_started = time.perf_counter()
    results = scorer.score_many(
        [article.headline for _, _, article, _ in pending],
        [_model_body(article.body) for _, _, article, _ in pending],
    )
    share = _ms(scoring_started) / len(pending)
    for (position, key, article, timing), result in zip(pending, results, strict=True):
        result["article"] = article_summary(article)
        cache.set(key, result)
        timing["score_ms"] = round(share, 2)
        timing["total_ms"] = round(timing.pop("total_ms") + share, 2)
        outcomes[position] = {**result, "cached": False, "timing": timing}
    return outcomes


def _model_body(body: str) -> str | None:
    """The body as the model reads it: None when empty, cut at a word boundary."""
    if len(body) > MAX_MODEL_BODY_CHARS:
        cut = body.rfind(" ", 0, MAX_MODEL_BODY_CHARS)
        body = body[: cut if cut > 0 else MAX_MODEL_BODY_CHARS]
    return body or None


def extract_request(item: Any, settings: Settings) -> dict:
    """Fetch or read a page and return what was extracted from it."""
    request = parse_request(item, settings)
    if request["kind"] == "headline":
        raise BadInput('extraction needs "url" or "html"')
    article = read_article(request, settings, {})
    return {
        "headline": {"text": article.headline, "source": article.headline_source},
        "standfirst": article.standfirst,
        "body": article.body,
        "url": article.url,
        "site_name": article.site_name,
    }


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
