"""From a headline (and later its body) to the result callers see: score, band, why."""

from __future__ import annotations

from pathlib import Path

from model import artifacts
from model.explain import Explainer

# Score bands, documented in the README: [low, high) on the 0-100 score.
BANDS = (("low", 0, 40), ("medium", 40, 70), ("high", 70, 101))
MAX_HEADLINE_CHARS = 1000


def band(score: int) -> str:
    """The band a 0-100 score falls in."""
    for name, low, high in BANDS:
        if low <= score < high:
            return name
    raise ValueError(f"score out of range: {score}")


def to_score(probability: float) -> int:
    """The calibrated probability on a 0-100 scale."""
    return max(0, min(100, round(100 * probability)))


class Scorer:
    """A loaded model that scores headlines; load once, call many times."""

    def __init__(self, pipeline, metadata: dict) -> None:
        self.metadata = metadata
        self.version = metadata.get("version", "unknown")
        self.explainer = Explainer(pipeline)

    @classmethod
    def load(cls, directory: Path | str = artifacts.ARTIFACT_DIR) -> Scorer:
        """Load the headline artifact, refusing one that fails its digest check."""
        pipeline, metadata = artifacts.load(artifacts.HEADLINE, directory)
        return cls(pipeline, metadata)

    def score(self, headline: str, body: str | None = None) -> dict:
        """Score one headline; ``body`` is accepted for the later body check."""
        headline = " ".join(headline.split())
        if not headline:
            raise ValueError("the headline is empty")
        if len(headline) > MAX_HEADLINE_CHARS:
            raise ValueError(f"the headline is longer than {MAX_HEADLINE_CHARS} chars")
        explained = self.explainer.explain(headline)
        score = to_score(explained["probability"])
        return {
            "score": score,
            "band": band(score),
            "headline": {
                "text": headline,
                "score": score,
                "probability": round(explained["probability"], 4),
            },
            "reasons": explained["reasons"],
            "highlights": explained["highlights"],
            "body_check": None,
            "model": {"version": self.version},
        }
