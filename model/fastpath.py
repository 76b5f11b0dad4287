"""scikit-learn's arithmetic, re-done in numpy where serving needs the speed.

scikit-learn predicts with each of a boosted model's hundreds of trees in turn,
through a threaded routine whose start-up cost dominates for a single row (one
stance row: 133 ms in plain scikit-learn, 0.26 ms here); its vectorizers
validate their input at similar cost. The classes and functions here read the
same fitted parameters and do the same arithmetic in a few numpy operations:
TF-IDF rows (for the headline's explanation and the stance features), boosted
trees and a linear text model.

This is the only module that re-implements scikit-learn. It cannot drift
silently: training stores scikit-learn's own outputs for fixed probe inputs in
the artifact's metadata (``reference_outputs``), and loading recomputes them on
the fast path and refuses the model if they differ (``check_probes``).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, softmax

#: Inputs whose outputs training records and loading recomputes on the fast path.
PROBE_HEADLINES = (
    "Is Russia officially entering war with NATO? Kremlin official confirms troops",
    "You Won't Believe What This Dog Did Next",
    "17 Photos That Will Make You Cry",
    "Council approves budget for road repairs after public consultation",
    "SHOCKING: Scientists Warn Of Deadly New Virus!!!",
    "Why everyone is talking about this one weird trick...",
    "Central bank holds interest rates at 4.5%",
    "",
)
PROBE_PAIRS = (
    (
        "Apple to unveil a foldable iPhone next week",
        "Apple will hold an event next week. People familiar with the plans said a "
        "foldable phone is not expected. The company declined to comment on the "
        "reports, which analysts said were premature.",
    ),
    (
        "Council approves road repair budget",
        "The city council approved a budget of 4 million for road repairs on "
        "Tuesday. Work starts in May, the council said, after a public "
        "consultation in which residents named potholes as their main concern.",
    ),
    (
        "Is France officially entering war? Spy chief confirms troops",
        "NATO states agreed not to send soldiers to Ukrainian soil, officials said. "
        "France's president denied the claims and said no decision had been made.",
    ),
    (
        "Banksy arrested in London",
        "A cat was rescued from a tree by firefighters on Sunday. It was unharmed.",
    ),
)
#: Largest difference allowed between scikit-learn's and the fast path's outputs.
PROBE_TOLERANCE = 1e-7


def reference_outputs(name: str, estimator) -> list | None:
    """scikit-learn's own outputs for the probe inputs, to store in the metadata."""
    if not hasattr(estimator, "predict_proba"):
        return None
    if name == "headline":
        return estimator.predict_proba(list(PROBE_HEADLINES))[:, 1].tolist()
    if name == "stance":
        return estimator.predict_proba(list(PROBE_PAIRS)).tolist()
    return None


def probe_mismatch(recorded, fast) -> str | None:
    """Why the fast path's probe outputs differ from the recorded ones, or None."""
    if recorded is None:
        return "its metadata has no probe outputs"
    recorded, fast = np.asarray(recorded, float), np.asarray(fast, float)
    if recorded.shape != fast.shape:
        return f"probe outputs have shape {recorded.shape}, the fast path {fast.shape}"
    gap = float(np.max(np.abs(recorded - fast), initial=0.0))
    if not gap <= PROBE_TOLERANCE:
        return f"the fast path differs from scikit-learn by {gap:.3g} on the probes"
    return None


def tfidf_values(
    counts: np.ndarray, idf: np.ndarray, rows: np.ndarray, n_rows: int
) -> np.ndarray:
    """TfidfVectorizer(sublinear_tf=True, norm="l2") values of (row, term) cells.

    ``counts[i]`` is how often term i's cell occurs in row ``rows[i]`` and
    ``idf[i]`` the term's idf: each value is (1 + log count) * idf, divided by
    its row's L2 norm (a row with no terms keeps norm 1).
    """
    values = (1.0 + np.log(counts)) * idf
    norms = np.sqrt(np.bincount(rows, values * values, minlength=n_rows))
    norms[norms == 0] = 1.0
    return values / norms[rows].astype(values.dtype, copy=False)


class CompiledBoosting:
    """A fitted HistGradientBoostingClassifier's trees, walked all at once."""

    def __init__(self, booster) -> None:
        nodes, roots, classes = [], [], []
        offset = 0
        for iteration in booster._predictors:
            for k, predictor in enumerate(iteration):
                tree = predictor.nodes
                if tree["is_categorical"].any():
                    raise ValueError("categorical splits are not supported")
                roots.append(offset)
                classes.append(k)
                nodes.append((tree, offset))
                offset += len(tree)
        flat = np.concatenate([tree for tree, _ in nodes])
        shift = np.concatenate([np.full(len(tree), off) for tree, off in nodes])
        self.feature = flat["feature_idx"].astype(np.intp)
        self.threshold = flat["num_threshold"]
        self.missing_left = flat["missing_go_to_left"].astype(bool)
        self.leaf = flat["is_leaf"].astype(bool)
        # A leaf points at itself, so walking on from it stays put.
        here = np.arange(len(flat))
        self.left = np.where(self.leaf, here, flat["left"].astype(np.intp) + shift)
        self.right = np.where(self.leaf, here, flat["right"].astype(np.intp) + shift)
        self.value = flat["value"]
        self.roots = np.array(roots, dtype=np.intp)
        self.tree_class = np.array(classes, dtype=np.intp)
        self.depth = int(flat["depth"].max())
        self.baseline = np.asarray(booster._baseline_prediction).ravel()
        self.n_outputs = len(self.baseline)

    def raw(self, X: np.ndarray) -> np.ndarray:
        """Raw scores (log-odds), one column per tree output."""
        X = np.asarray(X, dtype=np.float64)
        node = np.broadcast_to(self.roots, (len(X), len(self.roots))).copy()
        rows = np.arange(len(X))[:, np.newaxis]
        for _ in range(self.depth):
            x = X[rows, self.feature[node]]
            go_left = np.where(
                np.isnan(x), self.missing_left[node], x <= self.threshold[node]
            )
            node = np.where(go_left, self.left[node], self.right[node])
        values = self.value[node]
        out = np.tile(self.baseline, (len(X), 1))
        for k in range(self.n_outputs):
            out[:, k] += values[:, self.tree_class == k].sum(axis=1)
        return out

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        raw = self.raw(X)
        if self.n_outputs == 1:
            p = expit(raw[:, 0])
            return np.column_stack([1.0 - p, p])
        return softmax(raw, axis=1)


class LinearTextScorer:
    """A TF-IDF vectorizer and a linear model's decision function, for one text."""

    def __init__(self, vectorizer, model) -> None:
        self.vocabulary = vectorizer.vocabulary_
        self.idf = vectorizer.idf_
        self.sublinear = vectorizer.sublinear_tf
        self.coef = np.asarray(model.coef_).ravel()
        self.intercept = float(np.asarray(model.intercept_).ravel()[0])

    def decision(self, tokens: list[str]) -> float:
        ids = [self.vocabulary[t] for t in tokens if t in self.vocabulary]
        if not ids:
            return self.intercept
        unique, counts = np.unique(ids, return_counts=True)
        if self.sublinear:
            values = tfidf_values(counts, self.idf[unique], np.zeros_like(unique), 1)
        else:
            values = counts * self.idf[unique]
            values = values / np.linalg.norm(values)
        return float(values @ self.coef[unique]) + self.intercept
