"""The gate: is a candidate model no worse than the live one, beyond each set's noise?

A candidate is compared with the figures the live model's metadata recorded,
metric by metric (``GATED``). A metric refuses the candidate when it falls more
than its tolerance below the live figure (rises above it, for a rate where lower
is better). Each tolerance is sized to the noise of the set it is measured on:

- one standard error of the live figure on that set: binomial,
  ``sqrt(p (1 - p) / n)``, for a rate (accuracy, a share of pairs, the FNC-1
  score, the false-alarm rate), Hanley and McNeil's for a ROC-AUC (from the
  set's positives and negatives);
- and never less than one item of the set, ``1 / n``: one of the 60 hand-judged
  pairs is 0.0167, so one pair can no longer refuse a model (0.002 did).

So on the Stop Clickbait held-out tenth (n = 3,279) accuracy may move by about
0.0025, on the 60 hand-judged pairs by about 0.039 (two pairs), on the 1,128 Webis
titles ROC-AUC by about 0.017. A deliberately worse model (flipped labels) falls
by many times these. Computed from recorded figures only, so the stance model is
gated without cross-validating the live one again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def lookup(metrics: dict, dotted: str):
    """``metrics["a"]["b"]`` for "a.b"."""
    for part in dotted.split("."):
        metrics = metrics[part]
    return metrics


@dataclass(frozen=True)
class Gated:
    """A gated metric: where it is in the metrics, and how to size its noise."""

    metric: str  # dotted path in the metadata's "metrics"
    kind: str  # "rate" or "auc"
    counts: object  # metrics -> (n, positives, negatives); None where unknown
    lower_is_better: bool = False


def _binary_counts(dataset: str):
    """(n, positives, negatives) from a binary set's confusion matrix."""

    def counts(metrics):
        matrix = lookup(metrics, f"{dataset}.confusion_matrix")
        negatives, positives = sum(matrix[0]), sum(matrix[1])
        return negatives + positives, positives, negatives

    return counts


def _real_titles_counts(metrics):
    """The Webis real titles' size; its classes as in the whole set, pro rata."""
    n, positives, negatives = _binary_counts("webis")(metrics)
    real = lookup(metrics, "webis.n_real_titles")
    return real, positives * real / n, negatives * real / n


def _outlet_counts(metrics):
    """AllSides held-out stories: outlets' headlines against neutral ones."""
    outlets = lookup(metrics, "allsides.n_outlets")
    neutral = lookup(metrics, "allsides.n_neutral")
    return outlets + neutral, outlets, neutral


def _n(dotted: str):
    def counts(metrics):
        return lookup(metrics, dotted), None, None

    return counts


def _stance_counts(positive_rows, negative_rows):
    """(n, positives, negatives) from the stance confusion matrix's true rows."""

    def counts(metrics):
        confusion = lookup(metrics, "cross_validation.confusion_matrix")
        rows = dict(
            zip(
                confusion["labels"],
                confusion["rows_true_columns_predicted"],
                strict=True,
            )
        )
        positives = sum(sum(rows[label]) for label in positive_rows)
        negatives = sum(sum(rows[label]) for label in negative_rows)
        return positives + negatives, positives, negatives

    return counts


def _combination_counts(metrics):
    n = lookup(metrics, "combination.n")
    fair = lookup(metrics, "combination.fair_pairs")
    return n, n - fair, fair


GATED: dict[str, tuple[Gated, ...]] = {
    "headline": (
        Gated("stop_clickbait.accuracy", "rate", _binary_counts("stop_clickbait")),
        Gated("stop_clickbait.roc_auc", "auc", _binary_counts("stop_clickbait")),
        Gated("webis.roc_auc", "auc", _binary_counts("webis")),
        Gated("pairs.sensational_higher", "rate", _n("pairs.n_sensational_vs_sober")),
        Gated("pairs.sober_within_15", "rate", _n("pairs.n_equally_sober")),
        Gated("webis.real_titles_roc_auc", "auc", _real_titles_counts),
        Gated("upworthy.higher", "rate", _n("upworthy.n")),
        Gated("allsides.roc_auc", "auc", _outlet_counts),
        Gated("hyperbole.higher", "rate", _n("hyperbole.n")),
    ),
    "stance": (
        Gated(
            "cross_validation.related_vs_unrelated_roc_auc",
            "auc",
            _stance_counts(("agree", "disagree", "discuss"), ("unrelated",)),
        ),
        Gated(
            "cross_validation.disagree_vs_agree_roc_auc",
            "auc",
            _stance_counts(("disagree",), ("agree",)),
        ),
        Gated("cross_validation.fnc_relative_score", "rate", _n("cross_validation.n")),
        Gated("combination.roc_auc_combined", "auc", _combination_counts),
        Gated(
            "combination.false_alarm_rate",
            "rate",
            _n("combination.fair_pairs"),
            lower_is_better=True,
        ),
    ),
}


def standard_error(kind: str, value: float, n, positives=None, negatives=None):
    """One standard error of a recorded figure on its set (see the module)."""
    if kind == "auc" and positives and negatives:
        # Hanley and McNeil (1982), from the AUC and the two class sizes.
        q1, q2 = value / (2 - value), 2 * value**2 / (1 + value)
        variance = (
            value * (1 - value)
            + (positives - 1) * (q1 - value**2)
            + (negatives - 1) * (q2 - value**2)
        ) / (positives * negatives)
        return math.sqrt(max(variance, 0.0))
    return math.sqrt(max(value * (1 - value), 0.0) / n)


def tolerance(gated: Gated, live_metrics: dict) -> float:
    """How far the metric may fall before it refuses: one SE, at least one item."""
    value = lookup(live_metrics, gated.metric)
    n, positives, negatives = gated.counts(live_metrics)
    return max(1 / n, standard_error(gated.kind, value, n, positives, negatives))


@dataclass(frozen=True)
class Row:
    """One line of the comparison: a metric, both figures, and the verdict."""

    metric: str
    live: float | None
    candidate: float | None
    tolerance: float | None
    lower_is_better: bool
    refused: bool
    note: str = ""


def _get(metrics: dict, dotted: str):
    try:
        return lookup(metrics, dotted)
    except (KeyError, TypeError):
        return None


def compare(name: str, candidate: dict, live: dict) -> list[Row]:
    """Each gated metric of model ``name``: candidate against live, with verdicts.

    ``candidate`` and ``live`` are the two metadata's "metrics". A metric the
    live model did not record is shown but not gated; one it did record that the
    candidate lacks refuses it.
    """
    rows = []
    for gated in GATED[name]:
        before, after = _get(live, gated.metric), _get(candidate, gated.metric)
        if before is None:
            rows.append(Row(gated.metric, None, after, None, False, False, "not live"))
            continue
        try:
            allowed = tolerance(gated, live)
        except (KeyError, TypeError, ZeroDivisionError):
            allowed = 1e-9  # the set's size was not recorded: no noise allowed
        if after is None:
            rows.append(
                Row(gated.metric, before, None, allowed, False, True, "not measured")
            )
            continue
        change = (before - after) if gated.lower_is_better else (after - before)
        rows.append(
            Row(
                gated.metric,
                before,
                after,
                allowed,
                gated.lower_is_better,
                # 1e-9: 59/60 against 60/60 is -0.01666...672 in floating point,
                # a hair past the one-item tolerance it should meet.
                change < -allowed - 1e-9,
            )
        )
    return rows


def refusals(rows: list[Row]) -> list[str]:
    """The refused rows, as sentences."""
    out = []
    for row in rows:
        if not row.refused:
            continue
        if row.candidate is None:
            out.append(f"{row.metric}: not measured (live {row.live:.4f})")
            continue
        word = "above" if row.lower_is_better else "below"
        out.append(
            f"{row.metric}: {row.candidate:.4f}, more than {row.tolerance:.4f} "
            f"{word} live {row.live:.4f}"
        )
    return out


def table(rows: list[Row], live_version: str | None, candidate_version: str) -> str:
    """The comparison as a plain-text table, one metric a line."""

    def figure(value):
        return "-" if value is None else f"{value:.4f}"

    header = ("metric", "live", "candidate", "change", "tolerance", "verdict")
    lines = [header]
    for row in rows:
        change = (
            "-"
            if row.live is None or row.candidate is None
            else f"{row.candidate - row.live:+.4f}"
        )
        verdict = row.note or ("REFUSED" if row.refused else "ok")
        if row.lower_is_better and not row.note:
            verdict += " (lower is better)"
        lines.append(
            (
                row.metric,
                figure(row.live),
                figure(row.candidate),
                change,
                "-" if row.tolerance is None else f"{row.tolerance:.4f}",
                verdict,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = [f"live {live_version or '(none)'} vs candidate {candidate_version}"]
    for line in lines:
        text.append(
            "  ".join(
                cell.ljust(width) for cell, width in zip(line, widths, strict=True)
            ).rstrip()
        )
    return "\n".join(text)
