"""Reasons and highlighted words, read from the trained linear model itself.

The pipeline ends in one logistic regression followed by Platt scaling, so the
calibrated log-odds of a headline is a sum: one term per active feature
(coefficient x value, times the calibration slope) plus a constant. Each term is
given to the reason it belongs to (a framing signal, or the headline's phrasing
or wording) and to the tokens that produced it, which become the highlights.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
from scipy.special import expit

from model.features import (
    CONTENT,
    NGRAM_VIEWS,
    SIGNAL,
    SIGNALS,
    char_grams,
    signal_hits,
    tokenize,
)

# code -> sentence; {words} is filled with the headline's own words that fired it.
SIGNAL_MESSAGES = {
    "question_headline": "It asks a question instead of stating what happened.",
    "yes_no_question": (
        "It is framed as a yes/no question ({words} ...?): it raises a "
        "possibility without asserting it."
    ),
    "wh_question": "It asks {words} instead of telling the reader.",
    "wh_opening": "It opens with {words}, holding the answer back for the article.",
    "curiosity_gap": "It withholds the point to make you click ({words}).",
    "second_person": "It addresses the reader directly ({words}).",
    "first_person": "It speaks in the first person ({words}).",
    "listicle": "It promises a numbered list ({words}).",
    "starts_with_number": "It opens with a number ({words}).",
    "superlative": "It uses superlatives ({words}).",
    "hyperbole": "It exaggerates ({words}).",
    "certainty_claim": (
        "It claims certainty ({words}) that a headline alone cannot show."
    ),
    "alarm_words": "It uses alarming words ({words}).",
    "emotional_words": "It uses emotionally loaded words ({words}).",
    "exclamation": "It uses exclamation marks.",
    "caps_emphasis": "It shouts words in capitals ({words}).",
    "ellipsis": "It trails off with an ellipsis, holding something back.",
}
# The n-gram views become two reasons, by the sign of their summed weight.
VIEW_REASONS = {
    "shape": (
        ("clickbait_phrasing", "Its phrasing follows patterns common in clickbait"),
        ("news_phrasing", "Its phrasing reads like a plain news report"),
    ),
    "wording": (
        ("clickbait_wording", "Its wording is typical of clickbait"),
        ("news_wording", "Its wording is typical of sober news headlines"),
    ),
}
VIEW_GROUP = {"shape": "shape", "words": "wording", "chars": "wording"}
MIN_REASON_WEIGHT = 0.05
MIN_HIGHLIGHT_WEIGHT = 0.05


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
        self._char_cache: dict[str, list[int]] = {}

    def _gram_ids(self, view, headline, tokens, with_tokens):
        """Vocabulary ids of a view's n-grams, each with the tokens it covers."""
        vocabulary = self.vocabularies[view]
        ids, owners = [], []
        for gram, idx in with_tokens(headline):
            j = vocabulary.get(gram)
            if j is None:
                continue
            if view == "shape":
                # Masked topic words carry no weight of their own in this view.
                idx = tuple(i for i in idx if tokens[i].masked != CONTENT)
            ids.append(j)
            owners.append(idx)
        return np.array(ids, dtype=np.intp), owners

    def _char_ids(self, tokens):
        """Character n-gram ids and their token; a word's ids are computed once."""
        ids, owners = [], []
        for i, tok in enumerate(tokens):
            if not tok.text[0].isalnum() or tok.masked == SIGNAL:
                continue
            word_ids = self._char_cache.get(tok.lower)
            if word_ids is None:
                vocabulary = self.vocabularies["chars"]
                word_ids = [
                    vocabulary[g] for g in char_grams(tok.lower) if g in vocabulary
                ]
                if len(self._char_cache) < 100_000:
                    self._char_cache[tok.lower] = word_ids
            ids.extend(word_ids)
            owners.extend([i] * len(word_ids))
        return np.array(ids, dtype=np.intp), np.array(owners, dtype=np.intp)

    def explain(self, headline: str) -> dict:
        """Probability, reasons and highlights for one headline.

        Computes the pipeline's features itself (the same tf-idf arithmetic as
        the fitted vectorizers, checked against ``predict_proba`` in the tests),
        which keeps one headline well under a millisecond.
        """
        tokens = tokenize(headline)
        token_weight: dict[int, float] = defaultdict(float)
        reasons = []
        logit = self.offset

        # Framing signals: one reason each, weight shared by the tokens that fired.
        _, hits = signal_hits(headline)
        for (code, _, cap), weight in zip(SIGNALS, self.blocks["framing"], strict=True):
            fired = hits[code]
            contribution = float(weight) * min(len(fired), cap) / cap
            if contribution == 0:
                continue
            logit += contribution
            for i in fired:
                token_weight[i] += contribution / len(fired)
            words = ", ".join(
                f'"{w}"' for w in dict.fromkeys(tokens[i].text for i in fired)
            )
            reasons.append(
                {
                    "code": code,
                    "message": SIGNAL_MESSAGES[code].format(words=words),
                    "weight": contribution,
                }
            )

        # N-gram views: each n-gram's weight shared by the words that formed it.
        group_total: dict[str, float] = defaultdict(float)
        group_terms: dict[str, Counter] = defaultdict(Counter)
        for view, (_, with_tokens) in NGRAM_VIEWS.items():
            if view == "chars":
                ids, owners = self._char_ids(tokens)
            else:
                ids, owners = self._gram_ids(view, headline, tokens, with_tokens)
            if not len(ids):
                continue
            # sublinear tf times idf, L2-normalised: TfidfVectorizer's arithmetic.
            unique, inverse, counts = np.unique(
                ids, return_inverse=True, return_counts=True
            )
            values = (1.0 + np.log(counts)) * self.idf[view][unique]
            norm = float(np.sqrt(values @ values)) or 1.0
            per_occurrence = (self.blocks[view][unique] * values / norm / counts)[
                inverse
            ]
            total = float(per_occurrence.sum())
            logit += total
            group = VIEW_GROUP[view]
            group_total[group] += total
            if isinstance(owners, np.ndarray):  # one token per n-gram
                per_token = np.bincount(owners, per_occurrence, len(tokens))
                for i in np.flatnonzero(per_token).tolist():
                    token_weight[i] += float(per_token[i])
                    group_terms[group][i] += float(per_token[i])
                continue
            for owner, part in zip(owners, per_occurrence.tolist(), strict=True):
                for i in owner:
                    token_weight[i] += part / len(owner)
                    group_terms[group][i] += part / len(owner)
        for group, total in group_total.items():
            (up_code, up_text), (down_code, down_text) = VIEW_REASONS[group]
            code, text = (up_code, up_text) if total > 0 else (down_code, down_text)
            ranked = sorted(group_terms[group].items(), key=lambda kv: -abs(kv[1]))
            terms = list(
                dict.fromkeys(tokens[i].text for i, c in ranked if c * total > 0)
            )[:3]
            if terms:
                text += " (" + ", ".join(f'"{t}"' for t in terms) + ")"
            reasons.append({"code": code, "message": text + ".", "weight": total})

        reasons = [r for r in reasons if abs(r["weight"]) >= MIN_REASON_WEIGHT]
        reasons.sort(key=lambda r: -abs(r["weight"]))
        for r in reasons:
            r["weight"] = round(r["weight"], 3)
        highlights = [
            {
                "start": tokens[i].start,
                "end": tokens[i].end,
                "text": tokens[i].text,
                "weight": round(w, 3),
            }
            for i, w in sorted(token_weight.items())
            if abs(w) >= MIN_HIGHLIGHT_WEIGHT
        ]
        return {
            "probability": float(expit(logit)),
            "reasons": reasons,
            "highlights": highlights,
        }
