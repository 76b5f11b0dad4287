"""Read a page's metadata from its parsed tree: meta tags, JSON-LD, links.

Everything here reads an ``lxml.html`` tree that :mod:`backend.pages.extract` parsed,
and never changes it. Strings that come from attributes or JSON are unescaped
once more, since sites often escape them twice (``&amp;amp;``); the result is
always plain text, never markup.
"""

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

# schema.org types whose "headline" is an article's headline.
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "TechArticle",
    }
)
# Class names that mark an element as a standfirst (dek, subtitle) in common CMSs.
_STANDFIRST_CLASS = re.compile(
    r"(?:^|[\s_-])(?:standfirst|dek|subtitle|sub-?headline|article-summary)(?:$|[\s_-])",
    re.I,
)
_MAX_DEPTH = 20


@dataclass(frozen=True)
class Metadata:
    """What a page says about itself, gathered in one pass over the tree."""

    tags: dict[str, str] = field(default_factory=dict)  # meta name/property -> content
    articles: tuple[dict, ...] = ()  # JSON-LD objects of an ARTICLE_TYPES type
    publishers: tuple[str, ...] = ()  # the JSON-LD articles' publisher names
    site_name: str | None = None
    url: str | None = None
    standfirst: str | None = None
    site_names: frozenset[str] = frozenset()  # compact(), from tags, JSON-LD, host


def read_metadata(tree: HtmlElement, url: str | None = None) -> Metadata:
    """Gather the metadata of a parsed page; ``url`` is where it was fetched."""
    tags = meta_tags(tree)
    nodes = json_ld_nodes(tree)
    articles = tuple(node for node in nodes if _types(node) & ARTICLE_TYPES)
    publishers = tuple(_publisher_names(articles, nodes))
    site_name = (
        clean(tags.get("og:site_name"))
        or next(iter(publishers), None)
        or clean(tags.get("application-name"))
    )
    canonical = canonical_url(tree, tags, url)
    names = {site_name, *publishers, clean(tags.get("application-name"))}
    names |= host_names(canonical) | host_names(url)
    return Metadata(
        tags=tags,
        articles=articles,
        publishers=publishers,
        site_name=site_name,
        url=canonical,
        standfirst=_standfirst(tree, tags),
        site_names=frozenset(filter(None, map(compact, filter(None, names)))),
    )


def collapse_whitespace(text: str) -> str:
    """Collapse whitespace (non-breaking too) and drop zero-width spaces."""
    return " ".join(text.replace("\u200b", "").replace("\ufeff", "").split())


def compact(text: str) -> str:
    """Fold a name for comparison: "The Daily-Courier" -> "dailycourier"."""
    return re.sub(r"\W+", "", re.sub(r"^\s*the\s+", "", text.casefold()))


def clean(value: object) -> str | None:
    """Unescape and normalise a metadata string; None if it is empty or no string."""
    if not isinstance(value, str):
        return None
    return collapse_whitespace(html.unescape(value)) or None


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    """Map each <meta> name, property or itemprop (lowercased) to its first content."""
    tags: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content and content.strip():
            tags.setdefault(key.strip().lower(), content)
    return tags


def json_ld_nodes(tree: HtmlElement) -> list[dict]:
    """Every JSON object in the page's JSON-LD scripts, @graph and nested included.

    Malformed scripts are skipped: a page's broken JSON-LD is its own problem.
    """
    nodes: list[dict] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        source = (script.text or "").strip()
        # Some CMSs wrap the JSON in an HTML comment or CDATA section.
        source = re.sub(r"^(<!--|<!\[CDATA\[)|(-->|\]\]>)$", "", source).strip()
        try:
            data = json.loads(source, strict=False)
        except (ValueError, RecursionError):
            continue
        _collect(data, nodes, 0)
    return nodes


def _collect(value: object, nodes: list[dict], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        for item in value:
            _collect(item, nodes, depth + 1)
    elif isinstance(value, dict):
        nodes.append(value)
        for item in value.values():
            if isinstance(item, dict | list):
                _collect(item, nodes, depth + 1)


def _types(node: dict) -> set[str]:
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    # "schema:NewsArticle" and "https://schema.org/NewsArticle" name the same type.
    return {re.split(r"[/:#]", t)[-1] for t in types if isinstance(t, str)}


def json_ld_headline(metadata: Metadata) -> str | None:
    """The first JSON-LD article headline, if any."""
    for article in metadata.articles:
        headline = article.get("headline")
        if isinstance(headline, list):
            headline = next(iter(headline), None)
        if text := clean(headline):
            return text
    return None


def _publisher_names(articles: tuple[dict, ...], nodes: list[dict]) -> Iterator[str]:
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    for article in articles:
        publishers = article.get("publisher")
        if not isinstance(publishers, list):
            publishers = [publishers]
        for publisher in publishers:
            if isinstance(publisher, dict) and "name" not in publisher:
                # {"@id": "#organization"} points into the @graph.
                publisher = by_id.get(publisher.get("@id"), publisher)
            if isinstance(publisher, dict) and (name := clean(publisher.get("name"))):
                yield name


def canonical_url(
    tree: HtmlElement, tags: dict[str, str], url: str | None
) -> str | None:
    """The page's canonical link, else og:url, else ``url``; only http(s) URLs."""
    links = [
        link.get("href")
        for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    for candidate in (*links, tags.get("og:url")):
        if candidate and candidate.strip():
            try:
                absolute = urljoin(url or "", candidate.strip())
                parts = urlsplit(absolute)
            except ValueError:  # a page's malformed link is not our error
                continue
            if parts.scheme in ("http", "https") and parts.netloc:
                return absolute
    return url


def _standfirst(tree: HtmlElement, tags: dict[str, str]) -> str | None:
    for key in ("og:description", "description", "twitter:description"):
        if text := clean(tags.get(key)):
            return text
    for element in tree.iter("p", "div", "h2", "span"):
        if _STANDFIRST_CLASS.search(element.get("class") or ""):
            if text := collapse_whitespace(element.text_content()):
                return text
    return None


def host_names(url: str | None) -> set[str]:
    """The names a site's host suggests: "www.dailycourier.co.uk" -> dailycourier."""
    try:
        host = (urlsplit(url).hostname or "") if url else ""
    except ValueError:
        host = ""
    host = host.removeprefix("www.")
    labels = [label for label in host.split(".")[:-1] if len(label) >= 3]
    return {host, *labels} - {"", "com", "org", "net", "co"}
