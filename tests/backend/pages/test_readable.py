"""Which pages the models may judge: English articles; the rest get a clear refusal.

Every saved page in tests/pages/ is checked against expected.json: an article
in English must pass, one in another language answers unsupported_language
with its code, and a page with no article (a section front, search results, a
directory index, a login wall) answers no_article with what was found.
"""

import json
from pathlib import Path

import lxml.html
import pytest

from backend.errors import NoArticle, UnsupportedLanguage
from backend.pages.extract import extract
from backend.pages.structure import measure
from backend.service import check_readable

PAGES = Path(__file__).resolve().parents[2] / "pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))


def saved(name: str):
    expected = EXPECTED[name]
    html = (PAGES / name).read_bytes().decode(expected["encoding"])
    return extract(html, expected["fetched_from"]), expected


def outcome(article) -> str:
    try:
        check_readable(article)
    except UnsupportedLanguage as err:
        return f"unsupported_language:{err.details['language']}"
    except NoArticle:
        return "no_article"
    return "article"


def expected_outcome(expected: dict) -> str:
    if expected.get("kind") == "no_article":
        return "no_article"
    language = expected.get("language", "en")
    return "article" if language == "en" else f"unsupported_language:{language}"


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=lambda n: n[:-5])
def test_saved_page(name):
    article, expected = saved(name)
    assert outcome(article) == expected_outcome(expected)


def test_the_saved_pages_cover_each_kind():
    kinds = {expected_outcome(e).split(":")[-1] for e in EXPECTED.values()}
    assert {"article", "no_article", "ru", "ko", "ja", "pt", "de", "id", "it"} <= kinds


def test_unsupported_language_names_the_language():
    article, _ = saved("moskovsky-vestnik.metro-line-delay.html")
    with pytest.raises(UnsupportedLanguage) as info:
        check_readable(article)
    assert info.value.status == 422
    assert info.value.to_dict()["error"] == {
        "code": "unsupported_language",
        "message": "This page is in Russian; the scorer reads English only.",
        "language": "ru",
        "language_name": "Russian",
    }


def test_a_japanese_article_among_many_links_is_refused_for_its_language():
    # Japanese has no spaces, so its body counts a few "words": the word-count
    # test alone would call this a page of links.
    expected = EXPECTED["kita-shimbun.snow-trains.html"]
    html = (PAGES / "kita-shimbun.snow-trains.html").read_text(encoding="utf-8")
    menu = "".join(f'<li><a href="/m/{i}">Menu item {i}</a></li>' for i in range(200))
    html = html.replace("<body>", f"<body><nav><ul>{menu}</ul></nav>", 1)
    article = extract(html, expected["fetched_from"])
    assert article.structure.link_share > 0.5
    with pytest.raises(UnsupportedLanguage):
        check_readable(article)


def test_no_article_says_what_was_found():
    article, _ = saved("northbridge.section-politics.html")
    with pytest.raises(NoArticle) as info:
        check_readable(article)
    error = info.value.to_dict()["error"]
    assert info.value.status == 422
    assert error["code"] == "no_article"
    assert "10 article teasers" in error["message"]
    assert error["found"] == {
        "headline": "Politics",
        "body_words": len(article.body.split()),
        "links": 20,
    }


def test_a_headline_alone_in_another_language_is_refused_as_a_headline():
    article = extract_headline("Открытие новой станции метро перенесли на весну")
    with pytest.raises(UnsupportedLanguage) as info:
        check_readable(article)
    assert info.value.message.startswith("This headline is in Russian")


def test_a_headline_alone_is_never_judged_for_its_shape():
    check_readable(extract_headline("Politics"))


def extract_headline(headline: str, body: str = ""):
    from backend import config
    from backend.service import Settings, parse_request, read_article

    settings = Settings.from_config(config.load())
    item = {"headline": headline, **({"body": body} if body else {})}
    return read_article(parse_request(item, settings), settings, {})


# Shapes, on small inline pages


STORY = (
    "The council met on Tuesday to discuss the plan for the harbour wall, and "
    "agreed to spend another two million pounds on repairs before the winter. "
)


def paragraphs(count: int) -> str:
    """Distinct paragraphs: extraction drops repeated ones."""
    return "".join(f"<p>Point {i}: {STORY}</p>" for i in range(count))


def page(body: str, title: str = "Harbour wall repairs approved") -> str:
    nav = "".join(f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(30))
    return (
        f"<html><head><title>{title}</title></head><body><nav><ul>{nav}</ul></nav>"
        f"<h1>{title}</h1>{body}<footer><a href='/about'>About us</a></footer>"
        "</body></html>"
    )


def teaser(i: int, words: str = "Councillors say the increase is needed.") -> str:
    return (
        f'<div class="card"><h3><a href="/story/{i}">Story number {i} about the '
        f"town</a></h3><p>{words} More on this story number {i} inside.</p></div>"
    )


def test_an_article_with_a_block_of_related_teasers_is_an_article():
    related = "".join(teaser(i) for i in range(8))
    html = page(f"<article>{paragraphs(5)}</article><aside>{related}</aside>")
    check_readable(extract(html))


@pytest.mark.parametrize(
    "wrap",
    [
        pytest.param("<p>{}</p>", id="paragraphs"),
        pytest.param('<div class="paragraph">{}</div>', id="paragraph-divs"),
        pytest.param('<div class="block"><p>{}</p></div>', id="block-divs"),
    ],
)
def test_an_article_whose_paragraphs_hold_links_is_an_article(wrap):
    story = "".join(
        wrap.format(
            f'<a href="/source/{i}">Reuters</a> said point {i}: {STORY} '
            f'as <a href="/people/{i}">the mayor</a> put it.'
        )
        for i in range(8)
    )
    check_readable(extract(page(f"<article>{story}</article>")))


def test_a_short_article_among_many_links_is_still_scored():
    # Under 50 words: the body check says "short", but it is an article.
    html = page(f"<article><p>{STORY}</p></article>")
    check_readable(extract(html))


def test_a_list_of_teasers_is_no_article():
    html = page("<main>" + "".join(teaser(i) for i in range(12)) + "</main>", "News")
    with pytest.raises(NoArticle, match="12 article teasers"):
        check_readable(extract(html))


def test_a_page_of_bare_links_is_no_article():
    links = "".join(
        f'<li><a href="/2024/{i}">Story {i} in November</a></li>' for i in range(60)
    )
    html = page(f"<main><ul>{links}</ul></main>", "Archive: November 2024")
    with pytest.raises(NoArticle):
        check_readable(extract(html))


def test_an_nginx_directory_index_is_no_article():
    rows = "".join(
        f'<a href="file-{i}.pdf">file-{i}.pdf</a>   01-Nov-2024 10:00  {i}K\n'
        for i in range(20)
    )
    html = (
        "<html><head><title>Index of /files/</title></head><body>"
        f"<h1>Index of /files/</h1><hr><pre><a href='../'>../</a>\n{rows}</pre><hr>"
        "</body></html>"
    )
    with pytest.raises(NoArticle, match="directory index"):
        check_readable(extract(html))


def test_a_sign_in_form_with_an_article_behind_it_is_an_article():
    # A comment box's password field on a full article is not a login wall.
    form = '<form><input type="password" name="p"><button>Post</button></form>'
    html = page(f"<article>{paragraphs(4)}</article>{form}")
    check_readable(extract(html))


def test_measure_counts_links_and_link_words():
    tree = lxml.html.fromstring(
        "<html><body><p>one two <a href='/a'>three four</a></p>"
        "<script>not counted</script><a>no href</a></body></html>"
    )
    structure = measure(tree)
    assert (structure.words, structure.link_words, structure.links) == (6, 2, 1)


# Through the API and the CLI


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("hanbit-ilbo.library-hours.html", "unsupported_language"),
        ("the-margin.search-results.html", "no_article"),
    ],
)
def test_the_api_answers_422_with_the_error(client, name, code):
    expected = EXPECTED[name]
    html = (PAGES / name).read_text(encoding=expected["encoding"])
    response = client.post(
        "/api/v1/score", json={"html": html, "url": expected["fetched_from"]}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == code


def test_the_cli_writes_one_error_line_per_refused_page(runner, small_artifact_dir):
    from backend.cli import main

    names = [
        "harbour-post.ward-recount.html",
        "kita-shimbun.snow-trains.html",
        "riverside-gazette.index-of-reports.html",
    ]
    lines = [
        json.dumps(
            {
                "html": (PAGES / n).read_text(encoding=EXPECTED[n]["encoding"]),
                "url": EXPECTED[n]["fetched_from"],
            }
        )
        for n in names
    ]
    result = runner.invoke(
        main,
        ["score", "--jsonl", "-", "--artifact-dir", str(small_artifact_dir)],
        input="\n".join(lines) + "\n",
    )
    assert result.exit_code == 1, result.output  # 1: some lines are errors
    out = [json.loads(line) for line in result.output.splitlines()]
    assert "score" in out[0]
    assert out[1]["error"]["language"] == "ja"
    assert out[2]["error"]["code"] == "no_article"
    assert out[2]["error"]["found"]["headline"] == "Index of /reports"
