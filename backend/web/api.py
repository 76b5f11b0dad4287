"""The versioned JSON API: score a page or a headline, batch, health, model, spec."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from backend.errors import BadInput, ScorerError, TooLarge
from backend.feedback import migrate_once, validate_feedback
from backend.service import score_request, score_requests
from backend.web.schema import spec

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
def score():
    state = _state()
    return jsonify(
        score_request(_json_body(), _scorer(), state["settings"], state["cache"])
    )


@bp.post("/score/batch")
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


@bp.get("/model")
def model():
    meta = _scorer().metadata
    return jsonify(
        {
            "version": meta.get("version"),
            "created": meta.get("created"),
            "git_commit": meta.get("git_commit"),
            "metrics": meta.get("metrics", {}),
            "training_data": meta.get("training_data", {}),
            "libraries": meta.get("libraries", {}),
        }
    )


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())
