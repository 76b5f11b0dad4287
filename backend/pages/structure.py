"""Tell an article page from a page that only lists or gates articles.

A section front, a listing, search results, a directory index and a login wall
all have a title, and trafilatura often finds some text on them (teasers, a
sign-in prompt), so a headline and a body alone do not tell them from an
article. Their shape does: an article's body is its own run of paragraphs; a
listing's "body" is the text of many look-alike blocks, each with its link, and
most of a bare index's words sit in links. Page metadata (og:type, JSON-LD) is
left out: sites tag their fronts "article" too.

libxml2 gathers the page's text and links (XPath); Python looks only at
elements with four or more children, for groups of teasers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

# Elements whose text no reader sees.
_SKIP = frozenset({"script", "style", "template", "noscript", "svg", "head"})
# The titles web servers give the folder listings they generate.
_DIRECTORY_INDEX = re.compile(r"^\s*(?:index of|directory listing for)\s+/", re.I)
# Blocks that repeat, each with a link and words of its own, at least this
# often make a listing, when the body's paragraphs found in them hold at least
# TEASER_SHARE of its words: extraction took the teasers for the article.
MIN_TEASERS = 4
# A teaser links to its story, perhaps to its section and author too; a block
# with more links than this is a section of the page, not a teaser.
MAX_TEASER_LINKS = 5
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


# XPath runs in libxml2, so the page's text and links are gathered in C.
# Text a reader sees: not the contents of scripts, styles and the like.
_TEXT = etree.XPath(
    "descendant-or-self::text()[not(parent::script or parent::style"
    " or parent::template or parent::noscript)]",
    smart_strings=False,
)
_LINK_TEXT = etree.XPath(".//a[@href]//text()", smart_strings=False)
_LINKS = etree.XPath("count(.//a[@href])")
_PASSWORD = etree.XPath(
    "boolean(.//input[translate(@type, 'PASWORD', 'pasword') = 'password'])"
)
_HEADING = etree.XPath(
    "boolean(.//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5"
    " or self::h6])"
)
# Paragraphs and inline elements: an article's text, never a teaser block.
_INLINE = frozenset({"p", "a", "span", "em", "strong", "b", "i", "br", "img"})
# Elements with enough children to hold a group of teasers.
_PARENTS = etree.XPath(f"descendant-or-self::*[count(*) >= {MIN_TEASERS}]")


def _words(texts: list[str]) -> int:
    return len(" ".join(texts).split())


def _visible_words(element: HtmlElement) -> int:
    return _words(_TEXT(element))


def measure(tree: HtmlElement) -> Structure:
    """Measure a parsed page's shape; the tree is not changed."""
    body = tree.find("body")
    root = body if body is not None else tree
    teasers = _teasers(root)
    return Structure(
        words=_visible_words(root),
        link_words=_words(_LINK_TEXT(root)),
        links=int(_LINKS(root)),
        teasers=len(teasers),
        teaser_text="\n".join(_squeeze(el.text_content()) for el in teasers),
        password=bool(_PASSWORD(root)),
    )


def _is_teaser(element: HtmlElement) -> bool:
    """A block led by a link to a story, with words of its own beside it.

    Led: the block has a heading, or opens with a link of three words or more.
    A paragraph of an article that holds a link, even opening with one
    ("<a>Reuters</a> reported..."), is not a teaser.
    """
    # Cheap tests first: most look-alike siblings are menu items (too few
    # words) or whole sections (too many links).
    if not 1 <= _LINKS(element) <= MAX_TEASER_LINKS:
        return False
    if _visible_words(element) - _words(_LINK_TEXT(element)) < 5:
        return False
    return bool(_HEADING(element)) or _opens_with_link(element)


def _opens_with_link(block: HtmlElement) -> bool:
    """Whether a block's first words are a link's, three words or more."""
    walk = etree.iterwalk(block, events=("start", "end"))
    for event, node in walk:
        if event == "end":
            if node is not block and (node.tail or "").strip():
                return False
            continue
        if not isinstance(node.tag, str) or node.tag in _SKIP:
            walk.skip_subtree()
        elif node.tag == "a" and node.get("href") is not None:
            return _words(_TEXT(node)) >= 3
        elif (node.text or "").strip():
            return False
    return False


def _teasers(root: HtmlElement) -> list[HtmlElement]:
    """The largest group of look-alike siblings that each hold a link and text.

    Look-alike: the same tag and class under one parent, as a CMS's teaser
    template makes them. Bare links (a menu's <li><a>) do not count: a teaser
    has words beside its link.
    """
    best: list[HtmlElement] = []
    for parent in _PARENTS(root):
        if parent.tag in _SKIP:
            continue
        groups: dict[tuple, list[HtmlElement]] = {}
        for child in parent:
            if isinstance(child.tag, str):
                groups.setdefault((child.tag, child.get("class")), []).append(child)
        for (tag, _), group in groups.items():
            # Paragraphs and inline elements are an article's text, not blocks.
            if tag not in _INLINE and len(group) > max(len(best), MIN_TEASERS - 1):
                teasers = [child for child in group if _is_teaser(child)]
                if len(teasers) > len(best):
                    best = teasers
    return best


def looks_like_article(
    structure: Structure, headline: str, body: str, *, by_word_count: bool = True
) -> tuple[bool, str]:
    """Whether a page is an article; if not, what it looks like instead.

    ``body`` is the text extraction kept, paragraphs separated by blank lines.
    ``by_word_count=False`` leaves out the test that counts words alone, which
    misjudges languages written without spaces (Japanese, Chinese).
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
    if (
        by_word_count
        and body_words < FEW_WORDS
        and structure.link_share >= MAX_LINK_SHARE
    ):
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
