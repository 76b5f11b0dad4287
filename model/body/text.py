"""Text tools for the headline-body check: sentences, words, stems and cue words.

Shared by the stance features (``model.body.features``) and the rule checks
(``model.body.rules``). Pure functions with no downloads: the sentence splitter
is a regular expression that knows common abbreviations, and the stemmer is a
few suffix rules, enough to match "denies" with "denied" and "confirms" with
"confirmed" ("lemma overlap" in the FNC-1 systems).
"""

from __future__ import annotations

import re
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# One typography fold for headline and body, so their words line up.
from model.headline.features import straighten_punctuation

# A body is cut to its first MAX_BODY_WORDS words before anything else, so a
# 2 MB page costs no more than a long article (documented for callers).
MAX_BODY_WORDS = 20_000
MAX_EVIDENCE_CHARS = 300

_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_CASED_WORD = re.compile(r"[A-Za-z0-9]+(?:['-][A-Za-z0-9]+)*")
_NON_SPACE = re.compile(r"\S+")
# A candidate sentence end: terminal punctuation with closing quotes or brackets
# and then space, or a line break (a paragraph or list item ends a sentence).
_BOUNDARY = re.compile(r"[.!?\u2026]+[\"')\]\u201d\u2019]*\s+|\s*\n\s*")
# Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st gen gov sen rep lt col capt sgt cmdr adm rev hon "
    "pres supt det insp vs etc inc ltd co corp jan feb mar apr jun jul aug sep "
    "sept oct nov dec mt ft u.s u.k u.n e.g i.e a.m p.m approx dept est fig"
    " no nos vol pp".split()
)
# "No. 1" is an abbreviation, "The answer is no." is not.
_ONLY_BEFORE_NUMBERS = frozenset({"no", "nos", "vol", "pp", "fig"})


# Closed-class words. scikit-learn's list minus the words in it that carry
# content in news ("fire", "bill", "cry", "system", "serious", ...).
STOP_WORDS = (
    ENGLISH_STOP_WORDS
    - frozenset(
        "bill fire cry system side serious interest call find found move show "
        "name part full front bottom top empty fill detail describe thick thin "
        "mill con de un".split()
    )
) | frozenset("said says say told according just like new year years".split())

# Cue words, read both as features and by the rule checks.
REFUTE = frozenset(
    "fake fakes faked fraud fraudulent hoax hoaxes hoaxed false falsely deny denies "
    "denied denying denial nope doubt doubts doubted doubtful bogus debunk debunks "
    "debunked debunking prank pranks pranked retract retracts retracted retraction "
    "myth untrue fabricated fabrication misleading satire satirical parody dismiss "
    "dismisses dismissed refute refutes refuted reject rejects rejected scam "
    "baseless unfounded photoshopped despite".split()
)
NEGATION = frozenset(
    "not no never nothing none nobody nor neither cannot without nowhere".split()
)
HEDGE = frozenset(
    "reportedly allegedly alleged alleges claims claim claimed claiming rumour "
    "rumours rumor rumors rumoured rumored unconfirmed unverified may might could "
    "possibly possible apparently purportedly supposedly speculation speculated "
    "speculate appears appear seems seem suggests suggest suggested believed "
    "unclear uncertain perhaps report reports reported if whether".split()
)
SUPPORT = frozenset(
    "confirmed confirms confirm confirmation announced announces officially "
    "proof proves proven revealed reveals verified admits admitted declared "
    "certainly definitely indeed".split()
)
# Phrases that deny or refute, matched on the lowercased, space-joined words.
DENIAL_PHRASES = (
    "no evidence",
    "not true",
    "no plans",
    "no plan",
    "ruled out",
    "rules out",
    "rule out",
    "distanced themselves",
    "distanced himself",
    "distanced herself",
    "no truth",
    "no basis",
    "there is no",
    "there was no",
    "no proof",
    "not real",
    "turned out to be",
    "no intention",
    "not been confirmed",
)
CUES = ("refute", "negation", "hedge", "support", "denial")


def truncate_words(text: str, max_words: int = MAX_BODY_WORDS) -> str:
    """The text up to and including its ``max_words``-th word."""
    for i, match in enumerate(_NON_SPACE.finditer(text), start=1):
        if i == max_words:
            return text[: match.end()]
    return text


def _ends_sentence(text: str, start: int, match: re.Match) -> bool:
    if "\n" in match.group():
        return True
    following = text[match.end() : match.end() + 1]
    if following.islower():
        return False
    if text[match.start()] != ".":
        return True
    before = text[start : match.start()].rsplit(None, 1)
    word = before[-1].lstrip("\"'([").lower() if before else ""
    if len(word) == 1 and word.isalpha():  # an initial: "J. K. Rowling"
        return False
    if word in _ONLY_BEFORE_NUMBERS:
        return not following.isdigit()
    return word not in _ABBREVIATIONS


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, with whitespace collapsed inside each."""
    text = straighten_punctuation(text)
    sentences, start = [], 0
    for match in _BOUNDARY.finditer(text):
        if not _ends_sentence(text, start, match):
            continue
        sentence = " ".join(text[start : match.end()].split())
        if sentence:
            sentences.append(sentence)
        start = match.end()
    tail = " ".join(text[start:].split())
    if tail:
        sentences.append(tail)
    return sentences


def words(text: str) -> list[str]:
    """Lowercased word tokens, keeping inner apostrophes and hyphens ("doesn't")."""
    return _WORD.findall(straighten_punctuation(text).lower())


def cased_words(text: str) -> list[str]:
    """Word tokens with their case, for telling names from other words."""
    return _CASED_WORD.findall(straighten_punctuation(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix-stripping stem: denies, denied, denying -> deni/deny/deny."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement in (
        ("ies", "y"),
        ("ied", "y"),
        ("sses", "ss"),
        ("ness", ""),
        ("ments", ""),
        ("ment", ""),
        ("ings", ""),
        ("ing", ""),
        ("edly", ""),
        ("ed", ""),
        ("ly", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word[-2] in "siu":  # "glass", "crisis", "virus"
                break
            word = word[: len(word) - len(suffix)] + replacement
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "stopped" -> "stopp" -> "stop"
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # "hoped", "hope" and "hopes" meet at "hop"
    return word


def is_negation(word: str) -> bool:
    return word in NEGATION or word.endswith("n't")


def cue_counts(tokens: list[str]) -> tuple[int, int, int, int, int]:
    """Counts of refuting, negating, hedging and supporting words, and denials."""
    refute = negation = hedge = support = 0
    for word in tokens:
        if word in REFUTE:
            refute += 1
        if is_negation(word):
            negation += 1
        if word in HEDGE:
            hedge += 1
        if word in SUPPORT:
            support += 1
    joined = " " + " ".join(tokens) + " "
    denial = sum(joined.count(f" {phrase} ") for phrase in DENIAL_PHRASES)
    return refute, negation, hedge, support, denial


def trim(sentence: str, limit: int = MAX_EVIDENCE_CHARS) -> str:
    """A sentence cut at a word boundary to at most ``limit`` characters."""
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "\u2026"
