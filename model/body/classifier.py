"""The stance model: is a body related to its headline, and if so, how?

Two stages over the dense pair features of ``model.body.features``, as in the
FNC-1 systems that did best: gradient boosting for related vs unrelated, then
gradient boosting for agree / disagree / discuss among related pairs, with
class weights so that the rare "disagree" is not drowned out. The second stage
also reads one stacked score: a logistic regression over the body's stem 1- and
2-grams that tells a debunking article ("satirical", "the photo was faked")
from a supporting one, which cue-word counts alone miss. The four probabilities
are P(unrelated) = 1 - P(related), and P(related) times the second stage's.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.utils.validation import check_is_fitted

from model.body.features import BodyDoc, StanceFeatures, _identity

STANCES = ("agree", "disagree", "discuss", "unrelated")
STACKING_FOLDS = 5


def story_ids(headlines, bodies, stances) -> np.ndarray:
    """A story id per row: bodies joined through the headlines of related pairs.

    FNC-1 pairs each headline with several bodies of one story, so a split that
    keeps a story on one side keeps every body, and every headline's related
    bodies, on one side.
    """
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for headline, body, stance in zip(headlines, bodies, stances, strict=True):
        if stance != "unrelated":
            parent[root(("h", headline))] = root(("b", body))
    ids: dict[tuple[str, str], int] = {}
    return np.array([ids.setdefault(root(("b", body)), len(ids)) for body in bodies])


def combine(p_related, stance: np.ndarray, stance_classes) -> np.ndarray:
    """The four probabilities, in STANCES order, from the two stages' outputs."""
    out = np.zeros((len(stance), len(STANCES)))
    for j, name in enumerate(stance_classes):
        out[:, STANCES.index(name)] = p_related * stance[:, j]
    out[:, STANCES.index("unrelated")] = 1.0 - p_related
    return out


def body_grams(body: BodyDoc) -> list[str]:
    """The body's stems and stem bigrams, the debunking model's input."""
    stems = body.stem_sequence
    return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)]


def check_feature_count(model, n_features: int) -> None:
    """Refuse a model fitted on another number of pair features than the code makes.

    Columns are read by position: a model from before a feature was added would
    otherwise answer without an error, and wrongly.
    """
    fitted_on = model.related_.n_features_in_
    if n_features != fitted_on:
        raise ValueError(
            f"the stance model was fitted on {fitted_on} pair features, this code"
            f" makes {n_features}: retrain it (sensationalism train --model stance)"
        )


class StanceClassifier(ClassifierMixin, BaseEstimator):
    """Probabilities over agree/disagree/discuss/unrelated for (headline, body) pairs.

    ``X`` is a sequence of (headline, body) string pairs. ``class_weight_power``
    sets the second stage's class weights to (balanced weight) ** power: 0 leaves
    the classes as they come, 1 weighs them equally.
    """

    def __init__(
        self,
        max_iter: int = 200,
        learning_rate: float = 0.05,
        max_leaf_nodes: int = 15,
        l2_regularization: float = 1.0,
        class_weight_power: float = 0.5,
        max_features: int = 15_000,
        n_components: int = 50,
        body_max_features: int = 20_000,
        body_C: float = 3.0,
        random_state: int = 0,
    ):
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.l2_regularization = l2_regularization
        self.class_weight_power = class_weight_power
        self.max_features = max_features
        self.n_components = n_components
        self.body_max_features = body_max_features
        self.body_C = body_C
        self.random_state = random_state

    def _booster(self) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            l2_regularization=self.l2_regularization,
            # A fixed number of rounds: early stopping would hold out a random
            # tenth of the rows, which splits bodies across the two sides.
            early_stopping=False,
            random_state=self.random_state,
        )

    def _fit_debunking(self, docs, disagree):
        vectorizer = TfidfVectorizer(
            analyzer=_identity,
            min_df=2,
            max_features=self.body_max_features,
            sublinear_tf=True,
            dtype=np.float32,
        )
        matrix = vectorizer.fit_transform(docs)
        # Older scikit-learn keeps every pruned n-gram here: heavy, and unused.
        if hasattr(vectorizer, "stop_words_"):
            del vectorizer.stop_words_
        model = LogisticRegression(
            C=self.body_C, class_weight="balanced", max_iter=3000
        ).fit(matrix, disagree)
        return vectorizer, model

    def fit(self, X, y):
        """Fit the features, the debunking model, then both stages."""
        y = np.asarray(y, dtype=object)
        unknown = set(y) - set(STANCES)
        if unknown:
            raise ValueError(f"unknown stance labels: {sorted(unknown)}")
        self.classes_ = np.array(STANCES, dtype=object)
        self.features_ = StanceFeatures(
            max_features=self.max_features,
            n_components=self.n_components,
            random_state=self.random_state,
        ).fit(X)
        F, bodies = self.features_.transform_with_bodies(X)
        related = np.flatnonzero(y != "unrelated")
        self.related_ = self._booster().fit(F, y != "unrelated")

        # The debunking score, out of fold by story for the rows stage 2 learns
        # from, so that stage 2 learns how far to trust it on unseen stories.
        grams = {id(b): body_grams(b) for b in bodies}
        docs = [grams[id(bodies[i])] for i in related]
        labels = y[related]
        contested = np.isin(labels, ["agree", "disagree"])
        groups = story_ids(
            [X[i][0] for i in related], [X[i][1] for i in related], labels
        )
        debunking = np.zeros(len(related))
        for train, test in GroupKFold(STACKING_FOLDS).split(docs, labels, groups):
            train = train[contested[train]]
            vectorizer, model = self._fit_debunking(
                [docs[i] for i in train], labels[train] == "disagree"
            )
            debunking[test] = model.decision_function(
                vectorizer.transform([docs[i] for i in test])
            )
        self.debunking_vectorizer_, self.debunking_ = self._fit_debunking(
            [docs[i] for i in np.flatnonzero(contested)],
            labels[contested] == "disagree",
        )

        names, counts = np.unique(labels, return_counts=True)
        balanced = len(labels) / (len(names) * counts)
        weight = dict(zip(names, balanced**self.class_weight_power, strict=True))
        self.stance_ = self._booster().fit(
            np.column_stack([F[related], debunking]),
            labels,
            sample_weight=np.array([weight[label] for label in labels]),
        )
        return self

    def debunking_scores(self, bodies: list[BodyDoc]) -> np.ndarray:
        """The debunking model's log-odds for each body (computed once per body)."""
        scores: dict[int, float] = {}
        for b in bodies:
            if id(b) not in scores:
                matrix = self.debunking_vectorizer_.transform([body_grams(b)])
                scores[id(b)] = float(self.debunking_.decision_function(matrix)[0])
        return np.array([scores[id(b)] for b in bodies])

    def proba_from_features(self, F: np.ndarray, debunking: np.ndarray) -> np.ndarray:
        """Columns in STANCES order, from ``StanceFeatures`` rows and body scores."""
        check_is_fitted(self)
        check_feature_count(self, F.shape[1])
        return combine(
            self.related_.predict_proba(F)[:, 1],
            self.stance_.predict_proba(np.column_stack([F, debunking])),
            self.stance_.classes_,
        )

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self)
        F, bodies = self.features_.transform_with_bodies(X)
        return self.proba_from_features(F, self.debunking_scores(bodies))

    def predict(self, X) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
