"""The API's schemas: they check requests at run time and make /api/v1/openapi.json.

One set of JSON Schemas, written once: ``validate(name, instance)`` checks a
request against the schema ``name`` (with jsonschema) and turns the first rule
it breaks into a ``BadInput`` (or ``TooLarge``) that names the field, and
``spec()`` is the OpenAPI 3.1 document built from the same schemas. What a
schema cannot say (a URL's parts, text without NUL, which fields go together)
is checked by the code that reads the request after ``validate``.

Kept true by tests: every route is documented, every documented route exists, and
the answers the tests receive validate against these schemas.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from backend.config import (
    MAX_BODY_CHARS,
    MAX_HEADLINE_CHARS,
    MAX_NOTE_CHARS,
    MAX_URL_LENGTH,
)
from backend.errors import BadInput, TooLarge


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}

_SCORE_REQUEST = {
    "type": "object",
    "description": (
        'One of: {"url"} (the service fetches the page); {"html", "url"?} (the '
        'caller sends the page it has; nothing is fetched); {"headline", "body"?}. '
        "The page's HTML is limited in bytes by the service's MAX_HTML_BYTES."
    ),
    # null is the same as leaving a field out.
    "properties": {
        "url": {"type": ["string", "null"], "maxLength": MAX_URL_LENGTH},
        "html": {"type": ["string", "null"]},
        "headline": {"type": ["string", "null"], "maxLength": MAX_HEADLINE_CHARS},
        "body": {"type": ["string", "null"], "maxLength": MAX_BODY_CHARS},
    },
}

VERDICTS = ("too_high", "too_low", "about_right")

_FEEDBACK = {
    "type": "object",
    "required": ["url", "headline", "score_seen", "verdict"],
    "additionalProperties": False,
    "properties": {
        "url": {"type": "string", "maxLength": MAX_URL_LENGTH},
        "headline": {"type": "string", "minLength": 1, "maxLength": MAX_HEADLINE_CHARS},
        "score_seen": {"type": "integer", "minimum": 0, "maximum": 100},
        "verdict": {"enum": list(VERDICTS)},
        "note": {"type": ["string", "null"], "maxLength": MAX_NOTE_CHARS},
    },
}

_SCORE_BATCH = {
    "type": "object",
    "required": ["items"],
    "properties": {
        "items": {
            "type": "array",
            "minItems": 1,
            "description": "At most the service's MAX_BATCH_ITEMS (100 by default).",
            "items": {"$ref": "#/components/schemas/ScoreRequest"},
        }
    },
}

# The schemas requests are checked against, by name.
_REQUESTS = {"ScoreRequest": _SCORE_REQUEST, "Feedback": _FEEDBACK}
_VALIDATORS = {name: Draft202012Validator(s) for name, s in _REQUESTS.items()}
# Fields whose excess size is a 413 (too large), not a 400 (bad input).
_BULK_FIELDS = frozenset({"html", "body"})
_WHAT = {"ScoreRequest": "the request", "Feedback": "feedback"}
_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "object": "a JSON object",
    "array": "a list",
}
# The order in which broken rules are reported: the object's shape first.
_FIRST = ("type", "additionalProperties", "required")


def validate(name: str, instance: Any) -> None:
    """Check ``instance`` against the request schema ``name``; raise what it breaks.

    Raises BadInput (TooLarge for a page or body over its length) whose message
    names the field and the rule, e.g. '"score_seen" must be an integer'.
    """
    errors = list(_VALIDATORS[name].iter_errors(instance))
    if not errors:
        return
    errors.sort(
        key=lambda e: (
            len(e.absolute_path),
            _FIRST.index(e.validator) if e.validator in _FIRST else len(_FIRST),
            [str(p) for p in e.absolute_path],
        )
    )
    raise _error(name, errors[0])


def _error(name: str, error) -> BadInput:
    path = list(error.absolute_path)
    rule, value = error.validator, error.validator_value
    schema = _REQUESTS[name]
    if not path:
        if rule == "type":
            return BadInput(f"{_WHAT[name]} must be a JSON object")
        if rule == "required":
            missing = [f for f in value if f not in error.instance]
            return BadInput(f'"{missing[0]}" is required')
        if rule == "additionalProperties":
            unknown = [
                str(f)[:40] for f in error.instance if f not in schema["properties"]
            ]
            expected = ", ".join(schema["properties"])
            return BadInput(
                f"unknown {_WHAT[name]} field(s) {', '.join(map(repr, unknown[:5]))};"
                f" expected {expected}"
            )
        return BadInput(f"{_WHAT[name]} is not valid: {error.message[:200]}")
    field = str(path[0])
    if (
        rule == "type"
        and error.instance is None
        and field in schema.get("required", ())
    ):
        return BadInput(f'"{field}" is required')
    if rule == "type":
        kinds = [value] if isinstance(value, str) else value
        kind = next(_TYPE_NAMES[k] for k in kinds if k in _TYPE_NAMES)
        return BadInput(f'"{field}" must be {kind}')
    if rule in ("minLength", "maxLength"):
        rules = schema["properties"][field]
        if "minLength" in rules and "maxLength" in rules:
            low, high = rules["minLength"], rules["maxLength"]
            return BadInput(f'"{field}" must be {low} to {high:,} characters long')
        if rule == "minLength":
            return BadInput(f'"{field}" must not be empty')
        error_class = TooLarge if field in _BULK_FIELDS else BadInput
        return error_class(f'"{field}" is longer than {value:,} characters')
    if rule == "enum":
        return BadInput(f'"{field}" must be one of {", ".join(map(str, value))}')
    if rule in ("minimum", "maximum"):
        spec_ = schema["properties"][field]
        return BadInput(
            f'"{field}" must be between {spec_["minimum"]} and {spec_["maximum"]}'
        )
    return BadInput(f'"{field}" is not valid: {error.message[:200]}')


_REASON = {
    "type": "object",
    "required": ["code", "message", "weight"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "weight": {"type": "number"},
    },
}

_MODEL_INFO = {
    "type": "object",
    "required": ["version", "metrics"],
    "properties": {
        "version": {"type": "string"},
        "created": {"type": ["string", "null"]},
        "git_commit": {"type": ["string", "null"]},
        "metrics": {"type": "object"},
        "training_data": {"type": "object"},
        "libraries": {"type": "object"},
    },
}

_HIGHLIGHT = {
    "type": "object",
    "required": ["start", "end", "weight"],
    "properties": {
        "start": {"type": "integer", "minimum": 0},
        "end": {"type": "integer", "minimum": 0},
        "text": {"type": "string"},
        "weight": {"type": "number"},
    },
}

_SCORE_RESULT = {
    "type": "object",
    "required": [
        "score",
        "band",
        "headline",
        "reasons",
        "highlights",
        "model",
        "article",
        "timing",
    ],
    "properties": {
        "score": {"type": "integer", "minimum": 0, "maximum": 100},
        "band": {"enum": ["low", "medium", "high"]},
        "headline": {
            "type": "object",
            "required": ["text", "score", "probability"],
            "properties": {
                "text": {"type": "string"},
                "score": {"type": "integer", "minimum": 0, "maximum": 100},
                "probability": {"type": "number", "minimum": 0, "maximum": 1},
            },
        },
        "reasons": {"type": "array", "items": _ref("Reason")},
        "highlights": {
            "type": "array",
            "items": _ref("Highlight"),
        },
        "body_check": {"type": ["object", "null"]},
        "model": {
            "type": "object",
            "required": ["version"],
            "properties": {"version": {"type": "string"}},
        },
        "article": {
            "type": "object",
            "required": ["headline", "standfirst", "url", "body_chars"],
            "properties": {
                "headline": {
                    "type": "object",
                    "required": ["text", "source"],
                    "properties": {
                        "text": {"type": "string"},
                        "source": {
                            "enum": [
                                "h1",
                                "json-ld",
                                "og:title",
                                "twitter:title",
                                "title",
                                "request",
                            ]
                        },
                    },
                },
                "standfirst": {"type": ["string", "null"]},
                "url": {"type": ["string", "null"]},
                "site_name": {"type": ["string", "null"]},
                "body_chars": {"type": "integer", "minimum": 0},
            },
        },
        "cached": {"type": "boolean"},
        "timing": {"type": "object", "additionalProperties": {"type": "number"}},
    },
}


def _json(schema: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref(schema)}},
    }


def _errors(*statuses: int) -> dict:
    text = {
        400: "Bad input: malformed JSON, a missing or wrong field, a refused URL.",
        401: "An API key is configured and the request has none, or a wrong one.",
        429: "Too many requests from this client; see Retry-After.",
        413: "The request or the page is too large.",
        415: (
            "The fetched page is not HTML (not_html), or is in a charset no "
            "browser reads (unsupported_charset)."
        ),
        422: (
            "Nothing the models can judge: no_headline (the page has none), "
            "no_article (a front, listing, index or login wall; `found` has the "
            "headline, body_words and links seen) or unsupported_language (not "
            "English; `language` and `language_name` name it)."
        ),
        502: "The page's server failed or refused.",
        503: "The feedback store is unavailable; try again later.",
        504: (
            "The page's server did not answer in time (upstream_timeout), or the "
            "request's time budget ran out (timeout)."
        ),
    }
    return {str(s): _json("Error", text[s]) for s in statuses}


@cache
def spec() -> dict:
    """The OpenAPI document."""
    document = _document()
    # Every route but health may need an API key and is rate limited.
    for path, operations in document["paths"].items():
        if path == "/api/v1/health":
            continue
        for operation in operations.values():
            operation["security"] = [{}, {"apiKey": []}]
            operation["responses"].update(_errors(401, 429))
    return document


def _document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Sensationalism Scorer",
            "version": "1",
            "description": (
                "Scores how sensational a news headline is (0-100), explains why, "
                "and reports the article it read."
            ),
        },
        "paths": {
            "/api/v1/score": {
                "post": {
                    "summary": "Score one page or headline.",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": _ref("ScoreRequest")}
                        },
                    },
                    "responses": {
                        "200": _json("ScoreResult", "The score."),
                        **_errors(400, 413, 415, 422, 502, 504),
                    },
                }
            },
            "/api/v1/score/batch": {
                "post": {
                    "summary": "Score up to 100 items; each answer or error in place.",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("ScoreBatch")}},
                    },
                    "responses": {
                        "200": {
                            "description": "One result or error object per item.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["results"],
                                        "properties": {
                                            "results": {
                                                "type": "array",
                                                "items": {
                                                    "anyOf": [
                                                        _ref("ScoreResult"),
                                                        _ref("Error"),
                                                    ]
                                                },
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        **_errors(400, 413),
                    },
                }
            },
            "/api/v1/feedback": {
                "post": {
                    "summary": "A reader's verdict on a score, kept for review.",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("Feedback")}},
                    },
                    "responses": {
                        "201": {
                            "description": "Stored.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["id", "status"],
                                        "properties": {
                                            "id": {"type": "integer"},
                                            "status": {"const": "stored"},
                                        },
                                    }
                                }
                            },
                        },
                        **_errors(400, 413, 503),
                    },
                }
            },
            "/api/v1/health": {
                "get": {
                    "summary": "Liveness, with the model version answering.",
                    "responses": {
                        "200": {
                            "description": "The service is up.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["status", "model"],
                                        "properties": {
                                            "status": {"const": "ok"},
                                            "model": {"type": "object"},
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/api/v1/model": {
                "get": {
                    "summary": "The models answering: versions, metrics, data.",
                    "responses": {
                        "200": {
                            "description": "The model's metadata.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["version", "headline", "stance"],
                                        "properties": {
                                            "version": {"type": "string"},
                                            "headline": _ref("ModelInfo"),
                                            "stance": {
                                                "anyOf": [
                                                    _ref("ModelInfo"),
                                                    {"type": "null"},
                                                ]
                                            },
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This document.",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document.",
                            "content": {
                                "application/json": {"schema": {"type": "object"}}
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}
            },
            "schemas": {
                "Error": _ERROR,
                "ScoreRequest": _SCORE_REQUEST,
                "ScoreBatch": _SCORE_BATCH,
                "ScoreResult": _SCORE_RESULT,
                "Reason": _REASON,
                "Feedback": _FEEDBACK,
                "Highlight": _HIGHLIGHT,
                "ModelInfo": _MODEL_INFO,
            },
        },
    }
