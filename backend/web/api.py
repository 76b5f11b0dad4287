"""The versioned JSON API: score a page or a headline, batch, health, model, spec.

Every route but health is rate limited per client: scoring by the default limit
(RATE_LIMIT_SCORE), a batch by the same limit at one request per item, feedback
by its own (RATE_LIMIT_FEEDBACK); see backend.web.access.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from backend.errors import BadInput, ScorerError, TooLarge
from backend.feedback import migrate_once, validate_feedback
from backend.schema import spec
from backend.service import score_request, score_requests
from backend.web.access import (
    batch_cost,
    feedback_limit,
    limiter,
    per_key,
    score_limit,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _state() -> dict:
    return current_app.extensions["sensationalism"]


def _scorer():
    return _state()["model"].current()


def _json_body():
    limit = request.max_content_length
    if (
        limit is not None
        and request.content_length is None  # chunked: Werkzeug stops at the limit
        and len(request.get_data(cache=True)) >= limit
    ):
        raise TooLarge("the request body is larger than the service accepts")
    try:
        body = request.get_json(silent=True)
    except RecursionError as err:
        raise BadInput("the request body is nested too deeply") from err
    if body is None:
        raise BadInput("the request body must be JSON (Content-Type: application/json)")
    return body


@bp.post("/score")
@per_key()
def score():
    state = _state()
    return jsonify(
        score_request(_json_body(), _scorer(), state["settings"], state["cache"])
    )


@bp.post("/score/batch")
@limiter.limit(score_limit, cost=batch_cost)
@per_key()
def score_batch():
    state = _state()
    body = _json_body()
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise BadInput('the request must be {"items": [...]} with at least one item')
    limit = current_app.config["MAX_BATCH_ITEMS"]
    if len(items) > limit:
        raise BadInput(f"a batch holds at most {limit} items, not {len(items)}")
    # One model for the whole batch, its sums run once for all the items.
    outcomes = score_requests(items, _scorer(), state["settings"], state["cache"])
    return jsonify(
        {
            "results": [
                {**outcome.to_dict(), "status": outcome.status}
                if isinstance(outcome, ScorerError)
                else outcome
                for outcome in outcomes
            ]
        }
    )


@bp.post("/feedback")
@limiter.limit(feedback_limit)
@per_key()
def feedback():
    """A reader's verdict on a score: stored for review, then for retraining."""
    record = validate_feedback(_json_body())
    store = _state()["feedback"]
    migrate_once(store)
    record_id = store.add(record, model_version=_scorer().version)
    return jsonify({"id": record_id, "status": "stored"}), 201


@bp.get("/health")
def health():
    return jsonify({"status": "ok", "model": {"version": _scorer().version}})


def _describe(metadata: dict) -> dict:
    return {
        "version": metadata.get("version"),
        "created": metadata.get("created"),
        "git_commit": metadata.get("git_commit"),
        "metrics": metadata.get("metrics", {}),
        "training_data": metadata.get("training_data", {}),
        "libraries": metadata.get("libraries", {}),
    }


@bp.get("/model")
def model():
    """Both models answering: the headline model and the stance model (or null)."""
    scorer = _scorer()
    checker = scorer.body_checker
    return jsonify(
        {
            "version": scorer.version,
            "headline": _describe(scorer.metadata),
            "stance": None if checker is None else _describe(checker.metadata),
        }
    )


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())
