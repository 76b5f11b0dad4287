"""Our headline model beside the plain n-gram model peers use, on every set here.

    python -m benchmarks.baseline [--data-dir ../shared/datasets] [--out PATH]

Two baselines, both a TF-IDF word+char n-gram logistic regression:

- ``peer``: fitted on the Stop Clickbait rows our model trains on (less the
  held-out tenth, plus the copies with their question mark restored): the model
  open-source peers publish.
- ``peer + pairs``: the same, plus our model's same-story training pairs as
  difference rows (each pair twice, higher-minus-lower labelled 1 and its
  negation labelled 0), weighted as our model weighs them (length-balanced):
  the same data as ours, without our features or the nuisance columns.

All are measured with model.training.evaluate (the held-out stories of the
same-story sets included). Prints a markdown table and writes it as JSON
(default reports/baseline.json). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from benchmarks.machine import describe
from model import artifacts
from model.training import data, evaluate
from model.training import headline as training

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "reports" / "baseline.json"
COMMAND = "python -m benchmarks.baseline"
BASELINE = (
    "TF-IDF word 1-2 grams + char_wb 2-5 grams (sublinear_tf) into "
    "LogisticRegression (C=1.0)"
)
# The table: (what, metric as a dotted key into measure()'s dict, its n).
ROWS = (
    (
        "Stop Clickbait held-out tenth: accuracy",
        "stop_clickbait.accuracy",
        "stop_clickbait.n",
    ),
    (
        "Stop Clickbait held-out tenth: ROC-AUC",
        "stop_clickbait.roc_auc",
        "stop_clickbait.n",
    ),
    ("Webis titles: ROC-AUC", "webis.roc_auc", "webis.n"),
    (
        "Webis real titles (no page furniture): ROC-AUC",
        "webis.real_titles_roc_auc",
        "webis.n_real_titles",
    ),
    (
        "Webis titles: Spearman with judges' mean",
        "webis.spearman_truth_mean",
        "webis.n",
    ),
    (
        "hand-judged pairs: sensational scores higher",
        "pairs.sensational_higher",
        "pairs.n_sensational_vs_sober",
    ),
    (
        "hand-judged pairs: equally sober within 15 points",
        "pairs.sober_within_15",
        "pairs.n_equally_sober",
    ),
    (
        "Title vs sentence case: largest score change (lower is better)",
        "case.max_score_change",
        "case.n",
    ),
    (
        "Title vs sentence case: p90 score change (lower is better)",
        "case.p90_score_change",
        "case.n",
    ),
    (
        "Upworthy A/B, held-out tests: more-clicked scores higher (ties half)",
        "upworthy.higher",
        "upworthy.n",
    ),
    (
        "AllSides, held-out stories: outlets vs neutral ROC-AUC",
        "allsides.roc_auc",
        "allsides.n",
    ),
    (
        "AllSides, held-out stories: outlet above its neutral (ties half)",
        "allsides.higher",
        "allsides.n",
    ),
    (
        "hyperbole, held-out pairs: hyperbolic scores higher (ties half)",
        "hyperbole.higher",
        "hyperbole.n",
    ),
)


def build_baseline() -> Pipeline:
    """The peers' plain model: word and character TF-IDF into a logistic regression."""
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True
                ),
            ),
        ]
    )
    # scikit-learn's defaults (C=1.0, lbfgs): the model as peers would write it.
    return Pipeline(
        [("features", features), ("classifier", LogisticRegression(max_iter=1000))]
    )


def training_rows(corpus: data.Labelled) -> tuple[list[str], list[int], int]:
    """Texts, labels and the count of "?" copies, as our model's training picks them."""
    train, _ = data.split_held_out(corpus)
    extra_texts, extra_labels = data.restore_question_marks(train.texts, train.labels)
    return train.texts + extra_texts, train.labels + extra_labels, len(extra_texts)


def row_mismatch(
    corpus: data.Labelled, n_rows: int, n_extra: int, metadata: dict
) -> list[str]:
    """Where these rows differ from those our committed model records, as sentences."""
    recorded = metadata["training_data"]["stop_clickbait"]
    found = {
        "sha256": corpus.sha256,
        "rows_trained": n_rows - n_extra,
        "rows_added_question_mark": n_extra,
    }
    return [
        f"{key}: {value} here, {recorded.get(key)} in the committed model"
        for key, value in found.items()
        if recorded.get(key) != value
    ]


def fit_with_pairs(texts, labels, same_story: dict, pair_weights: dict) -> Pipeline:
    """The peer model given the same pairs as ours, as difference rows."""
    model = build_baseline()
    rows, diff, weight, every = training.featurise_with_pairs(
        model.named_steps["features"], texts, same_story, pair_weights
    )
    X = sp.vstack([rows, diff, -diff]).tocsr()
    y = np.concatenate([labels, np.ones(len(every)), np.zeros(len(every))])
    w = np.concatenate([np.ones(len(labels)), weight, weight])
    model.named_steps["classifier"].fit(X, y, sample_weight=w)
    return model


def measure(pipeline, data_dir: Path, held_out: data.Labelled) -> dict:
    """Every judgment figure of a fitted pipeline, keyed as in ROWS."""
    metrics, _ = evaluate.measure_headline(pipeline, data_dir, held_out)
    return metrics


def table(measured: dict[str, dict]) -> list[dict]:
    """The rows of the comparison: metric, a figure per model, n."""
    rows = []
    first = next(iter(measured.values()))
    for what, key, n_key in ROWS:
        row = {"metric": what, "key": key}
        row.update({name: evaluate.lookup(m, key) for name, m in measured.items()})
        row["n"] = evaluate.lookup(first, n_key)  # the same rows for all
        rows.append(row)
    return rows


def markdown(rows: list[dict], names: list[str]) -> str:
    """The rows as a markdown table, figures to three places."""

    def cell(value) -> str:
        return str(value) if isinstance(value, int) else f"{value:.3f}"

    lines = [
        "| metric | " + " | ".join(names) + " | n |",
        "| --- | " + " | ".join("---" for _ in names) + " | --- |",
    ]
    lines += [
        f"| {r['metric']} | "
        + " | ".join(cell(r[n]) for n in names)
        + f" | {r['n']:,} |"
        for r in rows
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=data.DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    print(describe())
    pipeline, metadata = artifacts.load(artifacts.HEADLINE)
    corpus = data.load_stop_clickbait(args.data_dir)
    _, held_out = data.split_held_out(corpus)
    texts, labels, n_extra = training_rows(corpus)
    mismatch = row_mismatch(corpus, len(texts), n_extra, metadata)
    print(
        f"training rows: {len(texts) - n_extra:,} + {n_extra:,} with '?' restored; "
        + ("the same as our model's" if not mismatch else "; ".join(mismatch))
    )
    pair_weights = training.PAIR_WEIGHTS
    same_story = training.training_pairs(args.data_dir, pair_weights)
    print(
        "same-story training pairs: "
        + ", ".join(f"{n} {len(rows):,}" for n, (rows, _) in same_story.items())
    )

    started = time.perf_counter()
    peer = build_baseline().fit(texts, labels)
    peer_pairs = fit_with_pairs(texts, labels, same_story, pair_weights)
    print(f"baselines fitted in {time.perf_counter() - started:.1f} s; measuring ...")
    measured = {
        "ours": measure(pipeline, args.data_dir, held_out),
        "peer": measure(peer, args.data_dir, held_out),
        "peer + pairs": measure(peer_pairs, args.data_dir, held_out),
    }
    names = list(measured)
    rows = table(measured)
    print(f"ours: headline model {metadata['version']}; peer: {BASELINE}")
    print()
    print(markdown(rows, names))
    print()
    print(
        "Same-story figures are on the stories held out of training "
        "(model.training.pairs), case-blind, comparing the 0-100 scores."
    )

    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "command": COMMAND,
        "machine": describe().removeprefix("machine: "),
        "ours": metadata["version"],
        "baseline": BASELINE,
        "training_rows": len(texts),
        "same_story_pairs": {n: len(rows) for n, (rows, _) in same_story.items()},
        "rows": rows,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
