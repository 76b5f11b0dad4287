"""Fitting the body evidence weights: non-negative, monotone, on the cases built."""

import numpy as np
import pytest
from scipy.special import expit

from model.body.rules import EVIDENCE
from model.training import combination as cb


def simulated(n=4000, seed=0):
    """Cases whose first feature raises the odds of label 1 and whose second
    fires on label 0 only."""
    rng = np.random.default_rng(seed)
    offset = rng.normal(-0.5, 1.0, n)
    x1 = (rng.random(n) < 0.3).astype(float)
    y = (rng.random(n) < expit(offset + 1.5 * x1)).astype(float)
    x2 = ((rng.random(n) < 0.3) & (y == 0)).astype(float)
    return np.column_stack([x1, x2]), y, offset


def test_fit_weights_recovers_the_evidence_and_never_goes_negative():
    X, y, offset = simulated()
    weights = cb.fit_weights(X, y, offset, l2=0.0)
    assert weights[0] == pytest.approx(1.5, abs=0.25)
    # A feature that marks fair cases would lower scores: it is held at zero.
    assert weights[1] == 0.0


def test_more_evidence_never_lowers_the_score():
    X, y, offset = simulated(seed=1)
    weights = cb.fit_weights(X, y, offset)
    assert (weights >= 0).all()
    base = np.zeros(2)
    for k in range(2):
        more = base.copy()
        more[k] = 1.0
        assert expit(0.0 + more @ weights) >= expit(0.0 + base @ weights)


def test_cases_for_body():
    related = [
        ("Mayor resigns over budget", "agree"),
        ("Mayor said to be resigning", "discuss"),
        ("Mayor did not resign, despite reports", "disagree"),
    ]
    body = "The mayor announced on Monday that he would resign over the budget."
    cases = cb.cases_for_body(7, body, related)
    kinds = {c.kind: c for c in cases}
    assert set(kinds) == set(cb.KINDS)
    assert [c.label for c in cases if c.kind == "fnc1"] == [1, 0, 0]
    assert kinds["question_of_disputed"].headline == (
        "Is it true that mayor did not resign, despite reports?"
    )
    assert kinds["question_of_disputed"].label == 1
    assert kinds["certainty_over_discussion"].headline.startswith(
        "Officially confirmed: "
    )
    actor = kinds["unnamed_actor"].headline.split(" confirms: ")[0]
    assert actor in cb.ACTORS and actor.split()[0].lower() not in body.lower()
    assert kinds["certainty_backed"].label == 0
    # The same cases on every run.
    assert cb.cases_for_body(7, body, related) == cases


def test_evidence_row_is_zero_when_the_body_could_not_be_checked():
    from model.body.rules import Finding

    finding = Finding(
        "question_answered", "m", ("s",), "answers_question", "answers_no"
    )
    row, checked = cb.evidence_row({"status": "checked"}, [finding])
    assert checked and row[EVIDENCE.index("answers_no")] == 1.0
    row, checked = cb.evidence_row({"status": "could_not_check"}, [finding])
    assert not checked and not row.any()


def test_measure_counts_false_alarms_on_fair_pairs():
    cases = [
        cb.Case("a", 0, 0, "fnc1", "agree"),
        cb.Case("b", 0, 0, "fnc1", "discuss"),
        cb.Case("c", 0, 1, "fnc1", "disagree"),
        cb.Case("d", 0, 1, "unnamed_actor", ""),
    ]
    X = np.zeros((4, len(EVIDENCE)))
    X[1, 0] = X[2, 0] = X[3, 4] = 1.0
    weights = np.tile(np.full(len(EVIDENCE), 2.0), (4, 1))
    figures = cb.measure_combined(cases, X, np.ones(4, bool), np.full(4, 0.3), weights)
    assert figures["false_alarm_rate"] == 0.5
    assert figures["disputed_raised_rate"] == 1.0
    assert figures["raised_rate_by_kind"]["unnamed_actor"] == 1.0
