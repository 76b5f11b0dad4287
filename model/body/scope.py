"""Cue scope: refuting, negating, hedging, supporting words near the headline's terms.

A body that debunks a claim says so next to the claim's own words ("Bale has
withdrawn from the role of Steve Jobs", "the photo is a fake"); the same cue words
elsewhere in the body often concern something else. These features count cues
within a few words of the headline's content stems, and the sentences that
restate the headline (two or more of its content stems) and carry a refuting or
negating word. They read cue words and the pair's own terms only, never topic
words, so that they carry over to stories not seen in training.

The headline's own negations are left out on purpose: in FNC-1 they mark
debunking headlines ("No, X didn't..."), but on the pages readers meet, "You
Won't Believe..." is bait, not a denial, and the model learnt to read such a
headline over a plain article as disputed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.body.text import HEDGE, REFUTE, STOP_WORDS, SUPPORT, is_negation, stem

WINDOW = 6  # words either side of a cue that fall in its scope
# Words that, next to a claim's terms, refute or withdraw it.
DENYING = REFUTE | frozenset(
    "deny denies denied denying dismiss dismissed dismisses refute refuted refutes "
    "reject rejected rejects debunk debunked debunks insisted insists clarified "
    "clarify retract retracted dispute disputed disputes contradict contradicted "
    "withdrawn withdrew withdraw withdraws backed scrapped cancelled canceled "
    "hoax fake faked false untrue fabricated bogus rumor rumour rumors rumours "
    "myth satire satirical parody prank spoof".split()
)
SCOPE_NAMES = (
    "scope_refute_coverage",
    "scope_negation_coverage",
    "scope_hedge_coverage",
    "scope_support_coverage",
    "scope_refute_hits",
    "scope_negation_hits",
    "scope_hedge_hits",
    "scope_support_hits",
    "restating_refute_share",
    "restating_negation_share",
    "restating_refute_log",
    "restating_refute_claim_share",
    "restating_refute_quoted",
)


@dataclass
class SentenceCues:
    """One body sentence's stems and where its cue words are."""

    stems: list[str]
    masks: tuple[np.ndarray, ...]  # denying, negating, hedging, supporting words
    quoted: bool


def sentence_cues(sentence: str, tokens: list[str]) -> SentenceCues:
    """The stems and cue positions of one sentence (computed once per body)."""
    return SentenceCues(
        stems=[stem(w) for w in tokens],
        masks=(
            np.array([w in DENYING for w in tokens], bool),
            np.array([is_negation(w) for w in tokens], bool),
            np.array([w in HEDGE for w in tokens], bool),
            np.array([w in SUPPORT for w in tokens], bool),
        ),
        quoted='"' in sentence,
    )


def _in_scope(cue: np.ndarray, hit: np.ndarray) -> np.ndarray:
    """The headline-term positions ``hit`` within WINDOW words of a cue."""
    if not cue.any() or not hit.any():
        return np.zeros(len(hit), bool)
    distance = np.abs(np.arange(len(hit))[:, None] - np.flatnonzero(cue)[None, :])
    return hit & (distance.min(axis=1) <= WINDOW)


def scope_features(headline: str, tokens: list[str], sentences) -> list[float]:
    """The SCOPE_NAMES row of a headline (its text and words) and a body's
    ``SentenceCues``."""
    content = {stem(w) for w in tokens if w not in STOP_WORDS}
    covered: list[set[str]] = [set(), set(), set(), set()]
    hits = [0, 0, 0, 0]
    restating = refuting = negating = quoted = 0
    claim_share = 0.0
    for s in sentences:
        hit = np.array([x in content for x in s.stems], bool)
        shared = len({x for x, h in zip(s.stems, hit, strict=True) if h})
        restating += shared >= 2
        for k, cue in enumerate(s.masks):
            scoped = _in_scope(cue, hit)
            if scoped.any():
                covered[k].update(x for x, f in zip(s.stems, scoped, strict=True) if f)
                hits[k] += int(scoped.sum())
        if shared >= 2 and s.masks[0].any():
            refuting += 1
            claim_share = max(claim_share, shared / max(len(content), 1))
            quoted += s.quoted
        if shared >= 2 and s.masks[1].any():
            negating += 1
    n_content = max(len(content), 1)
    return [
        *(len(c) / n_content for c in covered),
        *(float(np.log1p(h)) for h in hits),
        refuting / max(restating, 1),
        negating / max(restating, 1),
        float(np.log1p(refuting)),
        claim_share,
        float(np.log1p(quoted)),
    ]
