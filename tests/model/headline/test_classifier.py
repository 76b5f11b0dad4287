import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from model.headline.classifier import FramingLogisticRegression, TemperatureScaled


def test_matches_logistic_regression_without_bounds():
    X, y = make_classification(n_samples=400, n_features=8, random_state=0)
    ours = FramingLogisticRegression(C=1.0).fit(X, y)
    ref = LogisticRegression(C=1.0, tol=1e-8, max_iter=5000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-3)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-3)


def test_first_columns_stay_at_or_above_their_floors():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 4))
    y = (X[:, 0] < 0).astype(int)  # column 0 predicts the negative class
    free = FramingLogisticRegression(C=1.0).fit(X, y)
    bounded = FramingLogisticRegression(C=1.0, lower_bounds=(0.0, 0.5)).fit(X, y)
    assert free.coef_[0, 0] < -1
    assert bounded.coef_[0, 0] == 0.0
    assert bounded.coef_[0, 1] >= 0.5


def test_temperature_keeps_ranking_and_threshold():
    X, y = make_classification(n_samples=300, n_features=5, random_state=2)
    base = FramingLogisticRegression(C=1.0)
    cold = TemperatureScaled(base).fit(X, y)
    warm = TemperatureScaled(base, temperature=4.0).fit(X, y)
    p_cold, p_warm = cold.predict_proba(X)[:, 1], warm.predict_proba(X)[:, 1]
    assert (np.argsort(p_cold) == np.argsort(p_warm)).all()
    assert ((p_cold >= 0.5) == (p_warm >= 0.5)).all()
    assert (np.abs(p_warm - 0.5) <= np.abs(p_cold - 0.5) + 1e-12).all()
    assert (cold.predict(X) == warm.predict(X)).all()


def test_probabilities_are_consistent():
    X, y = make_classification(n_samples=200, n_features=5, random_state=1)
    model = FramingLogisticRegression(C=0.5).fit(X, y)
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert list(model.classes_) == [0, 1]
    assert ((proba[:, 1] >= 0.5) == (model.predict(X) == 1)).all()
