"""Fast paths for scoring one article with the fitted stance model.

scikit-learn predicts with each of a boosted model's hundreds of trees in turn,
through a threaded routine whose start-up cost dominates for a single row (tens
of milliseconds for one check on a busy machine); its vectorizers validate their
input at similar cost. These classes read the same fitted parameters and do the
same arithmetic in a few numpy operations. The tests check them against
``predict_proba`` and ``decision_function``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, softmax


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
        tf = 1.0 + np.log(counts) if self.sublinear else counts.astype(float)
        values = tf * self.idf[unique]
        return float(values @ self.coef[unique] / np.linalg.norm(values)) + (
            self.intercept
        )
