"""Training the stance model on FNC-1: cross-validated by story, then fitted on all.

    python -c "from model.training.stance import train_stance; train_stance()"

Folds never split a body: every body, with all its headlines, falls in one fold.
They are stricter still: FNC-1 pairs each headline with several bodies of the
same story, so folds split by *story* (the connected groups of headlines and
bodies joined by a related pair), or a headline seen with one body in training
would be scored with another of its bodies in the held-out fold. The
competition's test set is made of other stories, which is what this imitates.
"""

from __future__ import annotations

import csv
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from model import artifacts, fastpath
from model.body.checker import STANCE, BodyChecker
from model.body.classifier import STANCES, StanceClassifier, story_ids
from model.body.rules import EVIDENCE
from model.training import combination, data

FNC_DIR = "fnc1"
# The trained model's parameters: the estimator's defaults, stated once there.
PARAMETERS = StanceClassifier().get_params()


@dataclass(frozen=True)
class Pairs:
    """FNC-1 (headline, body) pairs with stances, body ids and file digests."""

    pairs: list[tuple[str, str]]
    stances: list[str]
    body_ids: list[str]
    sha256: dict[str, str]
    duplicates_dropped: int


def load_fnc1(data_dir: Path = data.DEFAULT_DATA_DIR) -> Pairs:
    """The FNC-1 training pairs, with exact duplicate rows dropped."""
    folder = Path(data_dir) / FNC_DIR
    csv.field_size_limit(sys.maxsize)  # bodies are long, multi-line fields
    with open(folder / "train_bodies.csv", encoding="utf-8", newline="") as fh:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(fh)}
    with open(folder / "train_stances.csv", encoding="utf-8", newline="") as fh:
        rows = [(r["Headline"], r["Body ID"], r["Stance"]) for r in csv.DictReader(fh)]
    unique = list(dict.fromkeys(rows))
    return Pairs(
        pairs=[(headline, bodies[body_id]) for headline, body_id, _ in unique],
        stances=[stance for _, _, stance in unique],
        body_ids=[body_id for _, body_id, _ in unique],
        sha256={
            name: data.file_sha256(folder / name)
            for name in ("train_stances.csv", "train_bodies.csv")
        },
        duplicates_dropped=len(rows) - len(unique),
    )


def story_groups(pairs: Pairs) -> np.ndarray:
    """A story id per row (see ``model.body.classifier.story_ids``)."""
    return story_ids(
        [headline for headline, _ in pairs.pairs], pairs.body_ids, pairs.stances
    )


def fnc_score(y_true, y_pred) -> float:
    """The FNC-1 relative score: earned / best possible.

    +0.25 when related vs unrelated is right; +0.75 more when a related pair's
    stance (agree, disagree, discuss) is right.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    true_related = y_true != "unrelated"
    pred_related = y_pred != "unrelated"
    earned = 0.25 * np.sum(true_related == pred_related) + 0.75 * np.sum(
        true_related & (y_true == y_pred)
    )
    best = 0.25 * len(y_true) + 0.75 * np.sum(true_related)
    return float(earned / best)


def measure_stance(y_true, proba: np.ndarray) -> dict:
    """Ranking, FNC-1 and per-class figures of probabilities in STANCES order."""
    y_true = np.asarray(y_true, dtype=object)
    y_pred = np.array(STANCES, dtype=object)[np.argmax(proba, axis=1)]
    unrelated = STANCES.index("unrelated")
    agree, disagree = STANCES.index("agree"), STANCES.index("disagree")
    contested = np.isin(y_true, ["agree", "disagree"])
    p = proba[contested]
    f1 = f1_score(y_true, y_pred, labels=list(STANCES), average=None)
    return {
        "n": len(y_true),
        "related_vs_unrelated_roc_auc": float(
            roc_auc_score(y_true != "unrelated", 1.0 - proba[:, unrelated])
        ),
        "disagree_vs_agree_roc_auc": float(
            roc_auc_score(
                y_true[contested] == "disagree",
                p[:, disagree] / np.maximum(p[:, agree] + p[:, disagree], 1e-12),
            )
        ),
        "fnc_relative_score": fnc_score(y_true, y_pred),
        "accuracy": float(np.mean(y_true == y_pred)),
        "f1": {name: float(v) for name, v in zip(STANCES, f1, strict=True)},
        "macro_f1": float(np.mean(f1)),
        "confusion_matrix": {
            "labels": list(STANCES),
            "rows_true_columns_predicted": confusion_matrix(
                y_true, y_pred, labels=list(STANCES)
            ).tolist(),
        },
    }


def cross_validate(
    pairs: Pairs,
    parameters: dict,
    n_splits: int = 5,
    split: str = "story",
    log=print,
    on_fold=None,
) -> np.ndarray:
    """Out-of-fold probabilities, folds split by story (so also by body).

    ``split="body"`` keeps only each body on one side, as FNC-1's own baseline
    does; a headline's other bodies may then be on the other side, which makes
    the figures optimistic. ``on_fold(model, test_rows)`` is called with each
    fold's model.
    """
    y = np.array(pairs.stances, dtype=object)
    if split == "story":
        groups = story_groups(pairs)
    elif split == "body":
        groups = np.unique(pairs.body_ids, return_inverse=True)[1]
    else:
        raise ValueError(f"split must be 'story' or 'body', not {split!r}")
    folds = StratifiedGroupKFold(n_splits, shuffle=True, random_state=0)
    proba = np.zeros((len(y), len(STANCES)))
    for k, (train, test) in enumerate(folds.split(np.zeros(len(y)), y, groups), 1):
        started = time.perf_counter()
        model = StanceClassifier(**parameters).fit(
            [pairs.pairs[i] for i in train], y[train]
        )
        proba[test] = model.predict_proba([pairs.pairs[i] for i in test])
        if on_fold is not None:
            on_fold(model, test)
        log(
            f"  fold {k}/{n_splits}: {len(train)} rows fitted, {len(test)} scored "
            f"in {time.perf_counter() - started:.0f}s"
        )
    return proba


class EvidenceCollector:
    """Reads the evidence of page-like cases with each fold's model (``on_fold``)."""

    def __init__(self, pairs: Pairs, groups: np.ndarray) -> None:
        self.pairs = pairs
        self.body_ids = list(dict.fromkeys(pairs.body_ids))
        self.story_of_body = {pairs.body_ids[i]: int(g) for i, g in enumerate(groups)}
        self.cases: list[combination.Case] = []
        self.rows: list[np.ndarray] = []
        self.flags: list[np.ndarray] = []

    def __call__(self, model: StanceClassifier, test) -> None:
        index = {body_id: n for n, body_id in enumerate(self.body_ids)}
        related: dict[int, list[tuple[str, str]]] = {}
        texts: dict[int, str] = {}
        for i in test:
            n = index[self.pairs.body_ids[i]]
            texts[n] = self.pairs.pairs[i][1]
            related.setdefault(n, [])
            if self.pairs.stances[i] != "unrelated":
                related[n].append((self.pairs.pairs[i][0], self.pairs.stances[i]))
        cases = [
            case
            for n in sorted(related)
            for case in combination.cases_for_body(n, texts[n], related[n])
        ]
        docs = {
            n: model.features_.body_doc(texts[n])
            for n in {case.body_index for case in cases}
        }
        # The fold's model, checked against its own probes as a loaded one is.
        probes = {"probes": fastpath.reference_outputs(STANCE, model)}
        checker = BodyChecker(model, probes, weights=dict.fromkeys(EVIDENCE, 0.0))
        X, checked = combination.read_evidence(checker, cases, docs)
        self.cases += cases
        self.rows.append(X)
        self.flags.append(checked)

    @property
    def X(self) -> np.ndarray:
        return np.concatenate(self.rows)

    @property
    def checked(self) -> np.ndarray:
        return np.concatenate(self.flags)

    def groups(self) -> np.ndarray:
        return np.array(
            [self.story_of_body[self.body_ids[c.body_index]] for c in self.cases]
        )

    def headline_probabilities(self, directory: Path) -> np.ndarray:
        """The headline model's probability for each case's headline."""
        model_path, _ = artifacts.paths(artifacts.HEADLINE, directory)
        if not model_path.exists():
            directory = artifacts.ARTIFACT_DIR
        pipeline, _ = artifacts.load(artifacts.HEADLINE, directory)
        return pipeline.predict_proba([c.headline for c in self.cases])[:, 1]


def train_stance(
    data_dir: Path = data.DEFAULT_DATA_DIR,
    out_dir: Path = artifacts.ARTIFACT_DIR,
    log=print,
    n_splits: int = 5,
    parameters: dict | None = None,
    headline_dir: Path | None = None,
) -> dict:
    """Cross-validate, fit the evidence weights out of fold, fit on every row,
    save as "stance"; return the metadata.

    The evidence weights are fitted against the headline model in ``headline_dir``
    (default: ``out_dir`` when it holds one, else the committed one).
    """
    started = time.perf_counter()
    parameters = {**PARAMETERS, **(parameters or {})}
    pairs = load_fnc1(data_dir)
    groups = story_groups(pairs)
    log(
        f"data: {len(pairs.pairs)} pairs ({pairs.duplicates_dropped} duplicate rows "
        f"dropped) over {len(set(pairs.body_ids))} bodies in {groups.max() + 1} "
        f"stories, from {Path(data_dir) / FNC_DIR}"
    )
    log(f"cross-validating, {n_splits} folds split by story ...")
    evidence = EvidenceCollector(pairs, groups)
    proba = cross_validate(pairs, parameters, n_splits, log=log, on_fold=evidence)
    metrics = measure_stance(pairs.stances, proba)
    log(stance_summary(metrics))
    log("fitting the evidence weights on out-of-fold cases ...")
    headline_p = evidence.headline_probabilities(headline_dir or out_dir)
    weights, figures = combination.fit_and_measure(
        evidence.cases, evidence.X, evidence.checked, headline_p, evidence.groups()
    )
    log(combination_summary(weights, figures))
    log("fitting the final model on every pair ...")
    model = StanceClassifier(**parameters).fit(pairs.pairs, pairs.stances)
    # Learned with the folds' models, above; the checker reads them from here.
    model.evidence_weights_ = weights
    metadata = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": artifacts.git_commit(),
        "parameters": parameters,
        "features": list(model.features_.get_feature_names_out()),
        "training_data": {
            "fnc1": {
                **{f"{name}_sha256": d for name, d in pairs.sha256.items()},
                "rows_trained": len(pairs.pairs),
                "duplicate_rows_dropped": pairs.duplicates_dropped,
            }
        },
        "evidence_weights": weights,
        "metrics": {
            "cross_validation": {
                "folds": n_splits,
                "split": "StratifiedGroupKFold by story (groups of bodies)",
                **metrics,
            },
            "combination": {
                "split": "evidence by the other folds' stance models; weights "
                "fitted on the other stories' cases (GroupKFold by story)",
                **figures,
            },
        },
    }
    metadata = artifacts.save(model, metadata, STANCE, out_dir)
    artifact = metadata["artifact"]
    log(
        f"wrote {artifact['file']} ({artifact['bytes']:,} bytes, version "
        f"{metadata['version']}) to {out_dir} in {time.perf_counter() - started:.0f}s"
    )
    return metadata


def combination_summary(weights: dict, figures: dict) -> str:
    kinds = ", ".join(
        f"{kind} {rate:.1%}" for kind, rate in figures["raised_rate_by_kind"].items()
    )
    return "\n".join(
        [
            "evidence weights (log-odds): "
            + ", ".join(f"{name} {w:.2f}" for name, w in weights.items()),
            f"combined score, out of fold (n={figures['n']}): false alarms (agree/"
            f"discuss pairs raised >= {combination.RAISED} points) "
            f"{figures['false_alarm_rate']:.2%} of {figures['fair_pairs']}; could not "
            f"check {figures['could_not_check_rate']:.2%}; ROC-AUC "
            f"{figures['roc_auc_combined']:.4f} (headline alone "
            f"{figures['roc_auc_headline_only']:.4f})",
            f"raised >= {combination.RAISED} points by kind: {kinds}",
        ]
    )


def stance_summary(metrics: dict) -> str:
    f1 = ", ".join(f"{name} {v:.3f}" for name, v in metrics["f1"].items())
    matrix = metrics["confusion_matrix"]["rows_true_columns_predicted"]
    lines = [
        f"out of fold (n={metrics['n']}): related-vs-unrelated ROC-AUC "
        f"{metrics['related_vs_unrelated_roc_auc']:.4f}, disagree-vs-agree ROC-AUC "
        f"{metrics['disagree_vs_agree_roc_auc']:.4f}, FNC relative score "
        f"{metrics['fnc_relative_score']:.4f}, accuracy {metrics['accuracy']:.4f}",
        f"F1: {f1}; macro {metrics['macro_f1']:.3f}",
        "confusion (rows true, columns predicted: " + ", ".join(STANCES) + "):",
        *(f"  {name:>9} {row}" for name, row in zip(STANCES, matrix, strict=True)),
    ]
    return "\n".join(lines)
