"""A logistic regression whose framing-signal coefficients may not go negative."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.linear_model._base import LinearClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data


class FramingLogisticRegression(LinearClassifierMixin, BaseEstimator):
    """L2-penalised logistic regression with lower bounds on the first columns.

    The first ``len(lower_bounds)`` columns are the named framing signals
    (question form, curiosity gap, certainty, alarm, ...). What they mean is
    decided by design, not by one corpus: a question mark or an alarm word can
    make a headline more sensational, never less. A corpus whose sober side
    happens to use alarm words more often (news reports "warn" and "fear") would
    otherwise teach a negative weight, and the explanation would tell a reader
    that alarm lowered the score. Each of these coefficients is held at or above
    its bound; the rest of the columns are unconstrained.

    The objective is scikit-learn's: ``C * sum(log-loss) + 0.5 * ||w||^2``, with
    an unpenalised intercept, minimised by L-BFGS-B with bounds.
    """

    def __init__(self, C: float = 1.0, lower_bounds=(), max_iter: int = 2000):
        self.C = C
        self.lower_bounds = lower_bounds
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None):
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

        def objective(params):
            w, b = params[:-1], params[-1]
            margin = sign * (X @ w + b)
            loss = self.C * np.dot(weight, np.logaddexp(0.0, -margin))
            dz = -self.C * weight * sign * expit(-margin)
            grad = np.empty_like(params)
            grad[:-1] = X.T @ dz + w
            grad[-1] = dz.sum()
            return loss + 0.5 * np.dot(w, w), grad

        floors = [float(b) for b in self.lower_bounds]
        bounds = [(b, None) for b in floors] + [(None, None)] * (
            n_features - len(floors) + 1
        )
        start = np.zeros(n_features + 1)
        start[: len(floors)] = floors
        result = minimize(
            objective,
            start,
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": self.max_iter},
        )
        self.coef_ = result.x[:-1].reshape(1, -1)
        self.intercept_ = result.x[-1:].copy()
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
