"""Headline features that capture framing, not topic or house style.

Used at training and at serving time, so a saved pipeline loads anywhere the
package is installed. Two views of a headline:

- ``masked_ngrams``: the headline as a stream where closed-class and framing words
  (see ``model.headline.lexicons``) stay as themselves and every other word
  collapses into a placeholder. "17 Photos That Will Make You Cry" and "Is Russia
  officially entering war with NATO?" keep their shape ("<num> photos that will
  make you cry", "is _ officially _ with _ ?") while the topic disappears.
- ``FramingFeatures``: a few named signals (question form, curiosity gap, listicle,
  certainty, alarm, ...) in [0, 1], each of which becomes a reason code.

Case never reaches the model except as emphasis (a framing word in capitals), so
Title Case and sentence case of one headline look the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from model.headline import cues, wordlist
from model.headline import lexicons as lx

# One character for another, so offsets in the normalised text are offsets in
# the original headline.
_SAME_LENGTH = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"}
)
_TOKEN = re.compile(
    r"\d[\d,.]*\d%?|\d%?|\w+(?:['-]\w+)*|\.\.\.|\u2026|[?!]+|[:;\"()\u2014,]"
)
_KEPT_PUNCT = {":", ";", '"', "(", ")", "\u2014", ","}
_NUMBER = re.compile(r"^\d[\d,.]*%?$")
# Words in capitals that are emphasis, not acronyms.
_SHORT_EMPHASIS = frozenset("why you omg wtf not all now yes new big war".split())
COMMON_WORDS = wordlist.load()

# Words that reach the model only through the named cues of model.headline.cues.
_CUE_WORDS = cues.LOADED | cues.FEAR | cues.DEBUNK | cues.ATTRIBUTION

BOS, EOS, CONTENT, NUM = "<s>", "</s>", "_", "<num>"
# Words and marks whose meaning is fixed by design (see model.headline.classifier): the
# n-gram views skip them, so they reach the model only through named signals.
SIGNAL = "<signal>"


@dataclass(frozen=True)
class Token:
    """A token of the headline with its span and its masked form."""

    text: str
    start: int
    end: int
    masked: str  # what the n-gram view sees
    lower: str  # case folded, acronyms kept (see fold)


def straighten_punctuation(text: str) -> str:
    """Straighten quotes and dashes without changing any offset."""
    return text.translate(_SAME_LENGTH)


def fold(word: str) -> str:
    """Lowercase a word, except an acronym ("US", "NATO"), which keeps its capitals.

    A word in capitals is emphasis ("NEVER", "UNMASKED") when its lowercase form
    is an ordinary word; short ones ("US", "WHO", "IT") only when they are clearly
    not acronyms ("YOU", "WHY").
    """
    if len(word) >= 2 and word.isalpha() and word.isupper():
        lower = word.lower()
        if lower in cues.ACRONYMS:
            emphasis = False
        elif len(word) >= 4:
            emphasis = (
                lower in lx.KEPT_WORDS
                or lower in COMMON_WORDS
                or lower in _CUE_WORDS
                or len(word) >= 7  # acronyms this long are rare and listed
            )
        else:
            emphasis = lower in _SHORT_EMPHASIS
        if not emphasis:
            return word
    return word.lower()


def _mask(word: str) -> str:
    lower = fold(word)
    if _NUMBER.match(lower) or (lower in lx.NUMBER_WORDS and lower != "one"):
        return NUM
    if lower in lx.SIGNAL_WORDS or lower in _CUE_WORDS or lower[0] in "?!":
        return SIGNAL
    if lower in lx.KEPT_WORDS:
        return lower
    if lower.endswith("'s") and lower[:-2] in lx.KEPT_WORDS:
        return lower
    if lower in ("...", "\u2026"):
        return "..."
    if lower in _KEPT_PUNCT:
        return lower
    return CONTENT


@lru_cache(maxsize=65536)
def _forms(word: str) -> tuple[str, str]:
    """A word's masked and folded forms, worked out once per distinct word."""
    return _mask(word), fold(word)


@lru_cache(maxsize=4096)
def tokenize(headline: str) -> tuple[Token, ...]:
    """Split a headline into tokens that keep their character spans."""
    tokens = []
    for m in _TOKEN.finditer(straighten_punctuation(headline)):
        start, end = m.span()
        tokens.append(Token(headline[start:end], start, end, *_forms(m.group())))
    return tuple(tokens)


def masked_stream(tokens: tuple[Token, ...]) -> list[tuple[str, tuple[int, ...]]]:
    """The masked view: runs of content words collapse; each item keeps its tokens."""
    stream: list[tuple[str, tuple[int, ...]]] = [(BOS, ())]
    for i, tok in enumerate(tokens):
        if tok.masked == SIGNAL:
            continue
        if tok.masked == CONTENT and stream[-1][0] == CONTENT:
            stream[-1] = (CONTENT, stream[-1][1] + (i,))
        else:
            stream.append((tok.masked, (i,)))
    stream.append((EOS, ()))
    return stream


def shape_grams(tokens: tuple[Token, ...], n_max: int = 3):
    """The shape view's 1- to 3-grams over the masked stream, with where each starts.

    Returns ``(units, grams)``: ``units[k]`` are the tokens behind the stream's
    k-th item that carry weight (masked topic words carry none of their own),
    and each gram is ``(text, k, n)``, covering units k to k + n - 1.
    """
    stream = masked_stream(tokens)
    words = [w for w, _ in stream]
    units = [tuple(i for i in idx if tokens[i].masked != CONTENT) for _, idx in stream]
    # Alone, the start, the end and a run of topic words carry no information.
    grams = [(w, k, 1) for k, w in enumerate(words) if w not in (BOS, EOS, CONTENT)]
    for n in range(2, n_max + 1):
        grams.extend(
            (" ".join(words[k : k + n]), k, n) for k in range(len(words) - n + 1)
        )
    return units, grams


def masked_ngrams(headline: str) -> list[str]:
    """Analyzer for the vectorizer: 1- to 3-grams of the masked stream."""
    return [gram for gram, _, _ in shape_grams(tokenize(headline))[1]]


def word_grams(tokens: tuple[Token, ...], n_max: int = 2):
    """The words view's 1- and 2-grams of lowercased words, as ``shape_grams``."""
    units, words = [], []
    for i, t in enumerate(tokens):
        if t.text[0].isalnum() and t.masked != SIGNAL:
            units.append((i,))
            words.append(t.lower)
    grams = [(w, k, 1) for k, w in enumerate(words)]
    for n in range(2, n_max + 1):
        grams.extend(
            (" ".join(words[k : k + n]), k, n) for k in range(len(words) - n + 1)
        )
    return units, grams


def word_ngrams(headline: str) -> list[str]:
    """Analyzer for the vectorizer: lowercased word 1- and 2-grams."""
    return [gram for gram, _, _ in word_grams(tokenize(headline))[1]]


@lru_cache(maxsize=65536)
def char_grams(word: str, n_min: int = 2, n_max: int = 5) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple(
        padded[j : j + n]
        for n in range(n_min, n_max + 1)
        for j in range(len(padded) - n + 1)
    )


def char_words(tokens: tuple[Token, ...]) -> list[int]:
    """The tokens the character view reads: words, not framing signals."""
    return [
        i for i, t in enumerate(tokens) if t.text[0].isalnum() and t.masked != SIGNAL
    ]


def char_ngrams(headline: str) -> list[str]:
    """Analyzer for the vectorizer: lowercased character 2- to 5-grams within words."""
    tokens = tokenize(headline)
    return [gram for i in char_words(tokens) for gram in char_grams(tokens[i].lower)]


# Each n-gram view, by pipeline step name: its analyzer.
NGRAM_VIEWS = {"shape": masked_ngrams, "words": word_ngrams, "chars": char_ngrams}


# -- named framing signals --------------------------------------------------------


def _by_first_word(phrases) -> dict[str, list[list[str]]]:
    index: dict[str, list[list[str]]] = {}
    for phrase in phrases:
        parts = phrase.split()
        index.setdefault(parts[0], []).append(parts)
    return index


_CURIOSITY_INDEX = _by_first_word(lx.CURIOSITY_PHRASES)


def _phrase_spans(tokens, index) -> list[int]:
    words = [t.lower for t in tokens]
    hits: set[int] = set()
    for i, word in enumerate(words):
        for parts in index.get(word, ()):
            if words[i : i + len(parts)] == parts:
                hits.update(range(i, i + len(parts)))
    return sorted(hits)


def _clause_starts(tokens) -> list[int]:
    """Indices where a clause opens: the start, and after ':' '?' '!' '-' or '.'."""
    starts = [0] if tokens else []
    for i, tok in enumerate(tokens[:-1]):
        if tok.masked in (":", "\u2014", ";") or tok.text[0] in "?!":
            starts.append(i + 1)
    return starts


def _is_caps_emphasis(tok: Token) -> bool:
    # A framing word in capitals ("THIS", "NEVER"); fold() keeps acronyms as such.
    return tok.text.isupper() and len(tok.text) >= 2 and tok.lower != tok.text


def _signal_question(tokens):
    return [i for i, t in enumerate(tokens) if t.text.startswith("?")]


def _asks(tokens) -> bool:
    return any(t.text.startswith("?") for t in tokens)


def _signal_yes_no_question(tokens):
    if not _asks(tokens):
        return []
    return [i for i in _clause_starts(tokens) if tokens[i].lower in lx.AUXILIARIES]


def _signal_wh_question(tokens):
    if not _asks(tokens):
        return []
    return [i for i in _clause_starts(tokens) if tokens[i].lower in lx.WH_WORDS]


def _signal_wh_opening(tokens):
    # "Why You Should...", "What Happens When..." without a question mark.
    if not tokens or _asks(tokens):
        return []
    return [0] if tokens[0].lower in lx.WH_WORDS else []


def _signal_forward_reference(tokens):
    if not tokens:
        return []
    hits = [0] if tokens[0].lower in lx.FORWARD_REFERENCE else []
    return hits + _phrase_spans(tokens, _CURIOSITY_INDEX)


def _words_in(lexicon):
    def signal(tokens):
        return [i for i, t in enumerate(tokens) if t.lower in lexicon]

    signal.lexicon = lexicon  # lets signal_hits look every word up once
    return signal


def _signal_listicle(tokens):
    # A number followed closely by a generic plural noun: "17 Things", "Nine Ways".
    hits = []
    for i, tok in enumerate(tokens):
        if tok.masked == NUM:
            for j in range(i + 1, min(i + 4, len(tokens))):
                if tokens[j].lower in lx.LISTICLE_NOUNS:
                    hits.extend((i, j))
                    break
    return hits


# "Hundreds flee floods" opens with a quantity, not with a count to click through.
_VAGUE_QUANTITIES = frozenset("hundreds thousands millions dozens".split())


def _signal_starts_with_number(tokens):
    if not tokens or tokens[0].masked != NUM or tokens[0].lower in _VAGUE_QUANTITIES:
        return []
    return [0]


def _signal_exclamation(tokens):
    return [i for i, t in enumerate(tokens) if t.text.startswith("!")]


def _in_capitals(tok: Token) -> bool:
    return len(tok.text) >= 2 and tok.text.isupper() and tok.text[0].isalpha()


def _signal_caps(tokens):
    # Words in capitals that are emphasis, and the capitals they run with:
    # in "fights off GRIZZLY BEAR" both are shouted, though "GRIZZLY" alone
    # could be an acronym. Title Case never fires: it has no word in capitals.
    hits = {i for i, t in enumerate(tokens) if _is_caps_emphasis(t)}
    for i in sorted(hits):
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(tokens) and _in_capitals(tokens[j]) and j not in hits:
                if tokens[j].lower in cues.ACRONYMS:
                    break
                hits.add(j)
                j += step
    return sorted(hits)


def _signal_label(tokens):
    # "EXCLUSIVE: ...", "Breaking - ...", "WATCH Trump ...": a selling label up front.
    if not tokens:
        return []
    for i, tok in enumerate(tokens[:4]):
        if tok.masked in (":", "\u2014") or tok.text in ("|", "-"):
            head = [j for j in range(i) if tokens[j].lower in cues.LABELS]
            return head if head else []
    if tokens[0].lower in cues.LABELS and _in_capitals(tokens[0]):
        return [0]
    return []


# A word or two in quotes, inside the headline: 'suicided', "experts".
_SCARE_QUOTE = re.compile(
    r"(?<![\w'\"])(['\"])(\w+(?:[-']\w+)*(?: \w+(?:[-']\w+)*)?)\1(?![\w'\"])"
)


def _signal_scare_quotes(tokens, text):
    hits = []
    for m in _SCARE_QUOTE.finditer(straighten_punctuation(text)):
        if m.start() == 0:  # an opening quote is the speaker's, not the desk's
            continue
        start, end = m.span(2)
        hits += [i for i, t in enumerate(tokens) if start <= t.start and t.end <= end]
    return hits


_signal_scare_quotes.needs_text = True


def _signal_debunk(tokens):
    # "No, the senator is not ...", "Fact check: ...", "... claim is false".
    hits = [i for i, t in enumerate(tokens) if t.lower in cues.DEBUNK]
    if len(tokens) > 1 and tokens[0].lower == "no" and tokens[1].text == ",":
        hits.append(0)
    return sorted(set(hits + _phrase_spans(tokens, _DEBUNK_INDEX)))


def _signal_ellipsis(tokens):
    return [i for i, t in enumerate(tokens) if t.masked == "..."]


_DEBUNK_INDEX = _by_first_word(cues.DEBUNK_PHRASES)

# Each signal: (code, function returning the token indices that fire it, cap).
# The value is min(hits, cap) / cap, so every column lies in [0, 1] and a
# signal that does not fire contributes nothing to the score or its explanation.
SIGNALS = (
    ("question_headline", _signal_question, 1),
    ("yes_no_question", _signal_yes_no_question, 1),
    ("wh_question", _signal_wh_question, 1),
    ("wh_opening", _signal_wh_opening, 1),
    ("curiosity_gap", _signal_forward_reference, 2),
    ("second_person", _words_in(lx.SECOND_PERSON), 2),
    ("first_person", _words_in(lx.FIRST_PERSON), 2),
    ("listicle", _signal_listicle, 2),
    ("starts_with_number", _signal_starts_with_number, 1),
    ("superlative", _words_in(lx.SUPERLATIVES), 2),
    ("hyperbole", _words_in(lx.HYPERBOLE), 2),
    ("certainty_claim", _words_in(lx.CERTAINTY), 2),
    ("alarm_words", _words_in(lx.ALARM | cues.FEAR), 2),
    ("emotional_words", _words_in(lx.EMOTION), 2),
    ("exclamation", _signal_exclamation, 1),
    ("caps_emphasis", _signal_caps, 2),
    ("ellipsis", _signal_ellipsis, 1),
    ("label", _signal_label, 1),
    ("loaded_words", _words_in(cues.LOADED), 2),
    ("scare_quotes", _signal_scare_quotes, 1),
    # Sober cues: they may lower a score, never raise it (SIGNAL_CEILINGS).
    ("debunk", _signal_debunk, 1),
    ("attribution", _words_in(cues.ATTRIBUTION), 1),
)
SIGNAL_NAMES = tuple(name for name, _, _ in SIGNALS)

# The least each signal adds to the log-odds when it fires fully (see
# model.headline.classifier): 0 lets the data decide, and the data can only raise it.
# Stop Clickbait cannot teach the signals below: its headlines lost their question
# marks, almost never use "!", capitals or "...", and its sober side (news
# reports that "warn" of a "crisis") uses alarm words more than its bait side.
# Their floor is a prior of one unit of log-odds (odds x2.7), stated here rather
# than learned, and measured on the hand-judged pairs and Webis titles.
SIGNAL_FLOORS = {
    "question_headline": 1.0,
    "exclamation": 1.0,
    "caps_emphasis": 1.0,
    "ellipsis": 1.0,
    "alarm_words": 1.0,
    "label": 1.0,
    "loaded_words": 0.5,
    "scare_quotes": 0.5,
}
# The sober cues' coefficients stay at or below their ceiling: a correction or
# a named source can make a headline soberer, never more sensational. Neither
# corpus can teach a correction (Stop Clickbait has almost none; a debunk and
# its claim are never a same-story pair here), so a debunk lowers the model's
# log-odds by at least three units (about half a unit of the calibrated score's:
# the temperature divides it), enough to put a correction below the claim it
# corrects.
SIGNAL_CEILINGS = {"debunk": -3.0, "attribution": 0.0}
SOBER_SIGNALS = frozenset(SIGNAL_CEILINGS)


def signal_floors() -> np.ndarray:
    """Lower bounds of the framing coefficients, in SIGNAL_NAMES order.

    A sober cue has none (-inf): its ceiling is what holds it.
    """
    return np.array(
        [
            -np.inf if name in SIGNAL_CEILINGS else SIGNAL_FLOORS.get(name, 0.0)
            for name in SIGNAL_NAMES
        ]
    )


def signal_ceilings() -> tuple:
    """Upper bounds of the framing coefficients (None: unbounded), in order."""
    return tuple(SIGNAL_CEILINGS.get(name) for name in SIGNAL_NAMES)


# Word -> the lexicon signals it fires; the other signals run as functions.
_WORD_SIGNALS: dict[str, list[str]] = {}
for _name, _fn, _ in SIGNALS:
    for _word in getattr(_fn, "lexicon", ()):
        _WORD_SIGNALS.setdefault(_word, []).append(_name)
_RULE_SIGNALS = tuple((n, fn) for n, fn, _ in SIGNALS if not hasattr(fn, "lexicon"))


def signal_hits(headline: str) -> tuple[tuple[Token, ...], dict[str, list[int]]]:
    """Each framing signal's firing tokens, for the features and the explanation."""
    tokens = tokenize(headline)
    hits: dict[str, list[int]] = {name: [] for name in SIGNAL_NAMES}
    for i, tok in enumerate(tokens):  # in order, so each list comes out sorted
        for name in _WORD_SIGNALS.get(tok.lower, ()):
            hits[name].append(i)
    for name, fn in _RULE_SIGNALS:
        found = fn(tokens, headline) if hasattr(fn, "needs_text") else fn(tokens)
        if found:
            hits[name] = sorted(set(found))
    if hits["debunk"]:
        # "Fact check: ..." is a correction, not a claim of certainty, and
        # "... is a hoax" calls a claim false rather than insulting anyone.
        debunking = set(hits["debunk"])
        for name in ("certainty_claim", "loaded_words"):
            hits[name] = [i for i in hits[name] if i not in debunking]
    return tokens, hits


def framing_vector(headline: str) -> np.ndarray:
    """The framing signals of one headline, each in [0, 1]."""
    _, hits = signal_hits(headline)
    return np.array(
        [min(len(hits[name]), cap) / cap for name, _, cap in SIGNALS], dtype=float
    )


class FramingFeatures(TransformerMixin, BaseEstimator):
    """Named framing signals of each headline, as a dense matrix in [0, 1]."""

    def fit(self, X, y=None):
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        return (
            np.vstack([framing_vector(h) for h in X])
            if len(X)
            else np.zeros((0, len(SIGNALS)))
        )

    def get_feature_names_out(self, input_features=None):
        return np.array(SIGNAL_NAMES, dtype=object)
