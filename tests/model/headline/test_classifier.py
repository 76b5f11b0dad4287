import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from model.headline.classifier import (
    FramingLogisticRegression,
    PairRows,
    TemperatureScaled,
)


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


def test_sober_columns_stay_at_or_below_their_ceilings():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(500, 3))
    y = (X[:, 0] > 0).astype(int)  # column 0 predicts the positive class
    bounded = FramingLogisticRegression(
        C=1.0, lower_bounds=(-np.inf, 0.0), upper_bounds=(-1.0, None)
    ).fit(X, y)
    assert bounded.coef_[0, 0] == -1.0
    assert bounded.coef_[0, 1] >= 0.0


def _rows_and_pairs(seed: int = 0):
    """Rows where column 0 is noise, and pairs in which it decides the order."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(400, 3))
    y = (X[:, 1] > 0).astype(int)
    higher, lower = rng.normal(size=(300, 3)), rng.normal(size=(300, 3))
    higher[:, 0] += 2.0  # the framing difference the pairs teach
    return X, y, higher, lower


def test_pairs_teach_what_the_rows_cannot():
    X, y, higher, lower = _rows_and_pairs()
    rows_only = FramingLogisticRegression(C=1.0).fit(X, y)
    both = FramingLogisticRegression(C=1.0).fit(
        X, y, pairs=PairRows(higher - lower, np.ones(len(higher)))
    )
    assert both.coef_[0, 0] > 0.5
    assert both.coef_[0, 0] > 4 * abs(rows_only.coef_[0, 0])
    # The rows' own signal is still learned.
    assert both.coef_[0, 1] > 0.5


def test_a_pair_weight_of_zero_is_no_pair():
    X, y, higher, lower = _rows_and_pairs(1)
    rows_only = FramingLogisticRegression(C=1.0).fit(X, y)
    weightless = FramingLogisticRegression(C=1.0).fit(
        X, y, pairs=PairRows(higher - lower, np.zeros(len(higher)))
    )
    np.testing.assert_allclose(weightless.coef_, rows_only.coef_, atol=1e-4)


def test_nuisance_columns_take_up_what_is_not_framing():
    # In every pair the higher one is also longer; a length column of the
    # pairs alone explains the order, and a feature that merely grows with
    # length (column 0) is not credited with it.
    rng = np.random.default_rng(2)
    X = rng.normal(size=(400, 2))
    y = (X[:, 1] > 0).astype(int)
    length = rng.uniform(0.5, 2.0, size=(300, 1))
    diff = np.column_stack([length[:, 0] + rng.normal(0, 0.3, 300), np.zeros(300)])
    plain = FramingLogisticRegression(C=1.0).fit(
        X, y, pairs=PairRows(diff, np.ones(300))
    )
    with_nuisance = FramingLogisticRegression(C=1.0).fit(
        X, y, pairs=PairRows(diff, np.ones(300), nuisance=length)
    )
    assert with_nuisance.coef_[0, 0] < 0.5 * plain.coef_[0, 0]
    assert with_nuisance.pair_nuisance_[0] > 0
    assert with_nuisance.coef_.shape == (1, 2)
