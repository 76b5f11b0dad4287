"""Tests for backend.pages.extract, over saved pages and small inline ones.

Each saved page in tests/pages/ is named <site>.<slug>.html and has an entry in
expected.json: the headline and where it comes from, the metadata, and strings
the body must and must not contain (navigation, cookie banners, related links,
comments, footers).
"""

import contextlib
import dataclasses
import functools
import json
from pathlib import Path
from unittest import mock

import pytest
import trafilatura
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.errors import NoHeadline
from backend.pages.extract import (
    FALLBACK_MAX_NODES,
    MAX_NODES,
    Article,
    extract,
    parse,
    strip_site_name,
)
from backend.pages.metadata import compact

PAGES = Path(__file__).resolve().parents[2] / "pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))


def load(name: str) -> tuple[str, dict]:
    """A saved page decoded as fetch would decode it, and its expectations."""
    expected = EXPECTED[name]
    return (PAGES / name).read_bytes().decode(expected["encoding"]), expected


@functools.cache
def extracted(name: str) -> tuple[Article, dict]:
    """Each saved page, extracted once: an Article is frozen, so tests can share it."""
    html, expected = load(name)
    return extract(html, expected["fetched_from"]), expected


page_names = pytest.mark.parametrize("name", sorted(EXPECTED), ids=lambda n: n[:-5])


def page(head: str = "", body: str = "") -> str:
    """A small page; the body gets enough text for trafilatura to keep."""
    story = " ".join(["The council met on Tuesday to discuss the plan."] * 6)
    return (
        f"<!doctype html><html><head>{head}</head>"
        f"<body>{body}<article><p>{story}</p><p>{story}</p></article></body></html>"
    )


# Saved pages


def test_every_saved_page_has_expectations():
    assert sorted(p.name for p in PAGES.glob("*.html")) == sorted(EXPECTED)


@page_names
def test_headline(name):
    article, expected = extracted(name)
    assert article.headline == expected["headline"]


@page_names
def test_headline_source(name):
    article, expected = extracted(name)
    assert article.headline_source == expected["headline_source"]


@page_names
def test_headline_leaves_out_the_site_name(name):
    article, expected = extracted(name)
    site = expected.get("site") or expected["site_name"]
    assert site.casefold() not in article.headline.casefold()


@page_names
def test_body_keeps_the_article_text(name):
    article, expected = extracted(name)
    missing = [text for text in expected["body_has"] if text not in article.body]
    assert missing == []


@page_names
def test_body_drops_the_page_furniture(name):
    article, expected = extracted(name)
    leaked = [text for text in expected["body_lacks"] if text in article.body]
    assert leaked == []


@page_names
def test_body_leaves_out_the_headline(name):
    article, _ = extracted(name)
    assert article.headline not in article.body.split("\n\n")


@page_names
def test_standfirst(name):
    article, expected = extracted(name)
    assert article.standfirst == expected["standfirst"]


@page_names
def test_url_is_canonical(name):
    article, expected = extracted(name)
    assert article.url == expected["url"]


@page_names
def test_site_name(name):
    article, expected = extracted(name)
    assert article.site_name == expected["site_name"]


def test_body_paragraphs_are_separated_by_blank_lines():
    article, expected = extracted("northbridge.flood-barrier-delay.html")
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 8
    assert all(p.strip() == p and "\n" not in p for p in paragraphs)


def test_escaped_markup_in_a_headline_comes_out_as_literal_text():
    article, _ = extracted("pixel-patrol.img-onerror.html")
    assert "<img src=x onerror=alert(1)>" in article.headline


# Input


def test_bytes_are_refused():
    with pytest.raises(TypeError):
        extract(b"<html><title>Hi</title></html>")


@pytest.mark.parametrize(
    "html",
    [
        pytest.param("", id="empty"),
        pytest.param("   \n\t ", id="whitespace"),
        pytest.param("garbage \x00\x01\x02 not html", id="garbage"),
        pytest.param("<html></html>", id="empty-document"),
        pytest.param("<p>Just a paragraph.</p>", id="fragment"),
        pytest.param("<title>   </title><h1> </h1>", id="blank-headings"),
        pytest.param("\ud800<h1", id="lone-surrogate"),
    ],
)
def test_a_page_without_a_headline_raises_no_headline(html):
    with pytest.raises(NoHeadline):
        extract(html)


def test_an_xml_declaration_does_not_stop_parsing():
    html = '<?xml version="1.0" encoding="iso-8859-1"?>' + page(body="<h1>Größe</h1>")
    assert extract(html).headline == "Größe"


def test_a_meta_charset_does_not_re_decode_the_text():
    html = page('<meta charset="windows-1252">', "<h1>Straße „neu“</h1>")
    assert extract(html).headline == "Straße „neu“"


def test_a_huge_page_is_extracted():
    paragraphs = "".join(
        f"<p>Paragraph {n} of the long report on the harbour wall repairs.</p>"
        for n in range(20_000)
    )
    html = f"<html><head><title>Long</title></head><body><h1>Report</h1>{paragraphs}"
    article = extract(html + "</body></html>")
    assert (article.headline, len(html) > 1_000_000) == ("Report", True)
    assert "Paragraph 19999 of" in article.body


@settings(deadline=None, max_examples=60)
@given(st.text())
def test_any_text_gives_an_article_or_no_headline(text):
    try:
        article = extract(text)
    except NoHeadline:
        return
    assert article.headline.strip() == article.headline != ""


def test_article_is_frozen():
    article = extract(page(body="<h1>Hi</h1>"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.headline = "Changed"


# Headline sources


@pytest.mark.parametrize(
    "hidden",
    [
        pytest.param("<h1 hidden>Sign in</h1>", id="hidden-attribute"),
        pytest.param('<h1 aria-hidden="true">Sign in</h1>', id="aria-hidden"),
        pytest.param('<h1 style="display: none">Sign in</h1>', id="display-none"),
        pytest.param('<h1 style="visibility:hidden">Sign in</h1>', id="visibility"),
        pytest.param('<div style="DISPLAY:NONE"><h1>Sign in</h1></div>', id="parent"),
        pytest.param("<template><h1>Sign in</h1></template>", id="template"),
        pytest.param("<noscript><h1>Sign in</h1></noscript>", id="noscript"),
    ],
)
def test_a_hidden_h1_is_skipped(hidden):
    html = page(body=f"{hidden}<div><h1>Budget approved</h1></div>")
    assert extract(html).headline == "Budget approved"


def test_an_h1_in_the_article_wins_over_an_earlier_one():
    html = page(
        body="<div><h1>Newsletter</h1></div><main><h1>Budget approved</h1></main>"
    )
    assert extract(html).headline == "Budget approved"


@pytest.mark.parametrize(
    "logo",
    [
        pytest.param('<h1 class="site-logo">Daily Courier</h1>', id="logo-class"),
        pytest.param('<div id="masthead"><h1>Courier</h1></div>', id="masthead"),
        pytest.param('<h1><a href="/">Daily Courier</a></h1>', id="link-home"),
        pytest.param("<h1>The Daily Courier</h1>", id="site-name-text"),
    ],
)
def test_a_logo_h1_is_skipped(logo):
    head = '<meta property="og:site_name" content="The Daily Courier">'
    body = f"<header>{logo}</header><div><h1>Budget approved</h1></div>"
    assert extract(page(head, body)).headline == "Budget approved"


@pytest.mark.parametrize(
    "h1",
    [
        pytest.param('<h1><a name="top"></a>Budget approved</h1>', id="anchor"),
        pytest.param('<h1><a href="/news/budget">Budget approved</a></h1>', id="link"),
        pytest.param('<h1><a href="#main">Budget approved</a></h1>', id="fragment"),
    ],
)
def test_an_h1_with_a_link_that_is_not_home_is_a_headline(h1):
    assert extract(page(body=h1)).headline_source == "h1"


def test_hidden_parts_and_line_breaks_in_an_h1_read_as_seen():
    body = '<h1>Budget<br>approved <span class="u-h" hidden>(updated)</span></h1>'
    assert extract(page(body=body)).headline == "Budget approved"


def json_ld(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


@pytest.mark.parametrize(
    "script",
    [
        pytest.param(json_ld({"@type": "NewsArticle", "headline": "A"}), id="plain"),
        pytest.param(
            json_ld(
                {
                    "@graph": [
                        {"@type": "WebPage"},
                        {"@type": "Article", "headline": "A"},
                    ]
                }
            ),
            id="graph",
        ),
        pytest.param(json_ld([{"@type": "BlogPosting", "headline": "A"}]), id="list"),
        pytest.param(
            json_ld({"@type": ["Article", "NewsArticle"], "headline": "A"}), id="types"
        ),
        pytest.param(
            json_ld(
                {
                    "@type": "WebPage",
                    "mainEntity": {"@type": "Article", "headline": "A"},
                }
            ),
            id="nested",
        ),
        pytest.param(
            json_ld({"@type": "https://schema.org/NewsArticle", "headline": ["A"]}),
            id="type-url-and-headline-list",
        ),
        pytest.param(
            '<script type="application/ld+json"><!--'
            '{"@type": "Article", "headline": "A"}--></script>',
            id="in-a-comment",
        ),
    ],
)
def test_json_ld_headline(script):
    article = extract(page(script + '<meta property="og:title" content="Not this">'))
    assert (article.headline, article.headline_source) == ("A", "json-ld")


@pytest.mark.parametrize(
    "script",
    [
        pytest.param(
            '<script type="application/ld+json">{"@type": "Article", "headline": '
            "</script>",
            id="malformed",
        ),
        pytest.param(
            json_ld({"@type": "Recipe", "headline": "Soup"}), id="not-article"
        ),
        pytest.param(json_ld({"@type": "Article", "headline": 42}), id="not-text"),
    ],
)
def test_json_ld_without_an_article_headline_is_passed_over(script):
    article = extract(page(script + '<meta property="og:title" content="B">'))
    assert (article.headline, article.headline_source) == ("B", "og:title")


def test_twitter_title_comes_after_og_title():
    head = (
        '<meta name="twitter:title" content="T"><meta property="og:title" content="O">'
    )
    assert extract(page(head)).headline_source == "og:title"


def test_an_svg_title_is_not_the_page_title():
    html = page(body="<svg><title>Close icon</title></svg>").replace(
        "<head>", "<head><title>Budget approved</title>"
    )
    assert extract(html).headline == "Budget approved"


@pytest.mark.parametrize(
    "head",
    [
        pytest.param(
            '<meta property="og:title" content="Fish &amp;amp; chips &amp;#8211; a y">',
            id="og-title",
        ),
        pytest.param(
            json_ld({"@type": "Article", "headline": "Fish &amp; chips &#8211; a y"}),
            id="json-ld",
        ),
    ],
)
def test_entities_are_unescaped_once_more_in_metadata(head):
    assert extract(page(head)).headline == "Fish & chips – a y"


def test_whitespace_in_a_headline_is_normalised():
    body = "<h1>\n  Budget&nbsp;&nbsp;approved\u200b\t again </h1>"
    assert extract(page(body=body)).headline == "Budget approved again"


def test_a_title_that_is_only_the_site_name_is_no_headline():
    head = '<title>Courier</title><meta property="og:site_name" content="Courier">'
    with pytest.raises(NoHeadline):
        extract(page(head))


# Site names

SITES = frozenset({compact("The Daily Courier"), compact("courier.example")})


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        pytest.param(
            "Budget approved | The Daily Courier", "Budget approved", id="pipe"
        ),
        pytest.param("Budget approved - Daily Courier", "Budget approved", id="hyphen"),
        pytest.param(
            "Budget approved — Daily Courier", "Budget approved", id="em-dash"
        ),
        pytest.param(
            "Budget approved – Daily Courier", "Budget approved", id="en-dash"
        ),
        pytest.param("Budget approved: Daily Courier", "Budget approved", id="colon"),
        pytest.param("Daily Courier: Budget approved", "Budget approved", id="prefix"),
        pytest.param(
            "Daily Courier | Budget approved", "Budget approved", id="prefix-pipe"
        ),
        pytest.param("Budget approved | DAILY COURIER", "Budget approved", id="case"),
        pytest.param(
            "Budget approved - Daily Courier News", "Budget approved", id="news"
        ),
        pytest.param("Budget approved | courier.example", "Budget approved", id="host"),
        pytest.param(
            "Storm Ada: homes lose power",
            "Storm Ada: homes lose power",
            id="colon-kept",
        ),
        pytest.param(
            "Budget approved | Politics",
            "Budget approved | Politics",
            id="section-kept",
        ),
        pytest.param("Daily Courier", "Daily Courier", id="only-the-name"),
    ],
)
def test_strip_site_name(title, headline):
    assert strip_site_name(title, SITES) == headline


def test_strip_site_name_drops_a_segment_another_source_agrees_with():
    agreeing = {compact("Budget approved")}
    assert (
        strip_site_name("Budget approved | Politics", SITES, agreeing)
        == "Budget approved"
    )


def test_a_logo_h1_names_the_site_in_the_title():
    html = page(
        "<title>Courgette glut - Openfield Notes</title>",
        '<header><h1><a href="/">Openfield Notes</a></h1></header>',
    )
    assert extract(html).headline == "Courgette glut"


def test_a_visually_hidden_h1_that_agrees_trims_the_title():
    html = page(
        "<title>Budget approved | Weekend</title>", "<h1 hidden>Budget approved</h1>"
    )
    assert extract(html).headline == "Budget approved"


@pytest.mark.parametrize(
    ("head", "url"),
    [
        pytest.param('<meta property="og:site_name" content="Courier">', None, id="og"),
        pytest.param(
            json_ld({"@type": "NewsArticle", "publisher": {"name": "Courier"}}),
            None,
            id="json-ld-publisher",
        ),
        pytest.param(
            json_ld(
                {
                    "@graph": [
                        {"@type": "Article", "publisher": {"@id": "#org"}},
                        {"@type": "Organization", "@id": "#org", "name": "Courier"},
                    ]
                }
            ),
            None,
            id="json-ld-publisher-by-id",
        ),
        pytest.param("", "https://www.courier.example/story", id="host-name"),
        pytest.param(
            '<meta name="application-name" content="Courier">', None, id="app"
        ),
    ],
)
def test_the_site_name_comes_off_the_title(head, url):
    html = page(f"<title>Budget approved | Courier</title>{head}")
    assert extract(html, url).headline == "Budget approved"


# Metadata


@pytest.mark.parametrize(
    ("head", "standfirst"),
    [
        pytest.param(
            '<meta name="description" content="D"><meta property="og:description" '
            'content="O">',
            "O",
            id="og-description-first",
        ),
        pytest.param('<meta name="description" content="D">', "D", id="description"),
        pytest.param("", None, id="none"),
    ],
)
def test_standfirst_from_meta(head, standfirst):
    assert extract(page(f"<title>T</title>{head}")).standfirst == standfirst


def test_standfirst_from_an_element():
    body = '<h1>T</h1><p class="article__standfirst">Councillors split.</p>'
    assert extract(page(body=body)).standfirst == "Councillors split."


@pytest.mark.parametrize(
    ("head", "url"),
    [
        pytest.param(
            '<link rel="canonical" href="/news/story">',
            "https://courier.example/news/story",
            id="relative-canonical",
        ),
        pytest.param(
            '<meta property="og:url" content="https://courier.example/og">',
            "https://courier.example/og",
            id="og-url",
        ),
        pytest.param(
            '<link rel="canonical" href="javascript:alert(1)">',
            "https://courier.example/news/story?utm=x",
            id="unsafe-canonical-ignored",
        ),
        pytest.param("", "https://courier.example/news/story?utm=x", id="given"),
    ],
)
def test_url(head, url):
    html = page(f"<title>T</title>{head}")
    assert extract(html, "https://courier.example/news/story?utm=x").url == url


def test_url_is_none_without_any():
    assert extract(page("<title>T</title>")).url is None


# Bounded cost: count the work handed to trafilatura, never time it


@contextlib.contextmanager
def counted_passes():
    """Record (elements in the tree, fast?) for each trafilatura pass."""
    calls: list[tuple[int, bool]] = []
    real = trafilatura.extract

    def counting(tree, **kwargs):
        calls.append((sum(1 for _ in tree.iter()), kwargs["fast"]))
        return real(tree, **kwargs)

    with mock.patch.object(trafilatura, "extract", counting):
        yield calls


BLOCKS = {
    "div-p": "<div><p>a b</p></div>",
    "h1": "<h1>x</h1>",
    "link-list": '<li><a href="/x">a</a> b</li>',
    "table-row": "<table><tr><td>a</td><td>b</td></tr></table>",
    "paragraph": "<p>Paragraph of the long report on the harbour wall repairs.</p>",
}


@settings(deadline=None, max_examples=25)
@given(st.sampled_from(sorted(BLOCKS)), st.integers(0, 400))
def test_work_grows_at_most_linearly_with_the_page(block, repeat):
    html = "<h1>Head</h1>" + BLOCKS[block] * repeat
    with counted_passes() as passes:
        extract(html)
    elements = len(list(parse(html).iter()))
    # At most two passes over the page; the quadratic fallback only on small ones.
    assert len(passes) <= 2
    assert all(nodes <= min(elements, MAX_NODES) for nodes, _ in passes)
    assert all(fast or nodes <= FALLBACK_MAX_NODES for nodes, fast in passes)


def test_a_pathological_page_skips_the_quadratic_fallback():
    # 420 KB of tiny paragraphs: jusText's neighbour search took 35 s on it.
    with counted_passes() as passes:
        extract("<h1>Head</h1>" + "<div><p>a b</p></div>" * 20_000)
    assert passes == [(MAX_NODES, True)]


def test_a_page_past_the_node_cap_is_cut_short():
    tree = parse("<h1>x</h1>" * 100_000)  # 1 MB of headings
    from backend.pages.extract import _bound

    assert _bound(tree) == MAX_NODES
    assert len(list(tree.iter())) == MAX_NODES


def test_the_body_is_capped(monkeypatch):
    from backend.pages import extract as module

    monkeypatch.setattr(module, "MAX_BODY_CHARS", 500)
    story = "".join(
        f"<p>Point {i} of the council's plan for the wall.</p>" for i in range(40)
    )
    assert len(extract(f"<h1>Report</h1><article>{story}</article>").body) == 500
