import numpy as np
import pytest

from model.headline.features import (
    CONTENT,
    SIGNAL_NAMES,
    framing_vector,
    masked_ngrams,
    signal_hits,
    tokenize,
)
from model.training.evaluate import sentence_case, title_case


def fired(headline: str) -> set[str]:
    _, hits = signal_hits(headline)
    return {name for name, idx in hits.items() if idx}


@pytest.mark.parametrize(
    ("headline", "signal"),
    [
        ("Is Russia officially entering war with NATO?", "yes_no_question"),
        ("Is Russia officially entering war with NATO?", "question_headline"),
        ("Will the euro survive the summer? Leaders meet", "yes_no_question"),
        ("Why is the price of eggs so high?", "wh_question"),
        ("Why You Should Never Shower At Night", "wh_opening"),
        ("This Is Why Your Cat Ignores You", "curiosity_gap"),
        ("Here's what happened next", "curiosity_gap"),
        ("You won't believe this dog", "curiosity_gap"),
        ("17 Things Only Night Owls Understand", "listicle"),
        ("Nine ways to save money", "listicle"),
        ("21 killed in bus crash", "starts_with_number"),
        ("Your phone is spying on you", "second_person"),
        ("The best pizza in Naples", "superlative"),
        ("The most incredible comeback ever", "hyperbole"),
        ("Minister officially confirms plan", "certainty_claim"),
        ("Scientists warn of catastrophic collapse", "alarm_words"),
        ("This heartbreaking photo", "emotional_words"),
        ("She did it again!", "exclamation"),
        ("You will NEVER guess this", "caps_emphasis"),
        ("And then it happened...", "ellipsis"),
        ("Man fights off GRIZZLY BEAR with bare hands", "caps_emphasis"),
        ("EXCLUSIVE: Caught at last!", "label"),
        ("Breaking: quake hits the coast", "label"),
        ("WATCH Senator storm out of hearing", "label"),
        ("Senator calls vaccine plan a hoax", "loaded_words"),
        ("Idiots in Congress cause budget meltdown", "loaded_words"),
        ("Horror as slaughter erupts in village", "alarm_words"),
        ("Activist was 'suicided', family claims", "scare_quotes"),
        ("Minister's \u201cexperts\u201d doubt the plan", "scare_quotes"),
        ("No, the senator is not the singer's father", "debunk"),
        ("Fact check: viral claim about vaccines is false", "debunk"),
        ("Minister says budget will pass", "attribution"),
        ("Economy grew 2%, according to official figures", "attribution"),
    ],
    ids=lambda v: v if len(v) < 30 else v[:28] + "..",
)
def test_signal_fires(headline, signal):
    assert signal in fired(headline)


@pytest.mark.parametrize(
    ("headline", "signal"),
    [
        ("Senate passes budget bill after late-night vote", "question_headline"),
        ("Will Smith wins award for new film", "yes_no_question"),
        ("US Senate passes budget bill", "first_person"),
        ("WHO declares end of outbreak", "caps_emphasis"),
        ("NATO leaders meet in Brussels", "caps_emphasis"),
        ("Court rules on 2019 election dispute", "listicle"),
        ("Man Fights Off Grizzly Bear With Bare Hands", "caps_emphasis"),
        ("NATO and the EU meet over AIDS funding", "caps_emphasis"),
        ("Watch parties planned for the final", "label"),
        ("'We will win', says coach", "scare_quotes"),
        ('Minister says: "we will cut taxes for working families"', "scare_quotes"),
        ("Fact check: viral claim about vaccines is false", "certainty_claim"),
        ("No deal reached after talks", "debunk"),
        ("NASA: viral claim of six dark days is a hoax", "loaded_words"),
        ("Hundreds flee floods in Gaza", "starts_with_number"),
    ],
    ids=[
        "plain report",
        "name not question",
        "US is not us",
        "WHO acronym",
        "NATO acronym",
        "year not listicle",
        "Title Case is not shouting",
        "acronyms in a row",
        "watch not a label",
        "an opening quote is the speaker's",
        "a long quote is a quotation",
        "fact check not certainty",
        "no without a comma",
        "a debunked hoax is not an insult",
        "a quantity is not a count",
    ],
)
def test_signal_does_not_fire(headline, signal):
    assert signal not in fired(headline)


def test_masked_view_hides_topic_words():
    grams = masked_ngrams("Is Russia officially entering war with NATO?")
    assert "is _ with" in grams or "<s> is _" in grams
    assert not any("russia" in g or "war" in g or "nato" in g for g in grams)


def test_same_shape_for_different_topics():
    a = masked_ngrams("17 Photos Of Kittens That Will Make You Smile")
    b = masked_ngrams("17 Photos Of Senators That Will Make You Smile")
    assert a == b


@pytest.mark.parametrize(
    "headline",
    [
        "Is Russia officially entering war with NATO? Official confirms troops",
        "You won't believe what this senator said about the budget",
        "US and UK agree on a new trade deal after talks",
    ],
)
def test_case_style_does_not_change_features(headline):
    assert np.array_equal(
        framing_vector(title_case(headline)), framing_vector(sentence_case(headline))
    )
    assert masked_ngrams(title_case(headline)) == masked_ngrams(sentence_case(headline))


def test_tokens_keep_offsets_with_curly_quotes():
    headline = "Here\u2019s why \u201cexperts\u201d are worried"
    for tok in tokenize(headline):
        assert headline[tok.start : tok.end] == tok.text
    assert "curiosity_gap" in fired(headline)


def test_framing_vector_is_bounded_and_named():
    vec = framing_vector("YOU WON'T BELIEVE!!! 10 Best Ways You Can Never Imagine?")
    assert vec.shape == (len(SIGNAL_NAMES),)
    assert vec.min() >= 0 and vec.max() <= 1


def test_markup_is_just_text():
    tokens = tokenize('<img src=x onerror="alert(1)"> Shocking news')
    assert all(t.masked != "" for t in tokens)
    assert any(t.masked == CONTENT for t in tokens)
