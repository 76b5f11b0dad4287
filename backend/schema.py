"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json.

Kept true by tests: every route is documented, every documented route exists, and
the answers the tests receive validate against these schemas.
"""

from __future__ import annotations

from functools import cache


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
        'caller sends the page it has; nothing is fetched); {"headline", "body"?}.'
    ),
    "properties": {
        "url": {"type": "string", "maxLength": 2048},
        "html": {"type": "string"},
        "headline": {"type": "string", "maxLength": 1000},
        "body": {"type": "string"},
    },
}

_FEEDBACK = {
    "type": "object",
    "required": ["url", "headline", "score_seen", "verdict"],
    "additionalProperties": False,
    "properties": {
        "url": {"type": "string", "maxLength": 2048},
        "headline": {"type": "string", "minLength": 1, "maxLength": 1000},
        "score_seen": {"type": "integer", "minimum": 0, "maximum": 100},
        "verdict": {"enum": ["too_high", "too_low", "about_right"]},
        "note": {"type": ["string", "null"], "maxLength": 2000},
    },
}

_REASON = {
    "type": "object",
    "required": ["code", "message", "weight"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "weight": {"type": "number"},
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
        415: "The fetched page is not HTML.",
        422: "No headline was found on the page.",
        502: "The page's server failed or refused.",
        503: "The feedback store is unavailable; try again later.",
        504: "The page's server did not answer in time.",
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
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["items"],
                                    "properties": {
                                        "items": {
                                            "type": "array",
                                            "minItems": 1,
                                            "maxItems": 100,
                                            "items": _ref("ScoreRequest"),
                                        }
                                    },
                                }
                            }
                        },
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
                    "summary": "The model answering: version, metrics, training data.",
                    "responses": {
                        "200": {
                            "description": "The model's metadata.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["version", "metrics"],
                                        "properties": {
                                            "version": {"type": "string"},
                                            "metrics": {"type": "object"},
                                            "training_data": {"type": "object"},
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
                "ScoreResult": _SCORE_RESULT,
                "Reason": _REASON,
                "Feedback": _FEEDBACK,
                "Highlight": _HIGHLIGHT,
            },
        },
    }
