"""Does the article back its headline? The stance model plus rule checks.

``BodyChecker.load()`` once, then ``check(headline, body)`` per article:

    {
      "status": "checked" | "short" | "could_not_check",
      "status_message": str,
      "stance": "agree" | "disagree" | "discuss" | "unrelated",
      "probabilities": {"agree": p, "disagree": p, "discuss": p, "unrelated": p},
      "verdict": str,
      "evidence": [{"sentence": str, "role": str}, ...],
      "reasons": [{"code": str, "message": str, "weight": float}, ...],
      "support": float,
      "weight": float,
    }

Only quoted evidence raises a score. Each finding that can (``EVIDENCE`` in
``model.body.rules``: the body disputes the claim, answers the headline's question
"no", does not back its certainty word, never mentions whom or what it names)
quotes its sentence, and adds its kind's fitted log-odds weight times its
strength (``weight`` of its reason; fitted by ``model.training.combination``,
non-negative, so a more supportive body never raises a score). ``weight`` of the
result is their sum, the log-odds the body adds to the headline's. A finding
that backs the headline (the model reads "agree", the body answers "yes") or
merely reports it ("discuss") weighs 0.

``status``: "checked"; "short" (under ``MIN_BODY_WORDS`` words: checked as far as
a few words allow, and never called unrelated); "could_not_check" (no text, or
the stance model reads the body as unrelated to its own headline, which on a
page means the extraction or the model went wrong: nothing is added).

``verdict`` is the weightiest finding's message without its quote, and
``evidence`` starts with that quote, so that the verdict, the reason and the
quote agree. No sentence is
quoted twice: a finding whose sentences a weightier finding already quoted
quotes its next one, or points to the quote above. ``support`` is
P(agree) - P(disagree), for information. Sentences are trimmed to about 300
characters. A body is cut to its first ``MAX_BODY_WORDS`` (20,000) words; markup
is not parsed, only read as text.
"""

from __future__ import annotations

from dataclasses import replace
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
    EVIDENCE,
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
# A body shorter than this is "short": a teaser or a failed extraction as often
# as an article, too little for the stance model to tell it is unrelated.
MIN_BODY_WORDS = 50
__all__ = ["MAX_BODY_WORDS", "MIN_BODY_WORDS", "STANCE", "STANCES", "BodyChecker"]

STATUS_MESSAGES = {
    "checked": "The article was checked against its headline.",
    "short": "The article text is short (under {n} words): only what it says "
    "could be checked.",
    "unrelated": "Could not check the article: the text found does not read as "
    "the article under this headline, so the page was probably not read right.",
    "empty": "Could not check the article: there is no text to check the "
    "headline against.",
}
# The stance model's verdict when no finding with a quote outweighs it.
STANCE_MESSAGES = {
    "agree": "The article backs the headline",
    "disagree": "The article disputes the headline's claim",
    "discuss": "The article reports the claim without confirming it",
}
STANCE_ROLES = {"agree": "supports", "disagree": "contradicts", "discuss": "discusses"}


class BodyChecker:
    """A loaded stance model that checks headlines against bodies."""

    def __init__(
        self, model: StanceClassifier, metadata: dict, weights: dict | None = None
    ) -> None:
        """``weights`` overrides the model's evidence weights (training fits them)."""
        self.model = model
        self.metadata = metadata
        self.version = metadata.get("version", "unknown")
        check_feature_count(model, len(model.features_.get_feature_names_out()))
        self.weights = evidence_weights(model) if weights is None else weights
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
    def load(
        cls, directory: Path | str = artifacts.ARTIFACT_DIR, manifest=None
    ) -> BodyChecker:
        """Load the stance artifact, refusing one that fails its digest check.

        ``manifest``: the folder's manifest as already read (``artifacts.resolve``).
        """
        if manifest is None:
            manifest = artifacts.read_manifest(directory)
        model, metadata = artifacts.load(
            STANCE, directory, shared=True, manifest=manifest
        )
        if not isinstance(model, StanceClassifier):
            raise artifacts.ArtifactError(
                f"{directory}: the stance artifact holds a {type(model).__name__}"
            )
        return cls(model, metadata)

    def findings(self, headline: str, body: str) -> tuple[dict, list[Finding]]:
        """The stance, status and every finding, before any weighing or quoting."""
        headline = " ".join(headline.split())
        if not headline:
            raise ValueError("the headline is empty")
        return self.findings_of_docs(headline, self.model.features_.body_doc(body))

    def findings_of_docs(self, headline: str, b) -> tuple[dict, list[Finding]]:
        """``findings`` for a cleaned headline and a processed body."""
        features = self.model.features_
        short = b.n_words < MIN_BODY_WORDS
        if not b.sentences:
            p = {s: float(s == "unrelated") for s in STANCES}
            return {"status": "could_not_check", "why": "empty", "p": p}, []
        h = features.headline_doc(headline)
        proba = self.probabilities(h, b)
        p = dict(zip(STANCES, proba.tolist(), strict=True))
        stance = STANCES[int(np.argmax(proba))]
        state = {"status": "short" if short else "checked", "p": p, "stance": stance}
        if stance == "unrelated" and not short:
            return {**state, "status": "could_not_check", "why": "unrelated"}, []
        # A few words cannot tell related from unrelated: check what they say.
        related = True
        similarity = features.sentence_similarity(h, b)[: len(b.sentences)]
        findings = [
            *question_answered(features, headline, b, related),
            *certainty_not_backed(h, b, similarity, related),
            *claim_not_in_body(h, b, similarity, related),
        ]
        # A certainty word is unbacked as far as the model does not read the
        # body as agreeing: a body that backs the claim may still deny a detail.
        unbacked = 1.0 - p["agree"] / max(1.0 - p["unrelated"], 1e-9)
        findings = [
            replace(f, value=round(unbacked, 4))
            if f.evidence in ("certainty_denied", "certainty_hedged")
            else f
            for f in findings
        ]
        if stance != "unrelated":
            findings.append(self._stance_finding(stance, p, h, b, similarity))
        return state, findings

    def check(self, headline: str, body: str) -> dict:
        """The status, stance, verdict, evidence, reasons and weight of one pair."""
        state, findings = self.findings(headline, body)
        p = state["p"]
        probabilities = {s: round(v, 4) for s, v in p.items()}
        if state["status"] == "could_not_check":
            message = STATUS_MESSAGES[state["why"]]
            return {
                "status": "could_not_check",
                "status_message": message,
                "stance": state.get("stance", "unrelated"),
                "probabilities": probabilities,
                "verdict": message,
                "evidence": [],
                "reasons": [
                    {"code": "could_not_check", "message": message, "weight": 0.0}
                ],
                "support": 0.0,
                "weight": 0.0,
            }
        # Weightiest first; among findings that add nothing, the model's verdict.
        weighed = sorted(
            ((self.weight(f), n, f) for n, f in enumerate(findings)),
            key=lambda t: (-t[0], not t[2].code.startswith("body_"), t[1]),
        )
        reasons, evidence, quoted = [], [], set()
        # The weightiest finding, without its quote: evidence[0] is that quote.
        verdict = weighed[0][2].message + "." if weighed else None
        for weight, _, f in weighed:
            sentence = next((s for s in f.sentences if s not in quoted), None)
            if sentence is not None:
                message = f'{f.message}: "{trim(sentence)}"'
                quoted.add(sentence)
                evidence.append({"sentence": trim(sentence), "role": f.role})
            elif f.sentences:
                message = f"{f.message}, in the sentence quoted above."
            else:
                message = f.message + "."
            reasons.append({"code": f.code, "message": message, "weight": weight})
        status = state["status"]
        status_message = STATUS_MESSAGES[status].format(n=MIN_BODY_WORDS)
        return {
            "status": status,
            "status_message": status_message,
            "stance": state["stance"],
            "probabilities": probabilities,
            "verdict": verdict or status_message,
            "evidence": evidence,
            "reasons": reasons,
            "support": round(p["agree"] - p["disagree"], 4),
            "weight": round(sum(r["weight"] for r in reasons), 3),
        }

    def weight(self, finding: Finding) -> float:
        """The log-odds a finding adds: its kind's fitted weight times its value."""
        if finding.evidence is None or not finding.sentences:
            return 0.0
        return round(self.weights[finding.evidence] * finding.value, 3)

    @staticmethod
    def _stance_finding(stance, p, h, b, similarity) -> Finding:
        """The model's verdict, with the sentences most relevant to it.

        "disagree" is evidence only with a relevant sentence that restates the
        claim (two of its words) and denies it, which it quotes: the model's
        reading alone is no quote.
        """
        order = [
            int(i)
            for i in np.argsort(-similarity, kind="stable")[:5]
            if similarity[i] > 0
        ]
        if stance == "disagree":
            denying = [
                i
                for i in order
                if denies(b.sentence_words[i])
                and len(h.content & b.sentence_stems[i]) >= 2
            ]
            if denying:
                return Finding(
                    "body_contradicts",
                    f"{STANCE_MESSAGES[stance]} (probability {p[stance]:.0%})",
                    tuple(b.sentences[i] for i in denying),
                    "contradicts",
                    "disputes",
                    p[stance],
                )
            return Finding(
                "body_contradicts",
                "The stance model reads the article as disputing the headline "
                f"(probability {p[stance]:.0%}), but no sentence says so outright",
            )
        code = {"agree": "body_supports", "discuss": "body_discusses"}[stance]
        return Finding(
            code,
            f"{STANCE_MESSAGES[stance]} (probability {p[stance]:.0%})",
            tuple(b.sentences[i] for i in order[:1]),
            STANCE_ROLES[stance],
        )


def evidence_weights(model: StanceClassifier) -> dict[str, float]:
    """The fitted log-odds weight of each kind of evidence the model carries."""
    weights = getattr(model, "evidence_weights_", None)
    if weights is None or set(weights) != set(EVIDENCE):
        raise artifacts.ArtifactError(
            "the stance model carries no fitted evidence weights for this code's "
            "checks: retrain it (sensationalism train --model stance)"
        )
    if any(w < 0 for w in weights.values()):
        raise artifacts.ArtifactError("an evidence weight is negative")
    return dict(weights)
