"""From a headline (and later its body) to the result callers see: score, band, why."""

from __future__ import annotations

import math
from pathlib import Path

from scipy.special import expit

from model import artifacts
from model.fastpath import PROBE_HEADLINES, probe_mismatch
from model.headline.explain import Explainer
from model.limits import MAX_HEADLINE_CHARS

# Score bands, documented in the README: [low, high) on the 0-100 score.
BANDS = (("low", 0, 40), ("medium", 40, 70), ("high", 70, 101))


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

    def __init__(self, pipeline, metadata: dict, body_checker=None) -> None:
        self.metadata = metadata
        self.explainer = Explainer(pipeline)
        fast = [r["probability"] for r in self.explainer.explain_many(PROBE_HEADLINES)]
        mismatch = probe_mismatch(metadata.get("probes"), fast)
        if mismatch:
            raise artifacts.ArtifactError(
                f"the headline model {metadata.get('version')}: {mismatch}; retrain "
                "it with `sensationalism train --model headline`"
            )
        self.body_checker = body_checker
        self.version = metadata.get("version", "unknown")
        if body_checker is not None:
            self.version += "+" + body_checker.version

    @classmethod
    def load(
        cls, directory: Path | str = artifacts.ARTIFACT_DIR, manifest=None
    ) -> Scorer:
        """Load the headline and stance artifacts, refusing any that fails its digest.

        The stance artifact is optional: without it the body is not checked.
        ``manifest`` (default: the folder's own) says which files are live; a
        publisher passes the one it is about to write, to check it first.
        """
        from model.body.checker import STANCE, BodyChecker

        # Both models from one reading of the manifest: one publish, never half
        # of one and half of the next.
        if manifest is None:
            manifest = artifacts.read_manifest(directory)
        pipeline, metadata = artifacts.load(
            artifacts.HEADLINE, directory, shared=True, manifest=manifest
        )
        stance_path, _ = artifacts.resolve(STANCE, directory, manifest)
        named = STANCE in ((manifest or {}).get("models") or {})
        if named and not stance_path.exists():
            # A published stance model is part of the publish: serving without
            # it would drop the body check with no word in the log.
            raise artifacts.ArtifactError(
                f"the manifest names a stance model, but {stance_path} is missing"
            )
        checker = (
            BodyChecker.load(directory, manifest) if stance_path.exists() else None
        )
        return cls(pipeline, metadata, checker)

    def score(self, headline: str, body: str | None = None) -> dict:
        """Score a headline and, when there is a body, whether the body backs it."""
        return self.score_many([headline], [body])[0]

    def score_many(self, headlines, bodies=None) -> list[dict]:
        """Score headlines (each with an optional body) in one batch, in order.

        Faster per headline than ``score`` on many: the model's sums run once
        for the whole batch. Raises ValueError, naming the first bad headline's
        position, before scoring any.
        """
        headlines = list(headlines)
        many = len(headlines) > 1
        headlines = [
            clean_headline(h, n if many else None) for n, h in enumerate(headlines)
        ]
        bodies = [None] * len(headlines) if bodies is None else list(bodies)
        if len(bodies) != len(headlines):
            raise ValueError("give one body (or None) per headline")
        return [
            self._result(headline, explained, body)
            for headline, explained, body in zip(
                headlines, self.explainer.explain_many(headlines), bodies, strict=True
            )
        ]

    def _result(self, headline: str, explained: dict, body: str | None) -> dict:
        headline_p = explained["probability"]
        reasons = list(explained["reasons"])
        probability, body_check = headline_p, None
        if body and body.strip() and self.body_checker is not None:
            # Only quoted evidence against the headline adds log-odds (see
            # model.body.checker): never below the headline's own score, and a
            # more supportive body never scores higher.
            body_check = self.body_checker.check(headline, body)
            probability = float(expit(logit(headline_p) + body_check["weight"]))
            reasons += [r for r in body_check["reasons"] if r["weight"] > 0]
            reasons.sort(key=lambda r: -abs(r["weight"]))
        score = to_score(probability)
        return {
            "score": score,
            "band": band(score),
            "headline": {
                "text": headline,
                "score": to_score(headline_p),
                "probability": round(headline_p, 4),
            },
            "reasons": reasons,
            "highlights": explained["highlights"],
            "body_check": body_check,
            "model": {"version": self.version},
        }


def clean_headline(headline: str, position: int | None = None) -> str:
    """The headline with its whitespace collapsed; ValueError if it cannot be scored."""
    headline = " ".join(headline.split())
    where = "" if position is None else f" (item {position + 1})"
    if not headline:
        raise ValueError(f"the headline is empty{where}")
    if len(headline) > MAX_HEADLINE_CHARS:
        raise ValueError(
            f"the headline is longer than {MAX_HEADLINE_CHARS} chars{where}"
        )
    return headline


def logit(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log(p / (1 - p))
