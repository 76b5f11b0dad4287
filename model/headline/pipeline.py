"""The headline model: framing signals and n-gram views into a calibrated classifier."""

from __future__ import annotations

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline

from model.headline.classifier import FramingLogisticRegression, TemperatureScaled
from model.headline.features import (
    NGRAM_VIEWS,
    FramingFeatures,
    signal_ceilings,
    signal_floors,
)


def _ngram_view(name: str, min_df: int) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=NGRAM_VIEWS[name], min_df=min_df, sublinear_tf=True)


def build_pipeline(
    C: float = 2.0, temperature: float = 1.0, random_state: int = 0
) -> Pipeline:
    """Return the untrained headline pipeline with named steps."""
    features = FeatureUnion(
        [
            # Named framing signals in [0, 1]: each becomes a reason code.
            ("framing", FramingFeatures()),
            # The headline's shape with topic words masked out: "is _ officially _ ?".
            ("shape", _ngram_view("shape", min_df=3)),
            # Lowercased words and characters: wording, with case folded away so
            # Title Case and sentence case of one headline score the same.
            ("words", _ngram_view("words", min_df=2)),
            ("chars", _ngram_view("chars", min_df=3)),
        ]
    )
    calibrated = CalibratedClassifierCV(
        # The framing signals come first in the union: their weights stay at or
        # above their floors (model.headline.features.SIGNAL_FLOORS).
        FramingLogisticRegression(
            C=C,
            lower_bounds=tuple(signal_floors()),
            upper_bounds=signal_ceilings(),
        ),
        # Platt scaling fitted on out-of-fold scores, then one model on all rows,
        # so the explanation reads a single linear model.
        method="sigmoid",
        cv=StratifiedKFold(5, shuffle=True, random_state=random_state),
        ensemble=False,
    )
    # Softened for other publishers; model.training.headline picks the temperature.
    classifier = TemperatureScaled(calibrated, temperature=temperature)
    return Pipeline([("features", features), ("classifier", classifier)])
