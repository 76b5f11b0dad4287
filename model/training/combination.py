"""Fitting how much each kind of body evidence raises a score, on data.

The body check adds to the headline's log-odds ``sum_k w_k * x_k`` over the kinds
of evidence ``EVIDENCE`` (``model.body.rules``), each ``x_k`` in [0, 1] and each
``w_k >= 0``: a more supportive body (less evidence against the headline) never
raises a score. The weights are the logistic regression that is served: the
headline model's log-odds as offset, non-negative coefficients, no intercept
(no evidence, nothing added), L2-penalised, fitted by L-BFGS-B.

Cases come from FNC-1 training bodies, their evidence read by the stance model
of the fold that did not see their story (``model.training.stance``):

- ``fnc1``: each body with its own related headlines. Agreeing and discussing
  headlines are fair to their body (label 0); disagreeing ones claim what the
  body disputes (label 1). These are the pages a reader meets: the share of
  agree/discuss pairs raised by 15 points or more is the false-alarm rate.
- page-like rewrites of the same story (label 1): a disputed headline turned
  into a yes/no question ("Is it true that ...?"), a discussed claim stated as
  officially confirmed, and a claim pinned on an actor the body never names.
- ``certainty_backed`` (label 0): an agreed claim stated as confirmed; the body
  backs it.

Figures are out of fold twice over: the evidence by the stance model of another
fold, the weights fitted on the other stories' cases (5 folds by story).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, logit
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

from model.body.rules import EVIDENCE
from model.body.text import words
from model.scoring import to_score

L2 = 1.0  # on the weights only, per case: keeps separable kinds finite
RAISED = 15  # points: what a reader notices
MAX_FAIR_HEADLINES = 4  # agree/discuss headlines kept per body (all disputed ones)
# Whoever a rewritten claim is pinned on; one the body never names is chosen.
ACTORS = (
    "Russian spy chief",
    "Pentagon insider",
    "Vatican spokesman",
    "White House aide",
    "Chinese state media",
    "FBI whistleblower",
    "NASA scientist",
    "Kremlin official",
    "Interpol chief",
    "Saudi prince",
)
KINDS = (
    "fnc1",
    "question_of_disputed",
    "certainty_over_discussion",
    "unnamed_actor",
    "certainty_backed",
)


@dataclass(frozen=True)
class Case:
    """A headline over a body, with its label and where it came from."""

    headline: str
    body_index: int
    label: int
    kind: str
    stance: str  # the FNC-1 stance of the headline the case was made from


def _pick(items: list, key: str):
    """One item, chosen by a digest of ``key``, the same in every run."""
    return items[zlib.crc32(key.encode("utf-8")) % len(items)]


def _claim(headline: str) -> str:
    return " ".join(headline.split()).rstrip(".!?:;")


def cases_for_body(body_index: int, body: str, related: list[tuple[str, str]]):
    """The cases built from one body and its related (headline, stance) pairs."""
    by_stance: dict[str, list[str]] = {"agree": [], "disagree": [], "discuss": []}
    for headline, stance in related:
        by_stance[stance].append(headline)
    out = [Case(h, body_index, 1, "fnc1", "disagree") for h in by_stance["disagree"]]
    for stance in ("agree", "discuss"):
        out += [
            Case(h, body_index, 0, "fnc1", stance)
            for h in by_stance[stance][:MAX_FAIR_HEADLINES]
        ]
    key = str(body_index)
    if by_stance["disagree"]:
        claim = _claim(_pick(by_stance["disagree"], key))
        question = f"Is it true that {claim[:1].lower()}{claim[1:]}?"
        out.append(Case(question, body_index, 1, "question_of_disputed", "disagree"))
    if by_stance["discuss"]:
        claim = _claim(_pick(by_stance["discuss"], key))
        out.append(
            Case(
                f"Officially confirmed: {claim}",
                body_index,
                1,
                "certainty_over_discussion",
                "discuss",
            )
        )
    fair = by_stance["agree"] + by_stance["discuss"]
    body_words = set(words(body))
    absent = [a for a in ACTORS if not set(words(a)) & body_words]
    if fair and absent:
        claim = _claim(_pick(fair, key + "actor"))
        actor = _pick(absent, key)
        out.append(
            Case(f"{actor} confirms: {claim}", body_index, 1, "unnamed_actor", "")
        )
    if by_stance["agree"]:
        claim = _claim(_pick(by_stance["agree"], key + "agree"))
        out.append(
            Case(f"Confirmed: {claim}", body_index, 0, "certainty_backed", "agree")
        )
    return out


def evidence_row(state: dict, findings) -> tuple[np.ndarray, bool]:
    """The EVIDENCE row of one check (strongest finding per kind), and whether
    the body could be checked."""
    row = np.zeros(len(EVIDENCE))
    if state["status"] == "could_not_check":
        return row, False
    for f in findings:
        if f.evidence is not None and f.sentences:
            k = EVIDENCE.index(f.evidence)
            row[k] = max(row[k], f.value)
    return row, True


def read_evidence(checker, cases: list[Case], body_docs: dict) -> tuple:
    """Each case's evidence row and checked flag, read by ``checker``."""
    X = np.zeros((len(cases), len(EVIDENCE)))
    checked = np.zeros(len(cases), bool)
    for i, case in enumerate(cases):
        state, findings = checker.findings_of_docs(
            " ".join(case.headline.split()), body_docs[case.body_index]
        )
        X[i], checked[i] = evidence_row(state, findings)
    return X, checked


def fit_weights(X, y, offset, l2: float = L2) -> np.ndarray:
    """Non-negative weights of the logistic model served: offset plus evidence.

    No intercept: with no evidence the body adds nothing, so the headline
    model's log-odds must explain those cases alone, as they do when scoring.
    """
    X, y, offset = np.asarray(X, float), np.asarray(y, float), np.asarray(offset)
    n, k = X.shape

    def loss(w):
        z = offset + X @ w
        # log(1 + e^z) - y z, stably; its gradient is X'(p - y).
        value = np.sum(np.logaddexp(0, z) - y * z) + 0.5 * l2 * w @ w
        return value / n, (X.T @ (expit(z) - y) + l2 * w) / n

    result = minimize(
        loss, np.zeros(k), jac=True, method="L-BFGS-B", bounds=[(0, None)] * k
    )
    return result.x


def measure_combined(cases, X, checked, headline_p, weights_of_row) -> dict:
    """The combined score's figures; ``weights_of_row`` gives each case's weights
    (fitted without its story, for out-of-fold figures)."""
    y = np.array([c.label for c in cases])
    kinds = np.array([c.kind for c in cases])
    stances = np.array([c.stance for c in cases])
    added = np.einsum("ij,ij->i", X, weights_of_row)
    combined = expit(logit(np.clip(headline_p, 1e-9, 1 - 1e-9)) + added)
    points = np.array([to_score(c) for c in combined]) - np.array(
        [to_score(p) for p in headline_p]
    )
    raised = points >= RAISED
    fair = (kinds == "fnc1") & (y == 0)
    out = {
        "n": int(len(cases)),
        "false_alarm_rate": float(raised[fair].mean()),
        "fair_pairs": int(fair.sum()),
        "fair_raised_any_rate": float((points[fair] > 0).mean()),
        "could_not_check_rate": float(1 - checked[kinds == "fnc1"].mean()),
        "disputed_raised_rate": float(raised[(kinds == "fnc1") & (y == 1)].mean()),
        "roc_auc_combined": float(roc_auc_score(y, combined)),
        "roc_auc_headline_only": float(roc_auc_score(y, headline_p)),
        "raised_rate_by_kind": {
            kind: float(raised[kinds == kind].mean())
            for kind in KINDS
            if np.any(kinds == kind)
        },
        "agree_raised_rate": float(raised[fair & (stances == "agree")].mean()),
    }
    return out


def fit_and_measure(cases, X, checked, headline_p, groups, n_splits: int = 5):
    """Weights fitted on every case, and figures with weights fitted out of fold."""
    y = np.array([c.label for c in cases])
    offset = logit(np.clip(headline_p, 1e-9, 1 - 1e-9))
    weights = fit_weights(X, y, offset)
    per_row = np.zeros_like(X)
    splits = min(n_splits, len(np.unique(groups)))
    for train, test in GroupKFold(splits).split(X, y, groups):
        per_row[test] = fit_weights(X[train], y[train], offset[train])
    figures = measure_combined(cases, X, checked, headline_p, per_row)
    fitted = {
        name: round(float(w), 4) for name, w in zip(EVIDENCE, weights, strict=True)
    }
    figures["evidence_rate"] = {
        name: float(np.mean(X[:, k] > 0)) for k, name in enumerate(EVIDENCE)
    }
    return fitted, figures
