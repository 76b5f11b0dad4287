"""Features of a (headline, body) pair for the stance model.

The features of the FNC-1 baseline and of its best systems (UCL, Athene), as one
dense row per pair, used at training and at serving time:

- relatedness: TF-IDF and LSA (truncated SVD) cosine between the headline and
  the body, its lead and its sentences; stem, content-word, n-gram, name and
  number overlap; co-occurrence with the body's opening 255 characters;
- stance: refuting, negating, hedging and supporting cue words and denial
  phrases in the headline, across the body, in its lead, and in the sentences
  most similar to the headline, plus their parity ("polarity", as the baseline
  computes it).

A body is processed once (``body_doc``) whatever the number of headlines it is
paired with, so a check costs one body's processing and one row's arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from model.body.scope import SCOPE_NAMES, SentenceCues, scope_features, sentence_cues
from model.body.text import (
    CUES,
    MAX_BODY_WORDS,
    STOP_WORDS,
    cased_words,
    cue_counts,
    split_sentences,
    stem,
    truncate_words,
    words,
)
from model.fastpath import tfidf_values

LEAD_SENTENCES = 3
OPENING_CHARS = 255
TOP_SENTENCES = 3


def _identity(tokens):
    return tokens


def _ngrams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


@dataclass
class HeadlineDoc:
    """A headline's words, stems and vectors, computed once per headline."""

    text: str
    stems: list[str]
    content: frozenset[str]
    bigrams: set
    trigrams: set
    names: frozenset[str]  # stems of capitalised words after the first
    numbers: frozenset[str]
    cues: np.ndarray  # refute, negation, hedge, support, denial
    tokens: list[str]
    vector: np.ndarray  # dense unit TF-IDF over the vocabulary
    lsa: np.ndarray  # unit LSA vector


@dataclass
class BodyDoc:
    """A body's sentences and their vectors, computed once per body."""

    text: str
    sentences: list[str]
    sentence_words: list[list[str]]
    sentence_stems: list[set[str]]
    stem_sequence: list[str]  # every stem of the body, in order
    matrix: sparse.csr_matrix  # unit TF-IDF rows: sentences, then body, then lead
    lsa: np.ndarray  # unit LSA rows, in the same order
    stems: frozenset[str]
    words: frozenset[str]
    bigrams: set
    trigrams: set
    lead_stems: frozenset[str]
    opening_stems: frozenset[str]
    cues: np.ndarray  # (sentences, 7): CUES, then question and quote marks
    scope: list[SentenceCues]  # each sentence's cue positions
    n_words: int


# Column names, in order (see ``pair_features``).
SIMILARITY = (
    "tfidf_body",
    "tfidf_lead",
    "tfidf_sentence_max",
    "tfidf_sentence_top3",
    "best_sentence_position",
    "lsa_body",
    "lsa_lead",
    "lsa_sentence_max",
    "stem_jaccard",
    "content_in_body",
    "content_in_body_idf",
    "content_in_lead",
    "content_in_opening",
    "content_in_best_sentence",
    "bigrams_in_body",
    "trigrams_in_body",
    "names_in_body",
    "numbers_in_body",
    "headline_content_words",
    "body_words_log",
    "body_sentences_log",
)
_SENTENCE_CUES = CUES + ("question", "quote")
FEATURE_NAMES = (
    SIMILARITY
    + tuple(f"headline_{c}" for c in CUES + ("question",))
    + tuple(f"body_{c}_rate" for c in _SENTENCE_CUES)
    + tuple(f"lead_{c}" for c in _SENTENCE_CUES)
    + tuple(f"similar_{c}" for c in _SENTENCE_CUES)
    + tuple(f"top3_{c}" for c in _SENTENCE_CUES)
    + ("headline_polarity", "top3_polarity", "polarity_differs")
    # How much of the headline a denying / hedging / supporting sentence restates:
    # "Christian Bale will not be starring as Steve Jobs".
    + ("claim_denied", "claim_hedged", "claim_supported", "denying_restatements")
    # Cues in the scope of the headline's terms (``model.body.scope``).
    + SCOPE_NAMES
)


class StanceFeatures(TransformerMixin, BaseEstimator):
    """Dense features of (headline, body) pairs; fit learns the TF-IDF and LSA."""

    def __init__(
        self,
        max_features: int = 15_000,
        min_df: int = 2,
        n_components: int = 50,
        random_state: int = 0,
    ):
        self.max_features = max_features
        self.min_df = min_df
        self.n_components = n_components
        self.random_state = random_state

    def fit(self, X, y=None):
        """Learn the vocabulary, IDF and LSA from the distinct texts of the pairs."""
        headlines = list(dict.fromkeys(h for h, _ in X))
        bodies = list(dict.fromkeys(b for _, b in X))
        docs = [[stem(w) for w in words(h)] for h in headlines] + [
            [stem(w) for w in words(truncate_words(b))] for b in bodies
        ]
        vectorizer = TfidfVectorizer(
            analyzer=_identity,
            min_df=self.min_df,
            max_features=self.max_features,
            sublinear_tf=True,
            dtype=np.float32,
        )
        matrix = vectorizer.fit_transform(docs)
        # Only what transform needs is kept: the fitted vectorizer's stop_words_
        # would hold every pruned term and weigh more than the model.
        self.vocabulary_ = dict(vectorizer.vocabulary_)
        self.idf_ = vectorizer.idf_.astype(np.float32)
        svd = TruncatedSVD(self.n_components, random_state=self.random_state)
        svd.fit(matrix)
        self.components_ = svd.components_.astype(np.float32)
        return self

    def get_feature_names_out(self, input_features=None):
        return np.array(FEATURE_NAMES, dtype=object)

    def transform(self, X) -> np.ndarray:
        """One row per (headline, body) pair; each distinct text is processed once."""
        return self.transform_with_bodies(X)[0]

    def transform_with_bodies(self, X) -> tuple[np.ndarray, list[BodyDoc]]:
        """The rows of ``transform`` and each row's processed body."""
        headlines: dict[str, HeadlineDoc] = {}
        bodies: dict[str, BodyDoc] = {}
        docs = []
        rows = np.empty((len(X), len(FEATURE_NAMES)), dtype=np.float64)
        for i, (headline, body) in enumerate(X):
            h = headlines.get(headline)
            if h is None:
                h = headlines[headline] = self.headline_doc(headline)
            b = bodies.get(body)
            if b is None:
                b = bodies[body] = self.body_doc(body)
            rows[i] = self.pair_features(h, b)
            docs.append(b)
        return rows, docs

    def _tfidf(self, rows_of_stems) -> sparse.csr_matrix:
        """Unit-length sublinear TF-IDF rows: TfidfVectorizer's arithmetic."""
        vocabulary = self.vocabulary_
        indices: list[int] = []
        indptr = [0]
        for stems in rows_of_stems:
            indices.extend(vocabulary[s] for s in stems if s in vocabulary)
            indptr.append(len(indices))
        matrix = sparse.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr),
            shape=(len(indptr) - 1, len(self.idf_)),
        )
        matrix.sum_duplicates()
        row_of = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
        matrix.data = tfidf_values(
            matrix.data, self.idf_[matrix.indices], row_of, matrix.shape[0]
        )
        return matrix

    def headline_doc(self, headline: str) -> HeadlineDoc:
        tokens = words(headline)
        stems = [stem(w) for w in tokens]
        cased = cased_words(headline)
        matrix = self._tfidf([stems])
        vector = np.zeros(len(self.idf_), dtype=np.float32)
        vector[matrix.indices] = matrix.data
        return HeadlineDoc(
            text=headline,
            stems=stems,
            content=frozenset(
                s for w, s in zip(tokens, stems, strict=True) if w not in STOP_WORDS
            ),
            bigrams=_ngrams(stems, 2),
            trigrams=_ngrams(stems, 3),
            names=frozenset(
                stem(w.lower())
                for w in cased[1:]
                if w[0].isupper() and w.lower() not in STOP_WORDS
            ),
            numbers=frozenset(w for w in tokens if any(c.isdigit() for c in w)),
            cues=np.array(cue_counts(tokens), dtype=float),
            tokens=tokens,
            vector=vector,
            lsa=_unit_rows(matrix @ self.components_.T)[0],
        )

    def body_doc(self, body: str) -> BodyDoc:
        text = truncate_words(body, MAX_BODY_WORDS)
        sentences = split_sentences(text)
        sentence_words = [words(s) for s in sentences]
        sentence_stems = [[stem(w) for w in ws] for ws in sentence_words]
        all_stems = [s for ss in sentence_stems for s in ss]
        lead_stems = [s for ss in sentence_stems[:LEAD_SENTENCES] for s in ss]
        matrix = self._tfidf(sentence_stems + [all_stems, lead_stems])
        all_words = [w for ws in sentence_words for w in ws]
        cues = np.array(
            [
                cue_counts(ws) + (s.endswith("?"), '"' in s)
                for s, ws in zip(sentences, sentence_words, strict=True)
            ],
            dtype=float,
        ).reshape(len(sentences), len(_SENTENCE_CUES))
        return BodyDoc(
            text=text,
            sentences=sentences,
            sentence_words=sentence_words,
            sentence_stems=[set(ss) for ss in sentence_stems],
            stem_sequence=all_stems,
            matrix=matrix,
            lsa=_unit_rows(matrix @ self.components_.T),
            stems=frozenset(all_stems),
            words=frozenset(all_words),
            bigrams=_ngrams(all_stems, 2),
            trigrams=_ngrams(all_stems, 3),
            lead_stems=frozenset(lead_stems),
            opening_stems=frozenset(stem(w) for w in words(text[:OPENING_CHARS])),
            cues=cues,
            scope=[
                sentence_cues(s, ws)
                for s, ws in zip(sentences, sentence_words, strict=True)
            ],
            n_words=len(all_words),
        )

    def sentence_similarity(self, h: HeadlineDoc, b: BodyDoc) -> np.ndarray:
        """TF-IDF cosine of the headline with each row: sentences, body, lead."""
        return b.matrix @ h.vector

    def pair_features(self, h: HeadlineDoc, b: BodyDoc) -> np.ndarray:
        """The row of FEATURE_NAMES for one pair."""
        n = len(b.sentences)
        cosine = self.sentence_similarity(h, b)
        lsa = b.lsa @ h.lsa
        sims, body_cos, lead_cos = cosine[:n], cosine[n], cosine[n + 1]
        top = np.argsort(-sims, kind="stable")[:TOP_SENTENCES] if n else []
        best = int(top[0]) if n else 0
        # Sorted: a set's order changes with the interpreter's hash seed, and
        # so would the float sum below, and the fitted model with it.
        content = sorted(h.content)
        idf = [
            self.idf_[self.vocabulary_[s]] if s in self.vocabulary_ else 1.0
            for s in content
        ]
        in_body = [s in b.stems for s in content]
        similarity = [
            body_cos,
            lead_cos,
            sims.max() if n else 0.0,
            sims[top].mean() if n else 0.0,
            best / n if n else 1.0,
            lsa[n],
            lsa[n + 1],
            lsa[:n].max() if n else 0.0,
            len(set(h.stems) & b.stems) / (len(set(h.stems) | b.stems) or 1),
            _fraction(content, b.stems),
            float(np.dot(idf, in_body) / np.sum(idf)) if content else np.nan,
            _fraction(content, b.lead_stems),
            _fraction(content, b.opening_stems),
            _fraction(content, b.sentence_stems[best]) if n else 0.0,
            _fraction(h.bigrams, b.bigrams),
            _fraction(h.trigrams, b.trigrams),
            _fraction(h.names, b.stems),
            _fraction(h.numbers, b.words),
            len(content),
            np.log1p(b.n_words),
            np.log1p(n),
        ]
        if n:
            weights = np.clip(sims, 0.0, None)
            similar = weights @ b.cues / (weights.sum() or 1.0)
            rates = b.cues.mean(axis=0)
            lead = b.cues[:LEAD_SENTENCES].sum(axis=0)
            top3 = b.cues[top].sum(axis=0)
        else:
            rates = lead = similar = top3 = np.zeros(len(_SENTENCE_CUES))
        restated = _restatement(h, b)
        headline_polarity = (h.cues[0] + h.cues[1]) % 2
        top3_polarity = (top3[0] + top3[1]) % 2
        return np.concatenate(
            [
                similarity,
                h.cues,
                [h.text.rstrip().endswith("?") or "?" in h.text],
                rates,
                lead,
                similar,
                top3,
                [headline_polarity, top3_polarity, headline_polarity != top3_polarity],
                restated,
                scope_features(h.text, h.tokens, b.scope),
            ]
        )


def _restatement(h: HeadlineDoc, b: BodyDoc) -> list[float]:
    """The largest share of the headline's content words in a denying, hedging
    and supporting sentence, and the number of denying sentences sharing two."""
    if not h.content or not b.sentences:
        return [0.0, 0.0, 0.0, 0.0]
    shared = np.array([len(h.content & stems) for stems in b.sentence_stems])
    share = shared / len(h.content)
    refute, negation, hedge, support, denial = b.cues[:, :5].T
    denying = (refute + negation + denial) > 0
    return [
        float(share[denying].max(initial=0.0)),
        float(share[hedge > 0].max(initial=0.0)),
        float(share[support > 0].max(initial=0.0)),
        float(np.log1p(np.sum(denying & (shared >= 2)))),
    ]


def _fraction(items, within) -> float:
    """The share of ``items`` found in ``within``; NaN (missing) when none."""
    if not items:
        return np.nan
    return sum(1 for item in items if item in within) / len(items)
