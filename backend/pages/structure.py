"""Tell an article page from a page that only lists or gates articles.

A section front, a listing, search results, a directory index and a login wall
all have a title, and trafilatura often finds some text on them (teasers, a
sign-in prompt), so a headline and a body alone do not tell them from an
article. Their shape does: an article's body is its own run of paragraphs; a
listing's "body" is the text of many look-alike blocks, each with its link, and
most of a bare index's words sit in links. Page metadata (og:type, JSON-LD) is
left out: sites tag their fronts "article" too.

One pass over the tree, bottom-up, gathers each element's words, link words and
links, so the cost grows linearly with the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

# Elements whose text no reader sees.
_SKIP = frozenset({"script", "style", "template", "noscript", "svg", "head"})
# The titles web servers give the folder listings they generate.
_DIRECTORY_INDEX = re.compile(r"^\s*(?:index of|directory listing for)\s+/", re.I)
# Blocks that repeat, each with a link and words of its own, at least this
# often make a listing, when the body's paragraphs found in them hold at least
# TEASER_SHARE of its words: extraction took the teasers for the article.
MIN_TEASERS = 4
TEASER_SHARE = 0.5
# A body this short on a page with this share of its words in links is a page
# of links; a short body on a page of text is a short article, and is scored.
FEW_WORDS = 20
MAX_LINK_SHARE = 0.5
# A sign-in form beside fewer words than this is a login wall; a paywall that
# shows the first paragraphs above its form is scored as a short article.
WALL_WORDS = 60
# A server's folder listing ("Index of /reports") with fewer words than this.
INDEX_WORDS = 150


@dataclass(frozen=True)
class Structure:
    """The shape of a page: where its words are, and how many are links."""

    words: int  # visible words in the page's body
    link_words: int  # of those, words inside links
    links: int  # links (<a href>) in the page's body
    teasers: int  # the most look-alike sibling blocks, each with a link
    teaser_text: str  # those blocks' text, one block a line, without whitespace
    password: bool  # the page asks for a password (a login wall)

    @property
    def link_share(self) -> float:
        return self.link_words / self.words if self.words else 0.0


@dataclass
class _Counts:
    words: int = 0
    link_words: int = 0
    links: int = 0


def _words(text: str | None) -> int:
    return len(text.split()) if text else 0


def measure(tree: HtmlElement) -> Structure:
    """Measure a parsed page's shape; the tree is not changed."""
    body = tree.find("body")
    root = body if body is not None else tree
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    counts: dict[HtmlElement, _Counts] = {}
    password = False
    # Reversed pre-order visits every child before its parent.
    for el in reversed(elements):
        tag = el.tag
        if tag in _SKIP:
            counts[el] = _Counts()
            continue
        if tag == "input" and (el.get("type") or "").lower() == "password":
            password = True
        own = _Counts(words=_words(el.text))
        for child in el:
            own.words += _words(child.tail)
            if (sub := counts.get(child)) is None:
                continue  # a comment or processing instruction
            own.words += sub.words
            own.link_words += sub.link_words
            own.links += sub.links
        if tag == "a" and el.get("href") is not None:
            own.links += 1
            own.link_words = own.words
        counts[el] = own
    total = counts.get(root, _Counts())
    teasers = _teasers(elements, counts)
    return Structure(
        words=total.words,
        link_words=total.link_words,
        links=total.links,
        teasers=len(teasers),
        teaser_text="\n".join(_squeeze(el.text_content()) for el in teasers),
        password=password,
    )


def _teasers(
    elements: list[HtmlElement], counts: dict[HtmlElement, _Counts]
) -> list[HtmlElement]:
    """The largest group of look-alike siblings that each hold a link and text.

    Look-alike: the same tag and class under one parent, as a CMS's teaser
    template makes them. Bare links (a menu's <li><a>) do not count: a teaser
    has words beside its link.
    """
    best: list[HtmlElement] = []
    for parent in elements:
        groups: dict[tuple, list[HtmlElement]] = {}
        for child in parent:
            sub = counts.get(child)
            if sub is None or not sub.links or sub.words - sub.link_words < 5:
                continue
            groups.setdefault((child.tag, child.get("class")), []).append(child)
        for group in groups.values():
            if len(group) > len(best):
                best = group
    return best


def looks_like_article(
    structure: Structure, headline: str, body: str
) -> tuple[bool, str]:
    """Whether a page is an article; if not, what it looks like instead.

    ``body`` is the text extraction kept, paragraphs separated by blank lines.
    """
    body_words = len(body.split())
    if _DIRECTORY_INDEX.match(headline) and body_words < INDEX_WORDS:
        return False, f"a directory index of {structure.links} links"
    if structure.password and body_words < WALL_WORDS:
        return False, "a sign-in form"
    if (
        structure.teasers >= MIN_TEASERS
        and _words_in(body, structure.teaser_text) >= TEASER_SHARE * body_words
    ):
        return False, f"a list of {structure.teasers} article teasers"
    if body_words < FEW_WORDS and structure.link_share >= MAX_LINK_SHARE:
        return False, f"a page of {structure.links} links"
    return True, ""


def _squeeze(text: str) -> str:
    # Extraction spaces text its own way ("- " before a list item, a space
    # between blocks), so text is compared with no whitespace at all.
    return "".join(text.split())


def _words_in(body: str, teaser_text: str) -> int:
    """The words of the body's paragraphs that are found in the teasers' text."""
    return sum(
        len(paragraph.split())
        for paragraph in body.split("\n\n")
        if (squeezed := _squeeze(paragraph.removeprefix("- "))) in teaser_text
        and squeezed
    )
