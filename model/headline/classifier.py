"""A logistic regression whose framing-signal coefficients may not go negative."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.linear_model._base import LinearClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data


class PairRows:
    """Same-story comparisons for ``FramingLogisticRegression.fit``.

    ``diff`` holds one row per pair, the features of the headline that should
    score higher minus those of the one that should not; ``weight`` one weight
    per pair. A plain holder, not an array, so that scikit-learn's
    cross-validation passes it to every fold whole instead of slicing it like
    the per-row arguments (the pairs are of other headlines than the rows).

    ``nuisance`` (one row per pair, a few dense columns) holds differences a
    pair may show that are not framing, such as length: an outlet's headline
    runs longer than an editor's neutral one. Each column gets a coefficient of
    its own, used by the pairwise loss only and never in a score, so the
    difference is accounted for instead of being learned by the word and
    punctuation n-grams that long headlines have more of.
    """

    def __init__(self, diff, weight, nuisance=None) -> None:
        self.diff = diff
        self.weight = np.asarray(weight, dtype=float)
        self.nuisance = (
            np.zeros((diff.shape[0], 0))
            if nuisance is None
            else np.asarray(nuisance, dtype=float).reshape(diff.shape[0], -1)
        )


class FramingLogisticRegression(LinearClassifierMixin, BaseEstimator):
    """L2-penalised logistic regression with bounds on the first columns.

    The first ``len(lower_bounds)`` columns are the named framing signals
    (question form, curiosity gap, certainty, alarm, ...). What they mean is
    decided by design, not by one corpus: a question mark or an alarm word can
    make a headline more sensational, never less. A corpus whose sober side
    happens to use alarm words more often (news reports "warn" and "fear") would
    otherwise teach a negative weight, and the explanation would tell a reader
    that alarm lowered the score. Each of these coefficients is held at or above
    its bound; the rest of the columns are unconstrained.

    Sober signals (a debunk, an attribution) are the mirror image: they may
    lower a score, never raise it, so their ``upper_bounds`` are 0.

    The objective is scikit-learn's: ``C * sum(log-loss) + 0.5 * ||w||^2``, with
    an unpenalised intercept, minimised by L-BFGS-B with bounds. With ``pairs``
    (``PairRows``), each same-story pair adds ``C * weight * log(1 + exp(-d.w))``
    for its feature difference d: a pairwise (Bradley-Terry) loss in which the
    story's topic cancels and the intercept has no part.
    """

    def __init__(
        self, C: float = 1.0, lower_bounds=(), upper_bounds=(), max_iter: int = 2000
    ):
        self.C = C
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None, pairs: PairRows | None = None):
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) != 2:
            raise ValueError("FramingLogisticRegression needs exactly two classes")
        sign = 2.0 * encoded - 1.0
        weight = (
            np.ones(X.shape[0])
            if sample_weight is None
            else np.asarray(sample_weight, dtype=float)
        )
        n_features = X.shape[1]
        diff = pair_weight = None
        nuisance = np.zeros((0, 0))
        if pairs is not None and pairs.diff.shape[0]:
            diff = pairs.diff.tocsr() if hasattr(pairs.diff, "tocsr") else pairs.diff
            pair_weight = pairs.weight
            nuisance = pairs.nuisance
        k = nuisance.shape[1]

        def objective(params):
            w, b, v = params[:n_features], params[n_features], params[n_features + 1 :]
            margin = sign * (X @ w + b)
            loss = self.C * np.dot(weight, np.logaddexp(0.0, -margin))
            dz = -self.C * weight * sign * expit(-margin)
            grad = np.empty_like(params)
            grad[:n_features] = X.T @ dz + w
            grad[n_features] = dz.sum()
            grad[n_features + 1 :] = v
            if diff is not None:
                m = diff @ w + (nuisance @ v if k else 0.0)
                loss += self.C * np.dot(pair_weight, np.logaddexp(0.0, -m))
                dm = -self.C * pair_weight * expit(-m)
                grad[:n_features] += diff.T @ dm
                if k:
                    grad[n_features + 1 :] += nuisance.T @ dm
            return loss + 0.5 * (np.dot(w, w) + np.dot(v, v)), grad

        bounds = [(None, None)] * (n_features + 1 + k)
        for i, low in enumerate(self.lower_bounds):
            bounds[i] = (float(low), bounds[i][1])
        for i, high in enumerate(self.upper_bounds):
            if high is not None:
                bounds[i] = (bounds[i][0], float(high))
        start = np.array(
            [min(max(0.0, lo or 0.0), 0.0 if hi is None else hi) for lo, hi in bounds]
        )
        result = minimize(
            objective,
            start,
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": self.max_iter},
        )
        self.coef_ = result.x[:n_features].reshape(1, -1)
        self.intercept_ = result.x[n_features : n_features + 1].copy()
        # What the pairs' nuisance columns took up (length ...), for the record.
        self.pair_nuisance_ = result.x[n_features + 1 :].copy()
        self.n_iter_ = np.array([result.nit])
        return self

    def predict_proba(self, X):
        check_is_fitted(self)
        p = expit(self.decision_function(X))
        return np.column_stack([1.0 - p, p])


class TemperatureScaled(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """A fitted binary classifier's log-odds divided by a temperature.

    Calibration inside one corpus is overconfident on other publishers: a sober
    headline gets 0.001 and a sensational one on the same story 0.01, and both
    show as 0. Dividing the log-odds by a temperature (chosen by ``train`` on
    headlines from other publishers) keeps every ranking and the 0.5 threshold,
    so accuracy and ROC-AUC are unchanged, and spreads the low end honestly.
    ``temperature`` does not affect ``fit``.
    """

    def __init__(self, estimator, temperature: float = 1.0):
        self.estimator = estimator
        self.temperature = temperature

    def fit(self, X, y, **fit_params):
        self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        self.classes_ = self.estimator_.classes_
        return self

    def decision_function(self, X):
        check_is_fitted(self)
        p = np.clip(self.estimator_.predict_proba(X)[:, 1], 1e-15, 1 - 1e-15)
        return np.log(p / (1.0 - p)) / self.temperature

    def predict_proba(self, X):
        p = expit(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        return self.classes_[(self.decision_function(X) >= 0).astype(int)]
