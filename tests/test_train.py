"""Retraining reproduces the committed model's metrics (slow: a full training run)."""

import pytest

from model import artifacts, data
from model.train import train

TOLERANCE = 0.002


@pytest.mark.slow
def test_retraining_reproduces_committed_metrics(tmp_path):
    committed = artifacts.read_metadata()
    fresh = train(
        data.DEFAULT_DATA_DIR,
        tmp_path,
        C=committed["parameters"]["C"],
        log=lambda *_: None,
    )
    for dataset in ("stop_clickbait", "webis"):
        for metric in ("accuracy", "roc_auc", "brier"):
            assert fresh["metrics"][dataset][metric] == pytest.approx(
                committed["metrics"][dataset][metric], abs=TOLERANCE
            ), (dataset, metric)
    assert (
        fresh["training_data"]["stop_clickbait"]["sha256"]
        == committed["training_data"]["stop_clickbait"]["sha256"]
    )
