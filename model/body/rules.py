"""Rule checks of a headline against its body, for what the stance model misses.

Each check returns ``Finding``s: a stable reason code, a message, the body
sentences it rests on (best first; the checker quotes the first one not quoted
yet), the role they play, and the evidence against the headline it is, if any:
one of ``EVIDENCE``, whose log-odds weight is fitted on data
(``model.training.combination``). A finding without evidence never raises the
score.

- ``question_answered`` ("answers_question"): a yes/no question headline whose
  body answers it; "no" is evidence (``answers_no``), "yes" is not.
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
    straighten_punctuation,
    words,
)
from model.headline import lexicons as lx

# A sentence this similar (TF-IDF cosine) to the headline is about its claim.
MIN_SIMILARITY = 0.08
RELEVANT_SENTENCES = 5
# The kinds of evidence against a headline that can raise its score, each a
# non-negative feature with a non-negative fitted weight, so that a body that
# backs its headline more never raises the score.
EVIDENCE = (
    "disputes",  # the stance model reads "disagree" and a relevant sentence denies
    "answers_no",  # the body answers the headline's yes/no question "no"
    "certainty_denied",  # "officially", "confirms" over a body that denies
    "certainty_hedged",  # ... over a body that only hedges
    "missing_actor",  # whoever the claim is pinned on ("Russian spy chief confirms")
    "missing_name",  # a name the body may spell otherwise ("Islamic State", "UK")
    "missing_words",  # most of the headline's words are not in the body
)
# The certainty words whose claim a body can back or deny (the headline model's
# model.headline.lexicons.CERTAINTY also counts emphasis: "really", "finally").
CHECKABLE_CERTAINTY = frozenset(
    "officially confirmed confirms confirm confirmation proof proves proven proved "
    "definitely undeniable undeniably guaranteed certainly irrefutable".split()
)
AFFIRMATION = frozenset(
    "confirmed confirms confirm announced announces declared approved agreed "
    "began begun launched officially will".split()
)

ATTRIBUTION = frozenset("said says told stated according".split())


@dataclass(frozen=True)
class Finding:
    """One check's verdict, the sentences it may quote and the evidence it is.

    ``message`` is a sentence without the quote; the checker appends the first
    of ``sentences`` not quoted by a weightier finding. ``value`` (in [0, 1]) is
    how strong the evidence is, for findings with ``evidence``.
    """

    code: str
    message: str
    sentences: tuple[str, ...] = ()
    role: str | None = None
    evidence: str | None = None
    value: float = 1.0


# "Could not be ruled out" keeps a possibility open: no denial.
_NOT_RULED_OUT = re.compile(
    r" (?:not|cannot|can't|couldn't|won't|wouldn't|didn't|doesn't|don't) "
    r"(?:be |have been |been )?(?:rul\w+) out "
)


def _joined(tokens: list[str]) -> str:
    return _NOT_RULED_OUT.sub(" possible ", " " + " ".join(tokens) + " ")


def denies(tokens: list[str]) -> bool:
    """Whether a sentence's words deny, refute or negate."""
    joined = _joined(tokens)
    return (
        any(f" {p} " in joined for p in DENIAL_PHRASES)
        or any(
            (w in REFUTE and w != "despite") or is_negation(w) for w in joined.split()
        )
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
    text = straighten_punctuation(headline)
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
    n = len(b.sentences)
    # The answer may share no word with the question ("Is France entering the
    # war?" - "NATO states agreed not to send soldiers"): the whole headline's
    # topic (LSA) counts too.
    topic = b.lsa[:n] @ features.headline_doc(headline).lsa
    relevance = features.sentence_similarity(q, b)[:n] + 0.5 * np.clip(topic, 0, 1)
    ranked = _ranked(relevance, 3)
    ranked = [i for i in ranked if relevance[i] >= 0.5 * relevance[ranked[0]]]
    for i in ranked:
        sentence = b.sentences[i]
        answer = None if sentence.endswith("?") else answer_of(b.sentence_words[i])
        if answer is None:
            continue
        said = "no, contradicting it" if answer == "no" else "yes"
        return [
            Finding(
                "question_answered",
                f'The headline asks "{question}"; the article answers {said}',
                (sentence,),
                "answers_question",
                "answers_no" if answer == "no" else None,
            )
        ]
    return []


def certainty_not_backed(
    h: HeadlineDoc, b: BodyDoc, similarity: np.ndarray, related: bool
) -> list[Finding]:
    claimed = [w for w in words(h.text) if w in CHECKABLE_CERTAINTY]
    if not claimed or not b.sentences or not related:
        return []
    if denies(words(h.text)):
        # "X confirms: Y was not captured", "'Nasa confirms ...' fake story":
        # a body that denies may be agreeing with the headline.
        return []
    ranked = _ranked(similarity)
    # A denial disputes the claim when it restates it (two of its words): a
    # "not" elsewhere in a relevant sentence is about something else.
    denying = [
        i
        for i in ranked
        if denies(b.sentence_words[i]) and len(h.content & b.sentence_stems[i]) >= 2
    ]
    if denying:
        role, chosen = "denies", denying
    else:
        # Backed by a relevant sentence that affirms or attributes ("the
        # minister said") without hedging; unbacked when those that restate
        # the claim only hedge.
        backed = any(
            any(w in AFFIRMATION or w in ATTRIBUTION for w in b.sentence_words[i])
            and not any(w in HEDGE for w in b.sentence_words[i])
            for i in ranked
        )
        hedging = [
            i
            for i in ranked
            if any(w in HEDGE for w in b.sentence_words[i])
            and len(h.content & b.sentence_stems[i]) >= 2
        ]
        if backed or not hedging:
            return []
        role, chosen = "hedges", hedging
    said = ", ".join(f'"{w}"' for w in dict.fromkeys(claimed))
    verb = "contradicts it" if role == "denies" else "only hedges"
    return [
        Finding(
            "certainty_not_backed",
            f"The headline claims certainty ({said}) but the article {verb}",
            tuple(b.sentences[i] for i in chosen),
            role,
            "certainty_denied" if role == "denies" else "certainty_hedged",
        )
    ]
