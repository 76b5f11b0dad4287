"""Tell which language an article, or a headline alone, is written in.

The models read English only; an article in another language gets a clear
refusal rather than an English model's score. py3langid identifies the
language: it ships its model in the wheel, loads in about two seconds and
answers in under a millisecond a headline, where lingua, more accurate on short
text, took 51 s and 1.25 GB to load here (README, "Pages the models cannot
judge").

A page is judged on its text (headline and the start of its body). Its
``<html lang>`` is a hint only: many English pages declare another language, so
it counts only when the text is too short to be sure and the detector's own
first guess agrees with it.
A headline alone is short and easy to misread, so it is refused only when its
letters are mostly of a script English is not written in, or when the detector
all but rules English out and the headline has none of English's commonest words;
benchmarks/languages.py counts false refusals over every English set we have.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from backend.errors import UnsupportedLanguage

# Detector labels an English text may get: "pcm" (Nigerian Pidgin, English-based)
# is what py3langid often says of English news about Nigeria or Ghana, and
# "zxx" is text with no language in it (numbers, names).
SUPPORTED = frozenset({"en", "pcm", "zxx"})
# How much of a body the detector reads: enough to be sure, bounded in cost.
MAX_CHARS = 600
# Text with at least this many words is long enough to trust the detector.
LONG_TEXT_WORDS = 25
# A long text is in another language when the detector's first guess is not
# English and it gives English less than this. (Not the first guess's own
# probability: close languages, Indonesian and Malay, Danish and Norwegian,
# share it between them.)
LONG_TEXT_ENGLISH = 0.1
# A short text (a headline) is taken to be in another language when the detector
# gives English less than this probability. The English headlines it misreads
# (names, places: "Kimi Räikkönen wins 2007 Belgian Grand Prix") keep 0.003 or
# more; headlines in other languages get 0.00003 or less.
SHORT_TEXT_ENGLISH = 1e-4
# A short text needs this many words before the detector's guess counts at all.
SHORT_TEXT_MIN_WORDS = 4
# The page's declared language confirms a short text's first guess at this level.
DECLARED_CONFIDENCE = 0.5
# English's commonest words that other languages written in Latin letters do
# not share ("a", "in", "is", "no", "die" are left out): a headline holding one
# is never refused on the detector's word alone.
ENGLISH_WORDS = frozenset(
    "the of to and for with at by from this that these those you your he she they "
    "we his her their our my what why how who when where which will would can "
    "could should not be been has have had after about over into than more most "
    "new says said just".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Language:
    """A detected language: ISO 639 code, English name, detector's probability."""

    code: str
    name: str
    confidence: float
    english: float  # the probability the detector gives English


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def load() -> None:
    """Load the detector's model now rather than on the first request."""
    _identifier()


def language_name(code: str) -> str:
    """The English name of a language code: "ru" -> "Russian"."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        return code


def detect(text: str) -> Language:
    """The language the detector finds most likely for ``text``."""
    ranked = _identifier().rank(text[:MAX_CHARS])
    code, confidence = ranked[0]
    english = next((p for c, p in ranked if c == "en"), 0.0)
    return Language(code, language_name(code), float(confidence), float(english))


def _latin_share(text: str) -> float:
    """The share of a text's letters that are Latin (None-safe: 1.0 if none)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(unicodedata.name(c, "").startswith("LATIN") for c in letters)
    return latin / len(letters)


def headline_language(headline: str) -> Language | None:
    """A headline's language when it is surely not English; else None."""
    words = _WORD.findall(headline)
    if not words:
        return None
    found = detect(headline)
    if found.code in SUPPORTED:
        return None
    # Letters mostly outside the Latin script: no English headline looks so.
    if _latin_share(headline) < 0.5:
        return found
    if {word.casefold() for word in words} & ENGLISH_WORDS:
        return None
    if len(words) >= SHORT_TEXT_MIN_WORDS and found.english < SHORT_TEXT_ENGLISH:
        return found
    return None


def article_language(
    headline: str, body: str, declared: str | None = None
) -> Language | None:
    """An article's language when it is not English; else None.

    ``declared`` is the page's ``<html lang>``, trusted only where the text
    agrees with it.
    """
    text = f"{headline}\n{body}" if body else headline
    if len(_WORD.findall(text[:MAX_CHARS])) >= LONG_TEXT_WORDS:
        found = detect(text)
        if found.code in SUPPORTED:
            return None
        return found if found.english < LONG_TEXT_ENGLISH else None
    if found := headline_language(text):
        return found
    primary = (declared or "").strip().lower().replace("_", "-").split("-")[0]
    if primary and primary not in SUPPORTED:
        found = detect(text)
        if found.code == primary and found.confidence >= DECLARED_CONFIDENCE:
            return found
    return None


def check_article(headline: str, body: str, declared: str | None = None) -> None:
    """Raise UnsupportedLanguage if the article is not in a language we score."""
    if found := article_language(headline, body, declared):
        raise UnsupportedLanguage(found.code, found.name)
