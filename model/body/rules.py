"""Rule checks of a headline against its body, for what the stance model misses.

Each check returns ``Finding``s: a stable reason code, a message that quotes the
body where it can, a weight in [-1, 1] (positive: the body gives cause to call
the headline sensational) and the body sentence it rests on, with its role:

- ``question_answered`` ("answers_question"): a yes/no question headline whose
  body answers it; "no" weighs for sensationalism, "yes" against.
- ``claim_not_in_body`` ("missing"), in ``model.body.claims``.
- ``certainty_not_backed`` ("denies" or "hedges"): the headline claims certainty
  ("officially", "confirms", "proof") and the body's relevant sentences deny or
  hedge without confirming.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from model.body.features import BodyDoc, HeadlineDoc, StanceFeatures
from model.body.text import (
    DENIAL_PHRASES,
    HEDGE,
    REFUTE,
    is_negation,
    normalise,
    trim,
    words,
)
from model.headline import lexicons as lx

# A sentence this similar (TF-IDF cosine) to the headline is about its claim.
MIN_SIMILARITY = 0.08
RELEVANT_SENTENCES = 5
WEIGHTS = {
    "answers_no": 0.5,
    "answers_yes": -0.2,
    "missing_name": 0.4,  # a name of two words or more, or the claim's source
    "missing_word_name": 0.2,  # "UK", "ISIS": the body may say it otherwise
    "missing_words": 0.15,
    "denies": 0.5,
    "hedges": 0.3,
}
CERTAINTY = frozenset(
    "officially confirmed confirms confirm confirmation proof proves proven proved "
    "definitely undeniable undeniably guaranteed certainly irrefutable".split()
)
AFFIRMATION = frozenset(
    "confirmed confirms confirm announced announces declared approved agreed "
    "began begun launched officially will".split()
)


@dataclass(frozen=True)
class Finding:
    """One rule's verdict, with the body sentence it quotes (if any)."""

    code: str
    message: str
    weight: float
    sentence: str | None = None
    role: str | None = None


def _joined(tokens: list[str]) -> str:
    return " " + " ".join(tokens) + " "


def denies(tokens: list[str]) -> bool:
    """Whether a sentence's words deny, refute or negate."""
    joined = _joined(tokens)
    return (
        any(f" {p} " in joined for p in DENIAL_PHRASES)
        or any((w in REFUTE and w != "despite") or is_negation(w) for w in tokens)
        or " distanced " in joined
    )


def answer_of(tokens: list[str]) -> str | None:
    """ "no" for a denying sentence, "yes" for an affirming one, else None.

    Negation wins over affirmation: "confirmed it will not" answers no. A
    hedging sentence answers only by an outright denial ("denying reports"),
    not by a plain "not" ("has not been seen, leading to rumours").
    """
    hedged = any(w in HEDGE for w in tokens)
    if hedged:
        joined = _joined(tokens)
        outright = any(f" {p} " in joined for p in DENIAL_PHRASES) or any(
            w in REFUTE and w != "despite" for w in tokens
        )
        return "no" if outright else None
    if denies(tokens):
        return "no"
    if any(w in AFFIRMATION for w in tokens):
        return "yes"
    return None


def _ranked(similarity: np.ndarray, limit: int = RELEVANT_SENTENCES) -> list[int]:
    """Sentence indices by falling similarity, at least MIN_SIMILARITY."""
    order = np.argsort(-similarity, kind="stable")[:limit]
    return [int(i) for i in order if similarity[i] >= MIN_SIMILARITY]


def yes_no_question(headline: str) -> str | None:
    """The yes/no question a headline asks ("Is X ...?"), or None."""
    text = normalise(headline)
    if "?" not in text:
        return None
    question = text[: text.index("?") + 1]
    clause = re.split(r"[:;\u2014|]| - ", question)[-1].strip()
    tokens = words(clause)
    if not tokens or tokens[0] not in lx.AUXILIARIES:
        return None
    # "Would you pay $10,000 ...?" asks the reader, not about the news.
    return None if lx.SECOND_PERSON & set(tokens[:3]) else clause


def question_answered(
    features: StanceFeatures, headline: str, b: BodyDoc, related: bool
) -> list[Finding]:
    question = yes_no_question(headline)
    if question is None or not b.sentences or not related:
        return []
    q = features.headline_doc(question)
    similarity = features.sentence_similarity(q, b)[: len(b.sentences)]
    ranked = _ranked(similarity, 3)
    ranked = [i for i in ranked if similarity[i] >= 0.5 * similarity[ranked[0]]]
    for i in ranked:
        sentence = b.sentences[i]
        answer = None if sentence.endswith("?") else answer_of(b.sentence_words[i])
        if answer is None:
            continue
        return [
            Finding(
                "question_answered",
                f'The headline asks "{question}"; the article answers {answer}: '
                f'"{trim(sentence)}"',
                WEIGHTS[f"answers_{answer}"],
                sentence,
                "answers_question",
            )
        ]
    return []


def certainty_not_backed(
    h: HeadlineDoc, b: BodyDoc, similarity: np.ndarray, related: bool
) -> list[Finding]:
    claimed = [w for w in words(h.text) if w in CERTAINTY]
    if not claimed or not b.sentences or not related:
        return []
    if denies(words(h.text)):
        # "X confirms: Y was not captured", "'Nasa confirms ...' fake story":
        # a body that denies may be agreeing with the headline.
        return []
    ranked = _ranked(similarity)
    denying = [i for i in ranked if denies(b.sentence_words[i])]
    if denying:
        role, i = "denies", denying[0]
    else:
        backed = any(
            any(w in AFFIRMATION for w in b.sentence_words[i])
            and not any(w in HEDGE for w in b.sentence_words[i])
            for i in ranked
        )
        hedging = [i for i in ranked if any(w in HEDGE for w in b.sentence_words[i])]
        if backed or not hedging:
            return []
        role, i = "hedges", hedging[0]
    said = ", ".join(f'"{w}"' for w in dict.fromkeys(claimed))
    verb = "denies it" if role == "denies" else "only hedges"
    return [
        Finding(
            "certainty_not_backed",
            f"The headline claims certainty ({said}) but the article {verb}: "
            f'"{trim(b.sentences[i])}"',
            WEIGHTS[role],
            b.sentences[i],
            role,
        )
    ]
