"""Training the headline model: deterministic, with progress, metadata and metrics."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import expit

from model import artifacts
from model.headline.pipeline import build_pipeline
from model.training import data, evaluate

# Metrics a retrained model must not lose against the model it would replace.
GATED_METRICS = (
    "stop_clickbait.accuracy",
    "stop_clickbait.roc_auc",
    "webis.roc_auc",
    "pairs.sensational_higher",
    "pairs.sober_within_15",
)
GATE_TOLERANCE = 0.002  # run-to-run noise allowed on the held-out sets
FEEDBACK_WEIGHT = 2.0


class GateRefused(Exception):
    """The new model falls below the committed one; nothing was written."""


def feedback_rows(path: Path) -> tuple[list[str], list[int]]:
    """Headlines and labels from exported feedback that a maintainer accepted.

    "too_high" means the reader found the headline soberer than scored (label
    0), "too_low" more sensational (label 1); "about_right" confirms the side of
    0.5 the score was on.
    """
    texts, labels = [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("reviewed") != "accepted":
                continue
            verdict, seen = row["verdict"], int(row["score_seen"])
            label = {"too_high": 0, "too_low": 1}.get(verdict, int(seen >= 50))
            texts.append(row["headline"])
            labels.append(label)
    return texts, labels


def gate(new: dict, committed: dict) -> list[str]:
    """Where the new metrics fall below the committed ones, as sentences."""
    failures = []
    for dotted in GATED_METRICS:
        before = evaluate.lookup(committed, dotted)
        after = evaluate.lookup(new, dotted)
        if after < before - GATE_TOLERANCE:
            failures.append(f"{dotted}: {after:.4f} < committed {before:.4f}")
    return failures


def train(
    data_dir: Path = data.DEFAULT_DATA_DIR,
    out_dir: Path = artifacts.ARTIFACT_DIR,
    C: float = 10.0,
    log=print,
    feedback: Path | None = None,
    feedback_weight: float = FEEDBACK_WEIGHT,
    force: bool = False,
) -> dict:
    """Fit on the Stop Clickbait training rows, measure, save; return the metadata.

    With ``feedback`` (a JSONL export), accepted reader feedback joins the
    training rows, each weighing ``feedback_weight`` corpus rows. When a model
    already exists in ``out_dir``, the new one is written only if it is not worse
    on the gated metrics (``GateRefused`` otherwise), unless ``force``.
    """
    started = time.perf_counter()
    corpus = data.load_stop_clickbait(data_dir)
    train_rows, held_out = data.split_held_out(corpus)
    extra_texts, extra_labels = data.restore_question_marks(
        train_rows.texts, train_rows.labels
    )
    texts = train_rows.texts + extra_texts
    labels = train_rows.labels + extra_labels
    weights = [1.0] * len(texts)
    log(
        f"data: {len(train_rows.texts)} training headlines "
        f"(+{len(extra_texts)} with their question mark restored), "
        f"{len(held_out.texts)} held out, from {corpus.source}"
    )
    feedback_texts: list[str] = []
    if feedback is not None:
        feedback_texts, feedback_labels = feedback_rows(feedback)
        texts += feedback_texts
        labels += feedback_labels
        weights += [feedback_weight] * len(feedback_texts)
        log(
            f"feedback: {len(feedback_texts)} accepted rows from {feedback}, "
            f"weight {feedback_weight} each"
        )

    pipeline = build_pipeline(C=C)
    log("fitting the pipeline (features, 5-fold Platt calibration, final fit) ...")
    pipeline.fit(texts, labels, classifier__sample_weight=np.asarray(weights))
    webis = data.load_webis(data_dir)
    temperature = fit_temperature(pipeline.decision_function(webis.texts), webis.labels)
    pipeline.set_params(classifier__temperature=temperature)
    log(
        f"fitted in {time.perf_counter() - started:.1f}s; temperature for other "
        f"publishers {temperature:.2f} (by log-loss on Webis titles); measuring ..."
    )

    metrics, _ = evaluate.measure_headline(pipeline, data_dir, held_out)
    metadata = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": artifacts.git_commit(),
        "parameters": {
            "C": C,
            "temperature": temperature,
            "temperature_fitted_on": "webis17_titles (one parameter; AUC unaffected)",
        },
        "training_data": {
            "stop_clickbait": {
                "path": "stop_clickbait/headlines.csv",
                "sha256": corpus.sha256,
                "rows_trained": len(train_rows.texts),
                "rows_added_question_mark": len(extra_texts),
                "rows_held_out": len(held_out.texts),
                "held_out_rule": "sha1(text) mod 10 == 1",
            },
        },
        "evaluation_data": {
            "webis17_titles": {
                "path": "webis17_titles/titles.csv",
                "sha256": webis.sha256,
            },
            "pairs": {
                "path": "model/training/eval/pairs.jsonl",
                "sha256": data.file_sha256(data.PAIRS_FILE)
                if data.PAIRS_FILE.exists()
                else None,
            },
        },
        "metrics": metrics,
    }
    if feedback is not None:
        metadata["training_data"]["feedback"] = {
            "path": str(feedback),
            "sha256": data.file_sha256(Path(feedback)),
            "rows_accepted": len(feedback_texts),
            "weight": feedback_weight,
        }
    log(headline_summary(metrics))
    model_path, _ = artifacts.paths(artifacts.HEADLINE, out_dir)
    if model_path.exists() and not force:
        committed = artifacts.read_artifact_metadata(artifacts.HEADLINE, out_dir)
        committed = committed["metrics"]
        failures = gate(metrics, committed)
        if failures:
            raise GateRefused(
                "the new model is worse than the committed one, not written: "
                + "; ".join(failures)
            )
        log("gate: no gated metric fell below the committed model's")
    metadata = artifacts.save(pipeline, metadata, artifacts.HEADLINE, out_dir)
    artifact = metadata["artifact"]
    log(
        f"wrote {artifact['file']} ({artifact['bytes']:,} bytes, "
        f"version {metadata['version']}) to {out_dir} "
        f"in {time.perf_counter() - started:.1f}s"
    )
    return metadata


def fit_temperature(logits, labels) -> float:
    """The temperature in [1, 20] that minimises log-loss of expit(logits / T)."""
    logits, labels = np.asarray(logits, dtype=float), np.asarray(labels)

    def loss(t: float) -> float:
        p = np.clip(expit(logits / t), 1e-12, 1 - 1e-12)
        return -float(np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p)))

    result = minimize_scalar(loss, bounds=(1.0, 20.0), method="bounded")
    return round(float(result.x), 3)


def headline_summary(metrics: dict) -> str:
    sc, wb, pairs, case = (
        metrics["stop_clickbait"],
        metrics["webis"],
        metrics["pairs"],
        metrics["case"],
    )
    lines = [
        f"stop clickbait held out (n={sc['n']}): accuracy {sc['accuracy']:.4f}, "
        f"ROC-AUC {sc['roc_auc']:.4f}, Brier {sc['brier']:.4f}",
        f"webis titles (n={wb['n']}): ROC-AUC {wb['roc_auc']:.4f}, "
        f"Spearman with judges {wb['spearman_truth_mean']:.3f}",
        f"case: Title vs sentence case, max score change {case['max_score_change']}",
    ]
    if "sensational_higher" in pairs:
        lines.append(
            f"pairs: sensational higher in {pairs['sensational_higher']:.0%} "
            f"of {pairs['n_sensational_vs_sober']}; equally sober within 15 points in "
            f"{pairs.get('sober_within_15', float('nan')):.0%} "
            f"of {pairs['n_equally_sober']}"
        )
    return "\n".join(lines)
