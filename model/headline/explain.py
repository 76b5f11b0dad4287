"""Reasons and highlighted words, read from the trained linear model itself.

The pipeline ends in one logistic regression followed by Platt scaling, so the
calibrated log-odds of a headline is a sum: one term per active feature
(coefficient x value, times the calibration slope) plus a constant. Each term is
given to the reason it belongs to (a framing signal, or the headline's phrasing
or wording) and to the tokens that produced it, which become the highlights.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

import numpy as np
from scipy.special import expit
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from model.fastpath import tfidf_values
from model.headline import cues
from model.headline import lexicons as lx
from model.headline.features import (
    COMMON_WORDS,
    SIGNALS,
    char_grams,
    char_words,
    shape_grams,
    signal_hits,
    word_grams,
)

# code -> sentence; {words} is filled with the headline's own words that carry
# the cue. A cue whose words are all stopwords or marks ("Is ...?", "you", "!")
# is named without quoting them (PLAIN_MESSAGES).
SIGNAL_MESSAGES = {
    "question_headline": "It asks a question instead of stating what happened.",
    "yes_no_question": (
        "It is framed as a yes/no question: it raises a possibility without "
        "asserting it."
    ),
    "wh_question": "It asks the reader a question instead of telling them.",
    "wh_opening": "It opens with a question word, holding the answer back.",
    "curiosity_gap": "It withholds the point to make you click ({words}).",
    "second_person": "It addresses the reader directly.",
    "first_person": "It speaks in the first person.",
    "listicle": "It promises a numbered list ({words}).",
    "starts_with_number": "It opens with a number.",
    "superlative": "It uses superlatives ({words}).",
    "hyperbole": "It exaggerates ({words}).",
    "certainty_claim": (
        "It claims certainty ({words}) that a headline alone cannot show."
    ),
    "alarm_words": "It uses alarming or frightening words ({words}).",
    "emotional_words": "It uses emotionally loaded words ({words}).",
    "exclamation": "It uses exclamation marks.",
    "caps_emphasis": "It shouts words in capitals ({words}).",
    "ellipsis": "It trails off with an ellipsis, holding something back.",
    "label": "It sells itself with a label ({words}).",
    "loaded_words": "It uses words that judge instead of report ({words}).",
    "scare_quotes": "It puts {words} in scare quotes, insinuating without saying.",
    "debunk": "It reports a claim as false ({words}): a correction, not a sensation.",
    "attribution": "It states what happened, with a source ({words}).",
}
PLAIN_MESSAGES = {
    "curiosity_gap": "It withholds the point to make you click.",
    "listicle": "It promises a numbered list.",
    "superlative": "It uses superlatives.",
    "hyperbole": "It exaggerates.",
    "certainty_claim": "It claims a certainty that a headline alone cannot show.",
    "alarm_words": "It uses alarming or frightening words.",
    "emotional_words": "It uses emotionally loaded words.",
    "caps_emphasis": "It shouts words in capitals.",
    "label": "It sells itself with a label.",
    "loaded_words": "It uses words that judge instead of report.",
    "scare_quotes": "It puts words in scare quotes, insinuating without saying.",
    "debunk": "It reports a claim as false: a correction, not a sensation.",
    "attribution": "It states what happened, with a source.",
}
# What the n-gram views learned is wording, which cannot be quoted without
# quoting topic words and names; it counts in the score, and is named (without
# quotes) only when it raises it. A lowered score is explained by sober cues.
VIEW_REASONS = {
    "shape": (
        "clickbait_phrasing",
        "Its phrasing follows patterns common in clickbait.",
    ),
    "wording": ("clickbait_wording", "Its wording as a whole resembles clickbait."),
}
VIEW_GROUP = {"shape": "shape", "words": "wording", "chars": "wording"}
MAX_HIGHLIGHTS = 5
# Words never quoted or highlighted alone: they carry no cue a reader can see.
STOPWORDS = ENGLISH_STOP_WORDS | lx.FUNCTION_WORDS | lx.AUXILIARIES
_CUE_LEXICON = (
    lx.KEPT_WORDS
    | cues.LABELS
    | cues.LOADED
    | cues.FEAR
    | cues.DEBUNK
    | cues.ATTRIBUTION
)
MIN_REASON_WEIGHT = 0.05
MIN_HIGHLIGHT_WEIGHT = 0.05
# Headlines whose sums run together: bounds the arrays, and sorting them.
CHUNK = 1024


@contextmanager
def _collector_paused():
    """Hold off Python's cycle collector while a batch is explained.

    A batch makes tens of thousands of short-lived token objects, all freed by
    reference counting; each pass of the cycle collector they trigger also walks
    the loaded model and finds nothing to free. Pausing it took a quarter off a
    batch of 10,000 (see benchmarks/headline.py). Nesting and threads are safe:
    the collector is only ever switched back on if it was on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Explainer:
    """Splits a fitted pipeline's log-odds into reasons and token weights."""

    def __init__(self, pipeline) -> None:
        self.pipeline = pipeline
        features = pipeline.named_steps["features"]
        scaled = pipeline.named_steps["classifier"]
        calibrated = scaled.estimator_.calibrated_classifiers_[0]
        model = calibrated.estimator
        sigmoid = calibrated.calibrators[0]
        # Calibrated p = expit(-(a * z + b) / T) with z the regression's log-odds
        # and T the temperature, so each feature weighs -a * coef / T.
        t = float(scaled.temperature)
        self.slope = -float(sigmoid.a_) / t
        self.offset = (
            -float(sigmoid.b_) - float(sigmoid.a_) * float(model.intercept_[0])
        ) / t
        weights = self.slope * np.asarray(model.coef_).ravel()
        self.blocks: dict[str, np.ndarray] = {}
        self.vocabularies: dict[str, dict[str, int]] = {}
        self.idf: dict[str, np.ndarray] = {}
        start = 0
        for name, transformer in features.transformer_list:
            width = len(transformer.get_feature_names_out())
            self.blocks[name] = weights[start : start + width]
            if hasattr(transformer, "vocabulary_"):
                self.vocabularies[name] = transformer.vocabulary_
                self.idf[name] = transformer.idf_
            start += width
        # A plain list: each headline reads every framing weight, and indexing a
        # list is several times faster than indexing an array.
        self._framing_weights = self.blocks["framing"].tolist()
        self._char_cache: dict[str, np.ndarray] = {}

    def _gram_ids(self, view, tokens) -> list[int]:
        """Vocabulary ids of a view's n-grams in one headline."""
        vocabulary = self.vocabularies[view]
        _, grams = (shape_grams if view == "shape" else word_grams)(tokens)
        ids = []
        for gram, _, _ in grams:
            j = vocabulary.get(gram)
            if j is not None:
                ids.append(j)
        return ids

    def _word_char_ids(self, word: str) -> np.ndarray:
        """A word's character n-gram ids, computed once per word."""
        ids = self._char_cache.get(word)
        if ids is None:
            vocabulary = self.vocabularies["chars"]
            ids = np.array(
                [vocabulary[g] for g in char_grams(word) if g in vocabulary],
                dtype=np.intp,
            )
            if len(self._char_cache) < 100_000:
                self._char_cache[word] = ids
        return ids

    def _occurrences(self, view, parsed):
        """Every n-gram occurrence of a view in the batch: (headline, id) arrays."""
        if view == "chars":  # whole arrays per word
            pieces, heads = [], []
            for h, (tokens, _) in enumerate(parsed):
                for i in char_words(tokens):
                    pieces.append(self._word_char_ids(tokens[i].lower))
                    heads.append(h)
            if not pieces:
                empty = np.zeros(0, dtype=np.intp)
                return empty, empty
            lengths = [len(p) for p in pieces]
            return (
                np.repeat(np.array(heads, dtype=np.intp), lengths),
                np.concatenate(pieces),
            )
        heads, ids = [], []
        for h, (tokens, _) in enumerate(parsed):
            found = self._gram_ids(view, tokens)
            heads += [h] * len(found)
            ids += found
        return np.array(heads, dtype=np.intp), np.array(ids, dtype=np.intp)

    def _view_terms(self, view, parsed):
        """A view's log-odds per headline: TfidfVectorizer's sums.

        Sublinear tf times idf, L2-normalised per headline, times the weight.
        """
        n_heads = len(parsed)
        occ_h, occ_j = self._occurrences(view, parsed)
        present = np.bincount(occ_h, minlength=n_heads) > 0
        if not len(occ_j):
            return np.zeros(n_heads), present
        width = len(self.idf[view])
        unique, counts = np.unique(occ_h * width + occ_j, return_counts=True)
        head, gram = np.divmod(unique, width)
        values = tfidf_values(counts, self.idf[view][gram], head, n_heads)
        terms = self.blocks[view][gram] * values
        return np.bincount(head, terms, minlength=n_heads), present

    def explain(self, headline: str) -> dict:
        """Probability, reasons and highlights for one headline."""
        return self.explain_many([headline])[0]

    def explain_many(self, headlines) -> list[dict]:
        """Probability, reasons and highlights for each headline, in order.

        Computes the pipeline's features itself (the same tf-idf arithmetic as
        the fitted vectorizers, checked against ``predict_proba`` in the tests),
        in Python for the n-grams and in numpy, once per batch, for the sums.
        """
        headlines = list(headlines)
        with _collector_paused():
            return [
                result
                for start in range(0, len(headlines), CHUNK)
                for result in self._explain_many(headlines[start : start + CHUNK])
            ]

    def _explain_many(self, headlines) -> list[dict]:
        parsed = [signal_hits(headline) for headline in headlines]
        group_totals: dict[str, np.ndarray] = {}
        group_present: dict[str, np.ndarray] = {}
        for view, group in VIEW_GROUP.items():
            totals, present = self._view_terms(view, parsed)
            if group in group_totals:
                group_totals[group] += totals
                group_present[group] |= present
            else:
                group_totals[group] = totals
                group_present[group] = present
        return [
            self._result(
                headlines[h],
                tokens,
                hits,
                {
                    group: float(group_totals[group][h])
                    for group in group_totals
                    if group_present[group][h]
                },
            )
            for h, (tokens, hits) in enumerate(parsed)
        ]

    def _result(self, headline, tokens, hits, groups) -> dict:
        """One headline's result from its signals and its n-gram views' sums.

        Reasons are the named cues that fired, each quoting only the words that
        carry it, and a wording reason (no quotes) when the n-gram views raise
        the score; the highlights are the MAX_HIGHLIGHTS cue words that weigh most.
        """
        token_weight = [0.0] * len(tokens)
        reasons = []
        logit = self.offset

        for (code, _, cap), weight in zip(SIGNALS, self._framing_weights, strict=True):
            fired = hits[code]
            contribution = weight * min(len(fired), cap) / cap
            if contribution == 0:
                continue
            logit += contribution
            quoted = [i for i in fired if _quotable(tokens, i)]
            for i in quoted:
                token_weight[i] += contribution / len(quoted)
            words = ", ".join(
                f'"{w}"' for w in dict.fromkeys(tokens[i].text for i in quoted)
            )
            message = SIGNAL_MESSAGES[code]
            if "{words}" in message and not words:
                message = PLAIN_MESSAGES[code]
            reasons.append(
                {
                    "code": code,
                    "message": message.format(words=words),
                    "weight": contribution,
                }
            )

        for group, total in groups.items():
            logit += total
            if total > 0:
                code, text = VIEW_REASONS[group]
                reasons.append({"code": code, "message": text, "weight": total})

        reasons = [r for r in reasons if abs(r["weight"]) >= MIN_REASON_WEIGHT]
        reasons.sort(key=lambda r: -abs(r["weight"]))
        for r in reasons:
            r["weight"] = round(r["weight"], 3)
        return {
            "probability": float(expit(logit)),
            "reasons": reasons,
            "highlights": _highlights(headline, tokens, token_weight),
        }


def _quotable(tokens, i: int) -> bool:
    """A token a reader can see carries a cue: a word, not a stopword or a name."""
    tok = tokens[i]
    if not tok.text[0].isalnum():
        return False
    lower = tok.text.lower()
    if lower in STOPWORDS or lower.split("'")[0] in STOPWORDS:
        return False
    shouted = tok.text.isupper() and len(tok.text) > 1
    # A capitalised word the common-word list does not know, inside the
    # headline, is a name ("Trump", "Kremlin"); shouted words are emphasis.
    if i > 0 and tok.text[0].isupper() and not shouted:
        if lower not in COMMON_WORDS and lower not in _CUE_LEXICON:
            return False
    return True


def _highlights(headline, tokens, token_weight) -> list[dict]:
    """The MAX_HIGHLIGHTS cue words that weigh most, in reading order."""
    lit = [i for i, w in enumerate(token_weight) if abs(w) >= MIN_HIGHLIGHT_WEIGHT]
    lit.sort(key=lambda i: -abs(token_weight[i]))
    return [
        {
            "start": tokens[i].start,
            "end": tokens[i].end,
            "text": headline[tokens[i].start : tokens[i].end],
            "weight": round(token_weight[i], 3),
        }
        for i in sorted(lit[:MAX_HIGHLIGHTS])
    ]
