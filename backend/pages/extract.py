"""Find a page's headline, standfirst and body text.

Pure: no network, and the page is already decoded text (decoding is
:mod:`backend.pages.fetch`'s job). The page is parsed once, with lxml. trafilatura
takes that tree for the body (and prunes a copy of it), and the headline and
metadata lookups walk the same tree; BeautifulSoup would only add a second
parse, or a conversion, for nothing lxml does not already do here.

Headlines are read as text, never as markup: a headline that shows
``<img src=x onerror=alert(1)>`` on the page comes out as exactly that string.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from backend.config import MAX_BODY_CHARS
from backend.errors import NoHeadline
from backend.pages.metadata import (
    Metadata,
    clean,
    collapse_whitespace,
    compact,
    json_ld_headline,
    read_metadata,
)
from backend.pages.structure import Structure, measure

# How a title names its site: "Headline | Site", "Site: Headline".
SEPARATORS = (" | ", " - ", " – ", " — ", ": ", " · ", " :: ", " » ")
# Words that follow a site's name in a title: "BBC News", "Guardian US".
_SITE_SUFFIXES = ("", "news", "online", "com", "couk", "uk", "us", "digital")
_LOGO = re.compile(r"logo|brand|masthead|site-?(?:title|name)", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_INVISIBLE_TAGS = frozenset({"script", "style", "template", "noscript"})
# Elements read at most: real pages have a few thousand; beyond this a page is
# cut short so extraction cost stays bounded (trafilatura is linear per node,
# but with a large constant).
MAX_NODES = 25_000
# trafilatura's fallback extractors (readability, jusText) help on pages where its
# own finds little, but jusText's neighbour search is quadratic in paragraphs:
# they run only when the fast pass found fewer words than this, on a page of at
# most FALLBACK_MAX_NODES elements.
FALLBACK_BELOW_WORDS = 100
FALLBACK_MAX_NODES = 3_000


@dataclass(frozen=True)
class Article:
    """What a page says: its headline, where that came from, and its text."""

    headline: str
    headline_source: str  # "h1", "json-ld", "og:title", "twitter:title" or "title"
    standfirst: str | None
    body: str  # plain text, paragraphs separated by blank lines
    url: str | None  # canonical link, og:url or the URL given
    site_name: str | None
    language: str | None = None  # what <html lang> declares; a hint only
    structure: Structure | None = None  # the page's shape; None for a headline


def extract(html: str, url: str | None = None) -> Article:
    """Extract the article from a page's HTML; ``url`` is where it was fetched."""
    return extract_tree(parse(html), url)


def extract_tree(tree: HtmlElement, url: str | None = None) -> Article:
    """Extract the article from a page already parsed by :func:`parse`.

    A tree of more than MAX_NODES elements is cut short in place.
    """
    nodes = _bound(tree)
    metadata = read_metadata(tree, url)
    source, headline = _headline(tree, metadata)
    return Article(
        headline=headline,
        headline_source=source,
        standfirst=metadata.standfirst,
        body=_body(tree, metadata.url, headline, nodes),
        url=metadata.url,
        site_name=metadata.site_name,
        language=collapse_whitespace(tree.get("lang") or tree.get("xml:lang") or "")
        or None,
        structure=measure(tree),
    )


def _bound(tree: HtmlElement) -> int:
    """Cut a page after its first MAX_NODES elements; return how many it keeps."""
    count = 0
    for element in tree.iter():
        count += 1
        if count > MAX_NODES:
            _cut_from(element)
            return MAX_NODES
    return count


def _cut_from(element: HtmlElement) -> None:
    """Drop an element and everything after it in document order."""
    # A few slice deletions, however wide the page: the element with its later
    # siblings, then each ancestor's later siblings.
    parent = element.getparent()
    del parent[parent.index(element) :]
    for ancestor in parent.iterancestors():
        del ancestor[ancestor.index(parent) + 1 :]
        parent = ancestor


def parse(html: str) -> HtmlElement:
    """Parse a page's decoded text once, for every lookup that follows."""
    if not isinstance(html, str):
        raise TypeError(f"extract() takes decoded text, not {type(html).__name__}")
    # Handing lxml UTF-8 and saying so makes it ignore any <meta charset> or XML
    # declaration in the text, which described bytes this text no longer is.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        return lxml.html.document_fromstring(
            html.encode("utf-8", "replace"), parser=parser
        )
    except (etree.LxmlError, ValueError) as err:
        raise NoHeadline("The page is empty.") from err


# Headline sources


def _h1(tree: HtmlElement, metadata: Metadata) -> str | None:
    """The article's visible <h1>, or else the page's first that is no logo."""
    h1s = [h1 for h1 in tree.iter("h1") if _visible(h1)]
    in_article = [h1 for h1 in h1s if _in_article(h1)]
    for h1 in in_article + h1s:
        if (text := collapse_whitespace(_text(h1))) and not _is_logo(
            h1, text, metadata
        ):
            return text
    return None


def _json_ld(tree: HtmlElement, metadata: Metadata) -> str | None:
    return json_ld_headline(metadata)


def _og_title(tree: HtmlElement, metadata: Metadata) -> str | None:
    return clean(metadata.tags.get("og:title"))


def _twitter_title(tree: HtmlElement, metadata: Metadata) -> str | None:
    return clean(metadata.tags.get("twitter:title"))


def _title(tree: HtmlElement, metadata: Metadata) -> str | None:
    for title in tree.iter("title"):
        # An inline <svg> may carry a <title> of its own.
        if not any(parent.tag == "svg" for parent in title.iterancestors()):
            return collapse_whitespace(title.text_content()) or None
    return None


HeadlineSource = Callable[[HtmlElement, Metadata], str | None]
HEADLINE_SOURCES: tuple[tuple[str, HeadlineSource], ...] = (
    # What a reader sees as the headline, so what the scorer should judge.
    ("h1", _h1),
    # The headline the publisher gives search engines; exact, seldom suffixed.
    ("json-ld", _json_ld),
    # The link-preview title, which often carries the site's name.
    ("og:title", _og_title),
    # Twitter's card title, for pages with no Open Graph tags.
    ("twitter:title", _twitter_title),
    # The tab title: last, as it usually reads "Headline | Section | Site".
    ("title", _title),
)


def _headline(tree: HtmlElement, metadata: Metadata) -> tuple[str, str]:
    found = [
        (name, text)
        for name, source in HEADLINE_SOURCES
        if (text := source(tree, metadata))
    ]
    h1s = {collapse_whitespace(_text(h1)): h1 for h1 in tree.iter("h1") if _visible(h1)}
    # A site's name set in a logo <h1> names the site in its titles too.
    site_names = metadata.site_names | {
        compact(text)
        for text, h1 in h1s.items()
        if text and _is_logo(h1, text, metadata)
    }
    # A title's "Headline | X" loses " | X" when another source, or any <h1>
    # (even a visually hidden one), says "Headline".
    agreeing = {compact(_text(h1)) for h1 in tree.iter("h1")}
    agreeing |= {compact(text) for _, text in found}
    agreeing.discard("")
    for name, text in found:
        headline = strip_site_name(text, site_names, agreeing - {compact(text)})
        if headline and not _is_site(headline, site_names):
            return name, headline
    raise NoHeadline()


def strip_site_name(
    text: str, site_names: frozenset[str], agreeing: set[str] = frozenset()
) -> str:
    """Remove a site's name before or after a title: "Headline | Site" -> "Headline".

    A trailing segment also goes when the rest is in ``agreeing`` (compact()ed).
    """
    for separator in SEPARATORS:
        head, found, tail = text.rpartition(separator)
        if found and head and (_is_site(tail, site_names) or compact(head) in agreeing):
            return strip_site_name(head, site_names, agreeing)
        head, found, tail = text.partition(separator)
        if found and tail and _is_site(head, site_names):
            return strip_site_name(tail, site_names, agreeing)
    return text


def _is_site(segment: str, site_names: frozenset[str]) -> bool:
    name = compact(segment)
    return any(
        name == site + suffix for site in site_names for suffix in _SITE_SUFFIXES
    )


# Elements


def _text(element: HtmlElement) -> str:
    """The text a reader sees in an element: <br> is a space, hidden parts go."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "br":
            parts.append(" ")
        elif isinstance(child.tag, str) and not _hidden(child):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _hidden(element: HtmlElement) -> bool:
    return (
        element.tag in _INVISIBLE_TAGS
        or element.get("hidden") is not None
        or (element.get("aria-hidden") or "").strip().lower() == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
    )


def _visible(element: HtmlElement) -> bool:
    return not any(_hidden(node) for node in (element, *element.iterancestors()))


def _in_article(element: HtmlElement) -> bool:
    return any(
        parent.tag in ("article", "main") or parent.get("role") == "main"
        for parent in element.iterancestors()
    )


def _is_logo(h1: HtmlElement, text: str, metadata: Metadata) -> bool:
    """Tell a site's logo or name, set in an <h1>, from a headline."""
    if _is_site(text, metadata.site_names):
        return True
    for element in (h1, *h1.iterancestors()):
        if element.tag in ("article", "main", "body"):
            break
        if _LOGO.search(f"{element.get('class', '')} {element.get('id', '')}"):
            return True
    # A heading that is one link to the front page.
    links = h1.findall(".//a[@href]")
    href = links[0].get("href").strip() if len(links) == 1 else ""
    try:
        path = urlsplit(href).path
    except ValueError:
        return False
    return bool(href) and not href.startswith("#") and path in ("", "/")


# Body


def _trafilatura(tree: HtmlElement, url: str | None, fast: bool) -> str:
    return (
        trafilatura.extract(
            tree,
            url=url,
            fast=fast,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_links=False,
            include_images=False,
            output_format="txt",
        )
        or ""
    )


def _body(tree: HtmlElement, url: str | None, headline: str, nodes: int) -> str:
    # trafilatura copies the tree it is given, so ours stays whole for the rest.
    text = _trafilatura(tree, url, fast=True)
    if len(text.split()) < FALLBACK_BELOW_WORDS and nodes <= FALLBACK_MAX_NODES:
        text = _trafilatura(tree, url, fast=False) or text
    # trafilatura keeps the <h1>; the body is what should back the headline.
    paragraphs = (collapse_whitespace(line) for line in text.splitlines())
    key = compact(headline)
    body = "\n\n".join(line for line in paragraphs if line and compact(line) != key)
    return body[:MAX_BODY_CHARS]
