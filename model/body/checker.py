"""Does the article back its headline? The stance model plus rule checks.

``BodyChecker.load()`` once, then ``check(headline, body)`` per article:

    {
      "stance": "agree" | "disagree" | "discuss" | "unrelated",
      "probabilities": {"agree": p, "disagree": p, "discuss": p, "unrelated": p},
      "evidence": [{"sentence": str, "role": str}, ...],
      "reasons": [{"code": str, "message": str, "weight": float}, ...],
      "support": float,
    }

``weight`` is in [-1, 1]: positive when the body gives cause to call the headline
sensational (it contradicts it, fails to back it, answers its question "no"),
negative when the body backs it. Reasons are sorted by falling |weight|.

``support`` is in [-1, 1], how far the body backs the headline: the model's
P(agree) - P(disagree) - P(unrelated) (a body that only discusses the claim
counts 0), minus the weights of the rule checks that fired (see
``model.body.rules``), clipped to [-1, 1]. Positive: the body backs the
headline; negative: it contradicts it or fails to back it.

Evidence sentences are sentences of the body, trimmed to about 300 characters,
each with the role it plays: answers_question, missing, hedges, denies,
contradicts, supports, discusses. A body is cut to its first
``MAX_BODY_WORDS`` (20,000) words; markup is not parsed, only read as text.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model import artifacts
from model.body.claims import claim_not_in_body
from model.body.classifier import (
    STANCES,
    StanceClassifier,
    body_grams,
    check_feature_count,
    combine,
)
from model.body.rules import (
    Finding,
    certainty_not_backed,
    denies,
    question_answered,
)
from model.body.text import MAX_BODY_WORDS, trim
from model.fastpath import (
    PROBE_PAIRS,
    CompiledBoosting,
    LinearTextScorer,
    probe_mismatch,
)

STANCE = "stance"
__all__ = ["MAX_BODY_WORDS", "STANCE", "STANCES", "BodyChecker"]

# code, share of the stance's probability used as weight, role, message.
STANCE_REASONS = {
    "disagree": (
        "body_contradicts",
        0.8,
        "contradicts",
        "The article disputes or refutes the headline",
    ),
    "agree": ("body_supports", -0.5, "supports", "The article backs the headline"),
    "discuss": (
        "body_discusses",
        0.15,
        "discusses",
        "The article reports the claim without confirming it",
    ),
    "unrelated": (
        "body_unrelated",
        0.6,
        None,
        "The article is not about what the headline says",
    ),
}


class BodyChecker:
    """A loaded stance model that checks headlines against bodies."""

    def __init__(self, model: StanceClassifier, metadata: dict) -> None:
        self.model = model
        self.metadata = metadata
        self.version = metadata.get("version", "unknown")
        check_feature_count(model, len(model.features_.get_feature_names_out()))
        # The same fitted parameters, scored in a few numpy operations.
        self._related = CompiledBoosting(model.related_)
        self._stance = CompiledBoosting(model.stance_)
        self._debunking = LinearTextScorer(
            model.debunking_vectorizer_, model.debunking_
        )
        features = model.features_
        fast = [
            self.probabilities(features.headline_doc(h), features.body_doc(b))
            for h, b in PROBE_PAIRS
        ]
        mismatch = probe_mismatch(metadata.get("probes"), fast)
        if mismatch:
            raise artifacts.ArtifactError(
                f"the stance model {self.version}: {mismatch}; retrain it with "
                "`sensationalism train --model stance`"
            )

    def probabilities(self, h, b) -> np.ndarray:
        """The model's four probabilities, in STANCES order, for processed texts."""
        row = self.model.features_.pair_features(h, b)[np.newaxis]
        debunking = self._debunking.decision(body_grams(b))
        return combine(
            self._related.predict_proba(row)[:, 1],
            self._stance.predict_proba(np.append(row, [[debunking]], axis=1)),
            self.model.stance_.classes_,
        )[0]

    @classmethod
    def load(cls, directory: Path | str = artifacts.ARTIFACT_DIR) -> BodyChecker:
        """Load the stance artifact, refusing one that fails its digest check."""
        model, metadata = artifacts.load(STANCE, directory)
        if not isinstance(model, StanceClassifier):
            raise artifacts.ArtifactError(
                f"{directory}: the stance artifact holds a {type(model).__name__}"
            )
        return cls(model, metadata)

    def check(self, headline: str, body: str) -> dict:
        """The stance, evidence, reasons and support of one headline and body."""
        headline = " ".join(headline.split())
        if not headline:
            raise ValueError("the headline is empty")
        features = self.model.features_
        b = features.body_doc(body)
        if not b.sentences:
            return {
                "stance": "unrelated",
                "probabilities": {s: float(s == "unrelated") for s in STANCES},
                "evidence": [],
                "reasons": [
                    {
                        "code": "empty_body",
                        "message": "The article has no text to check the headline "
                        "against.",
                        "weight": 0.0,
                    }
                ],
                "support": 0.0,
            }
        h = features.headline_doc(headline)
        proba = self.probabilities(h, b)
        stance = STANCES[int(np.argmax(proba))]
        related = stance != "unrelated"
        similarity = features.sentence_similarity(h, b)[: len(b.sentences)]

        findings = [
            self._stance_finding(
                stance, float(proba[STANCES.index(stance)]), b, similarity
            ),
            *question_answered(features, headline, b, related),
            *claim_not_in_body(h, b, similarity, related),
            *certainty_not_backed(h, b, similarity, related),
        ]
        findings.sort(key=lambda f: -abs(f.weight))
        rules = sum(f.weight for f in findings if not f.code.startswith("body_"))
        p = dict(zip(STANCES, proba.tolist(), strict=True))
        support = p["agree"] - p["disagree"] - p["unrelated"] - rules
        evidence = []
        for f in findings:
            if not (f.sentence and f.role):
                continue
            item = {"sentence": trim(f.sentence), "role": f.role}
            if item not in evidence:
                evidence.append(item)
        return {
            "stance": stance,
            "probabilities": {s: round(v, 4) for s, v in p.items()},
            "evidence": evidence,
            "reasons": [
                {"code": f.code, "message": f.message, "weight": round(f.weight, 3)}
                for f in findings
            ],
            "support": round(float(np.clip(support, -1.0, 1.0)), 4),
        }

    @staticmethod
    def _stance_finding(stance, probability, b, similarity) -> Finding:
        """The model's verdict, quoting the sentence most relevant to it."""
        code, share, role, message = STANCE_REASONS[stance]
        sentence = None
        if role is not None and similarity.max(initial=0.0) > 0:
            order = [int(i) for i in np.argsort(-similarity, kind="stable")[:5]]
            if stance == "disagree":
                # The most similar sentence that denies, else the most similar.
                order.sort(key=lambda i: not denies(b.sentence_words[i]))
            sentence = b.sentences[order[0]]
        quoted = f': "{trim(sentence)}"' if sentence else ""
        return Finding(
            code,
            f"{message} (probability {probability:.0%}){quoted}",
            share * probability,
            sentence,
            role if sentence else None,
        )
