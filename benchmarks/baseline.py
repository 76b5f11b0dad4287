"""Our headline model beside the plain n-gram model peers use, on every set here.

    python -m benchmarks.baseline [--data-dir ../shared/datasets] [--out PATH]

The baseline is fitted on exactly our model's training rows (the Stop Clickbait
corpus less its held-out tenth, plus the copies with their question mark
restored), then both are measured with model.training.evaluate and on the
same-story sets of benchmarks/same_story.py. Prints a markdown table and writes
it as JSON (default reports/baseline.json). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from benchmarks.machine import describe
from benchmarks.same_story import (
    MIN_SHARED,
    higher_share,
    load_allsides,
    load_hyperbole,
    load_upworthy,
)
from model import artifacts
from model.training import data, evaluate

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "reports" / "baseline.json"
COMMAND = "python -m benchmarks.baseline"
BASELINE = (
    "TF-IDF word 1-2 grams + char_wb 2-5 grams (sublinear_tf) into "
    "LogisticRegression (C=1.0)"
)
SAME_STORY = {
    "upworthy": load_upworthy,
    "allsides": load_allsides,
    "hyperbole": load_hyperbole,
}
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
        "Upworthy A/B: more-clicked scores higher (ties half)",
        "upworthy.first_higher",
        "upworthy.n",
    ),
    (
        "AllSides: outlet above editors' neutral (ties half)",
        "allsides.first_higher",
        "allsides.n",
    ),
    (
        "hyperbole pairs: hyperbolic scores higher (ties half)",
        "hyperbole.first_higher",
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


def measure(pipeline, data_dir: Path, held_out: data.Labelled) -> dict:
    """Every judgment figure of a fitted pipeline, keyed as in ROWS."""
    metrics, _ = evaluate.measure_headline(pipeline, data_dir, held_out)

    def predict(texts):
        return pipeline.predict_proba(list(texts))[:, 1]

    for name, load in SAME_STORY.items():
        metrics[name] = higher_share(predict, load(data_dir))
    return metrics


def table(ours: dict, baseline: dict) -> list[dict]:
    """The rows of the comparison: metric, ours, baseline, n."""
    rows = []
    for what, key, n_key in ROWS:
        row = {
            "metric": what,
            "key": key,
            "ours": evaluate.lookup(ours, key),
            "baseline": evaluate.lookup(baseline, key),
            "n": evaluate.lookup(ours, n_key),  # the same rows for both
        }
        if key.endswith(".first_higher"):
            ties = key.replace(".first_higher", ".ties")
            row["ties"] = {
                "ours": evaluate.lookup(ours, ties),
                "baseline": evaluate.lookup(baseline, ties),
            }
        rows.append(row)
    return rows


def markdown(rows: list[dict]) -> str:
    """The rows as a markdown table, figures to three places."""

    def cell(value) -> str:
        return str(value) if isinstance(value, int) else f"{value:.3f}"

    lines = ["| metric | ours | baseline | n |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {r['metric']} | {cell(r['ours'])} | {cell(r['baseline'])} | {r['n']:,} |"
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

    started = time.perf_counter()
    baseline = build_baseline().fit(texts, labels)
    print(f"baseline fitted in {time.perf_counter() - started:.1f} s; measuring ...")
    rows = table(
        measure(pipeline, args.data_dir, held_out),
        measure(baseline, args.data_dir, held_out),
    )
    print(f"ours: headline model {metadata['version']}; baseline: {BASELINE}")
    print()
    print(markdown(rows))
    print()
    for row in rows:
        if "ties" in row:
            print(
                f"tied scores, {row['key'].split('.')[0]}: ours "
                f"{row['ties']['ours']:.1%}, baseline {row['ties']['baseline']:.1%}"
            )
    print(
        "Same-story pairs compare the 0-100 scores; hyperbole pairs are consecutive "
        f"ids, labels 1 and 0, whose shared start and end cover >= {MIN_SHARED:.0%} "
        "of the shorter sentence."
    )

    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "command": COMMAND,
        "machine": describe().removeprefix("machine: "),
        "ours": metadata["version"],
        "baseline": BASELINE,
        "training_rows": len(texts),
        "rows": rows,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
