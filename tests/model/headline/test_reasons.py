"""What a reader is told: reasons name cues and quote only the words that carry them.

Run over many headlines (made-up examples of each kind of cue, the hand-judged
pairs, the Webis titles and the Upworthy tests: about 4,000) with the committed
model, as the service explains them.
"""

import functools
import re

import pytest

from model.headline import wordlist
from model.headline.explain import MAX_HIGHLIGHTS, VIEW_REASONS
from model.headline.features import SOBER_SIGNALS
from model.training import data, pairs

# sklearn's English stopwords and a few of ours, spelled out here so that the
# test does not share the code's definition.
STOPWORDS = set(
    "a about above after again against all also am an and any are as at be "
    "because been before being below between both but by can could did do does "
    "doing down during each few for from further had has have having he her "
    "here hers herself him himself his how i if in into is it its itself just "
    "me more most my myself no nor not now of off on once only or other our "
    "ours ourselves out over own same she should so some such than that the "
    "their theirs them themselves then there these they this those through to "
    "too under until up very was we were what when where which while who whom "
    "why will with would you your yours yourself yourselves with is in this".split()
)


@functools.cache
def _seen_in_lowercase() -> frozenset[str]:
    """Words written in lowercase somewhere in the shared sentence-case text.

    Names are capitalised wherever they appear, so a word seen in lowercase in
    the hyperbole sentences, the Webis titles or AllSides outlets' headlines
    is an ordinary word; with the FNC-1 word list, this tells "Epic" in a Title
    Case headline from "Kremlin".
    """
    words = set(wordlist.load())
    for name in ("hyperbole", "allsides"):
        for pair in pairs.load(name, data.DEFAULT_DATA_DIR, blind=False):
            words.update(
                re.findall(r"\b[a-z][a-z'-]+\b", pair.higher + " " + pair.lower)
            )
    for text in data.load_webis(data.DEFAULT_DATA_DIR).texts:
        words.update(re.findall(r"\b[a-z][a-z'-]+\b", text))
    return frozenset(words)


QUOTED = re.compile(r'"([^"]+)"')

EXAMPLES = [
    "Is Russia officially entering war with NATO? Kremlin official confirms troops",
    "Man fights off GRIZZLY BEAR with bare hands",
    "Man fights off grizzly bear with bare hands",
    "EXCLUSIVE: Caught at last!",
    "Senator calls vaccine plan a hoax",
    "Idiots in Congress cause budget meltdown",
    "Horror as slaughter erupts in village",
    "No, the senator is not the singer's father",
    "DNA test confirms senator is singer's father",
    "Activist was 'suicided', family claims",
    "Putin warns NATO against sending troops to Ukraine",
    "17 Photos That Will Make You Cry",
    "You Won't Believe What Happened Next",
    "Here's why \u201cexperts\u201d are worried about your coffee!",
    "Senate passes budget bill after late-night vote, officials say",
    "Fact check: viral claim about Biden and Obama is false",
    "BREAKING: Trump and Biden meet in Washington",
]


def _headlines():
    """The examples, the hand-judged pairs, and every Webis title and Upworthy test."""
    texts = list(EXAMPLES)
    for pair in data.load_pairs():
        texts += [pair[k] for k in ("sensational", "sober", "a", "b") if k in pair]
    texts += [t for t in data.load_webis(data.DEFAULT_DATA_DIR).texts if len(t) < 300]
    for pair in pairs.load("upworthy", data.DEFAULT_DATA_DIR, blind=False):
        texts += [pair.higher, pair.lower]
    return texts


# Names in the examples and the hand-judged pairs, never a cue.
KNOWN_NAMES = set(
    "Russia NATO Kremlin Biden Obama Trump Washington Congress Putin Ukraine "
    "Senate Naples Scotland Gaza Israel Apple Detroit NASA".split()
)


def _title_case(headline: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", headline)]
    return len(words) > 2 and sum(w[0].isupper() for w in words) > len(words) / 2


def _is_name(word: str, headline: str) -> bool:
    """A known name, or, in a sentence-case headline, a capitalised word inside it
    that is not an ordinary word (in Title Case, capitals say nothing)."""
    if word in KNOWN_NAMES:
        return True
    if _title_case(headline):
        return False
    at_start = headline.lstrip("'\"\u2018\u201c").startswith(word)
    lower = word.lower()
    common = _seen_in_lowercase()  # read once, when a test first needs it
    return (
        word[:1].isupper()
        and not word.isupper()
        and not word[:-1].isupper()  # "GIFs": an acronym's plural
        and not at_start
        and lower not in common
        # "Jaw-Dropping" is a compound of ordinary words.
        and not any(part in common for part in lower.split("-"))
    )


def _carries_a_cue(text: str, headline: str) -> bool:
    words = re.findall(r"[\w'\u2019-]+", text)
    return any(
        w.lower() not in STOPWORDS
        and w.lower().split("'")[0] not in STOPWORDS
        and not _is_name(w, headline)
        for w in words
    )


@pytest.fixture(scope="module")
def explained(committed_scorer):
    texts = _headlines()
    return list(zip(texts, committed_scorer.explainer.explain_many(texts), strict=True))


def test_every_quote_carries_a_cue(explained):
    for headline, result in explained:
        for reason in result["reasons"]:
            for quote in QUOTED.findall(reason["message"]):
                assert _carries_a_cue(quote, headline), (headline, reason)


def test_highlights_are_few_and_each_a_cue_word(explained):
    for headline, result in explained:
        assert len(result["highlights"]) <= MAX_HIGHLIGHTS, headline
        for span in result["highlights"]:
            assert _carries_a_cue(span["text"], headline), (headline, span)


def test_a_lowered_score_names_its_sober_cue(explained):
    for _, result in explained:
        for reason in result["reasons"]:
            if reason["weight"] < 0:
                assert reason["code"] in SOBER_SIGNALS, reason
            assert reason["code"] not in ("news_wording", "news_phrasing")


def test_the_wording_reasons_quote_nothing(explained):
    codes = {code for code, _ in VIEW_REASONS.values()}
    for _, result in explained:
        for reason in result["reasons"]:
            if reason["code"] in codes:
                assert not QUOTED.search(reason["message"]), reason


def test_the_seed_headline_lights_up_cues_only(committed_scorer):
    result = committed_scorer.score(EXAMPLES[0])
    lit = {h["text"].lower() for h in result["highlights"]}
    assert lit <= {"officially", "official", "confirms"}, lit
    assert "officially" in lit


def _score(scorer, headline):
    return scorer.score(headline)["score"]


def test_shouted_words_count_and_title_case_does_not(committed_scorer):
    shouted = _score(committed_scorer, "Man fights off GRIZZLY BEAR with bare hands")
    plain = _score(committed_scorer, "Man fights off grizzly bear with bare hands")
    title = _score(committed_scorer, "Man Fights Off Grizzly Bear With Bare Hands")
    assert shouted > plain
    assert abs(title - plain) <= 5


def test_labels_exclamations_and_loaded_words_are_named(committed_scorer):
    codes = {
        r["code"]
        for r in committed_scorer.score("EXCLUSIVE: Caught at last!")["reasons"]
    }
    assert {"label", "exclamation"} <= codes
    result = committed_scorer.score("Idiots in Congress cause budget meltdown")
    loaded = next(r for r in result["reasons"] if r["code"] == "loaded_words")
    assert '"Idiots"' in loaded["message"]
    quotes = committed_scorer.score("Activist was 'suicided', family claims")
    scare = next(r for r in quotes["reasons"] if r["code"] == "scare_quotes")
    assert '"suicided"' in scare["message"]


def test_a_debunk_scores_below_the_claim_it_debunks(committed_scorer):
    debunk = committed_scorer.score("No, the senator is not the singer's father")
    claim = committed_scorer.score("DNA test confirms senator is singer's father")
    assert debunk["score"] < claim["score"]
    sober = [r for r in debunk["reasons"] if r["code"] == "debunk"]
    assert sober and sober[0]["weight"] < 0


@pytest.mark.parametrize(
    ("loud", "calm"),
    [
        ("Horror as slaughter erupts in village", "Dozens killed in village attack"),
        ("Senator calls vaccine plan a hoax", "Senator criticises vaccine plan"),
        ("EXCLUSIVE: Caught at last!", "Police arrest suspect"),
    ],
)
def test_framing_raises_the_same_story(committed_scorer, loud, calm):
    assert _score(committed_scorer, loud) > _score(committed_scorer, calm)
