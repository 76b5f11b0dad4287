"""Measuring a headline model, writing a report with plots, and the quality gate.

Metrics, each on data the model was not trained on:

- ``stop_clickbait``: the held-out tenth of the Stop Clickbait corpus (``data.py``).
- ``webis``: Webis-17 article titles, from other publishers, never trained on;
  ``real_titles_roc_auc`` leaves out the 39 that are scraped page furniture.
- ``pairs``: same-story headline pairs judged by hand (``model/eval/``).
- ``case``: score changes between Title Case and sentence case (largest, p90).
- ``upworthy``, ``allsides``, ``hyperbole``: the same-story sets' held-out
  stories (``model.training.pairs``), case-blind: the share of Upworthy tests
  whose more-clicked headline scores higher, the ROC-AUC of AllSides outlets'
  headlines against the editors' neutral ones, the share of hyperbolic
  sentences scoring above their literal paraphrase. Scores are compared as a
  reader sees them (0-100), ties counting half.
- ``stance``: the stance model's figures, out of fold by story on FNC-1, as its
  training recorded them (re-measuring means cross-validating again: train).
- ``stance.combination``: the combined score's figures (headline plus body
  evidence; ``model.training.combination``), out of fold, as training recorded
  them: the false-alarm rate (FNC-1 agree/discuss pairs raised by 15 points or
  more), the share of disputed pairs and of each page-like rewrite raised, the
  share of related pairs the body check could not check, and ROC-AUCs.

Floors are pinned in ``model/floors.json``; ``check_floors`` lists every metric
under its floor, and the evaluate command exits non-zero when any is.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    confusion_matrix,
    log_loss,
    roc_auc_score,
)

from model import artifacts
from model.scoring import to_score
from model.training import data, pairs

FLOORS_FILE = Path(__file__).resolve().parent / "floors.json"
SOBER_PAIR_MAX_GAP = 15


def title_case(text: str) -> str:
    """Capitalise every word's first letter, as a Title Case desk would."""
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def sentence_case(text: str) -> str:
    """Lowercase all but the first word, keeping acronyms in capitals."""
    words = text.split(" ")
    out = [words[0][:1].upper() + words[0][1:]]
    out += [w if w.isupper() and len(w) > 1 else w.lower() for w in words[1:]]
    return " ".join(out)


def _binary_metrics(labels, probs) -> dict:
    labels, probs = np.asarray(labels), np.asarray(probs)
    return {
        "n": int(len(labels)),
        "accuracy": float(accuracy_score(labels, probs >= 0.5)),
        "roc_auc": float(roc_auc_score(labels, probs)),
        "average_precision": float(average_precision_score(labels, probs)),
        "brier": float(brier_score_loss(labels, probs)),
        "log_loss": float(log_loss(labels, np.clip(probs, 1e-6, 1 - 1e-6))),
        "confusion_matrix": confusion_matrix(labels, probs >= 0.5).tolist(),
    }


def pair_metrics(predict, pairs: list[dict]) -> dict:
    """How often the sensational headline of a pair scores higher, and sober gaps."""
    sensational = [p for p in pairs if p["kind"] == "sensational_vs_sober"]
    sober = [p for p in pairs if p["kind"] == "equally_sober"]
    out: dict = {
        "n_sensational_vs_sober": len(sensational),
        "n_equally_sober": len(sober),
    }
    if sensational:
        hi = predict([p["sensational"] for p in sensational])
        lo = predict([p["sober"] for p in sensational])
        out["sensational_higher"] = float(
            np.mean([to_score(a) > to_score(b) for a, b in zip(hi, lo, strict=True)])
        )
    if sober:
        a = predict([p["a"] for p in sober])
        b = predict([p["b"] for p in sober])
        gaps = [abs(to_score(x) - to_score(y)) for x, y in zip(a, b, strict=True)]
        out["sober_within_15"] = float(np.mean([g < SOBER_PAIR_MAX_GAP for g in gaps]))
    return out


def higher_share(predict, pairs_: list) -> dict:
    """How often a pair's ``higher`` scores above its ``lower`` (ties half)."""
    hi = [to_score(p) for p in predict([p.higher for p in pairs_])]
    lo = [to_score(p) for p in predict([p.lower for p in pairs_])]
    wins = sum(a > b for a, b in zip(hi, lo, strict=True))
    ties = sum(a == b for a, b in zip(hi, lo, strict=True))
    return {
        "n": len(pairs_),
        "higher": (wins + ties / 2) / len(pairs_),
        "ties": ties / len(pairs_),
    }


def outlet_auc(predict, pairs_: list) -> dict:
    """ROC-AUC of outlets' headlines (1) against each story's neutral one (0)."""
    outlets = [p.higher for p in pairs_]
    neutral = list(dict.fromkeys(p.lower for p in pairs_))
    scores = [to_score(p) for p in predict(outlets + neutral)]
    labels = [1] * len(outlets) + [0] * len(neutral)
    return {
        "n_outlets": len(outlets),
        "n_neutral": len(neutral),
        "roc_auc": float(roc_auc_score(labels, scores)),
    }


def same_story_metrics(predict, data_dir: Path) -> dict:
    """The same-story sets' held-out stories; a set not on disk is left out."""
    out = {}
    for name in pairs.SETS:
        if not (Path(data_dir) / pairs.FILES[name]).exists():
            continue
        _, held = pairs.split(pairs.load(name, data_dir))
        out[name] = higher_share(predict, held)
        if name == "allsides":
            out[name].update(outlet_auc(predict, held))
    return out


def measure_headline(
    pipeline, data_dir: Path, held_out: data.Labelled | None = None
) -> dict:
    """All metrics of a fitted pipeline, with the raw predictions for plots."""

    def predict(texts):
        return pipeline.predict_proba(list(texts))[:, 1]

    if held_out is None:
        _, held_out = data.split_held_out(data.load_stop_clickbait(data_dir))
    webis = data.load_webis(data_dir)
    sc_probs = predict(held_out.texts)
    webis_probs = predict(webis.texts)
    webis_metrics = _binary_metrics(webis.labels, webis_probs)
    webis_metrics["spearman_truth_mean"] = float(
        spearmanr(webis.scores, webis_probs).statistic
    )
    real = np.array([data.is_real_title(t) for t in webis.texts])
    webis_metrics["n_real_titles"] = int(real.sum())
    webis_metrics["real_titles_roc_auc"] = float(
        roc_auc_score(np.asarray(webis.labels)[real], webis_probs[real])
    )
    sample = held_out.texts[:2000]
    title = predict([title_case(t) for t in sample])
    sentence = predict([sentence_case(t) for t in sample])
    case_gaps = np.abs(
        np.array([to_score(p) for p in title])
        - np.array([to_score(p) for p in sentence])
    )
    metrics = {
        "stop_clickbait": _binary_metrics(held_out.labels, sc_probs),
        "webis": webis_metrics,
        "pairs": pair_metrics(predict, data.load_pairs()),
        "case": {
            "n": len(sample),
            "max_score_change": int(case_gaps.max()),
            "p90_score_change": float(np.percentile(case_gaps, 90)),
            "mean_score_change": float(case_gaps.mean()),
        },
        **same_story_metrics(predict, data_dir),
    }
    predictions = {
        "stop_clickbait": (np.asarray(held_out.labels), sc_probs),
        "webis": (np.asarray(webis.labels), webis_probs),
    }
    return metrics, predictions


STANCE_METRICS = (
    "related_vs_unrelated_roc_auc",
    "disagree_vs_agree_roc_auc",
    "fnc_relative_score",
    "f1",
    "n",
)


def stance_metrics(artifact_dir: Path) -> dict | None:
    """The stance model's cross-validated figures, None when there is no model.

    The model is loaded as the service loads it (digest and feature checks), so
    a stance model this code cannot run fails here too.
    """
    from model.body.checker import STANCE, BodyChecker

    model_path, _ = artifacts.paths(STANCE, artifact_dir)
    if not model_path.exists():
        return None
    checker = BodyChecker.load(artifact_dir)
    recorded = checker.metadata["metrics"]["cross_validation"]
    return {
        "version": checker.version,
        "split": recorded["split"],
        **{name: recorded[name] for name in STANCE_METRICS},
        "evidence_weights": checker.weights,
        "combination": checker.metadata["metrics"]["combination"],
    }


def load_floors(path: Path = FLOORS_FILE) -> dict:
    return json.loads(Path(path).read_text())


def lookup(metrics: dict, dotted: str):
    value = metrics
    for part in dotted.split("."):
        value = value[part]
    return value


def check_floors(metrics: dict, floors: dict) -> list[str]:
    """Every metric below its floor (or above its ceiling), as a sentence.

    A metric with a floor that was not measured (its model is missing) fails too.
    """
    failures = []
    for kind, limits in (
        ("min", floors.get("min", {})),
        ("max", floors.get("max", {})),
    ):
        for dotted, limit in limits.items():
            value = _found(metrics, dotted)
            if value is None:
                failures.append(f"{dotted} was not measured (is its model there?)")
            elif kind == "min" and value < limit:
                failures.append(f"{dotted} = {value:.4f} is below its floor {limit}")
            elif kind == "max" and value > limit:
                failures.append(f"{dotted} = {value:.4f} is above its ceiling {limit}")
    return failures


def _found(metrics: dict, dotted: str):
    try:
        return lookup(metrics, dotted)
    except (KeyError, TypeError):
        return None


class MissingExtra(RuntimeError):
    """An optional dependency is not installed; the message says which extra."""


def check_plotting() -> None:
    """Raise MissingExtra, saying what to install, when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as err:
        raise MissingExtra(
            "the evaluation plots need matplotlib: pip install 'sensationalism[train]'"
        ) from err


def write_plots(predictions: dict, out_dir: Path) -> list[Path]:
    """ROC, precision-recall, calibration and confusion-matrix PNGs per data set."""
    check_plotting()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.calibration import CalibrationDisplay
    from sklearn.metrics import (
        ConfusionMatrixDisplay,
        PrecisionRecallDisplay,
        RocCurveDisplay,
    )

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    plots = (
        (
            "roc",
            lambda y, p, ax, n: RocCurveDisplay.from_predictions(y, p, ax=ax, name=n),
        ),
        (
            "pr",
            lambda y, p, ax, n: PrecisionRecallDisplay.from_predictions(
                y, p, ax=ax, name=n
            ),
        ),
        (
            "calibration",
            lambda y, p, ax, n: CalibrationDisplay.from_predictions(
                y, p, n_bins=10, ax=ax, name=n
            ),
        ),
        (
            "confusion",
            lambda y, p, ax, n: ConfusionMatrixDisplay.from_predictions(
                y, p >= 0.5, ax=ax, display_labels=["not", "clickbait"], colorbar=False
            ),
        ),
    )
    for kind, draw in plots:
        fig, axes = plt.subplots(
            1, len(predictions), figsize=(5 * len(predictions), 4.5)
        )
        for ax, (name, (labels, probs)) in zip(axes, predictions.items(), strict=True):
            draw(labels, probs, ax, name)
            ax.set_title(f"{kind}: {name}")
        fig.tight_layout()
        path = out_dir / f"{kind}.png"
        fig.savefig(path, dpi=90)
        plt.close(fig)
        written.append(path)
    return written
