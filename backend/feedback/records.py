"""A reader's feedback record: what it may hold, checked and tidied before storing."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from backend.config import (
    MAX_HEADLINE_CHARS,
    MAX_MODEL_VERSION_CHARS,
    MAX_NOTE_CHARS,
    MAX_URL_LENGTH,
)
from backend.errors import BadInput
from backend.schema import VERDICTS, validate

#: Review states; "pending" is stored as NULL.
REVIEW_STATES = ("pending", "accepted", "rejected")


def validate_feedback(item: Any) -> dict:
    """The feedback record in ``item``, checked and tidied, or BadInput saying why not.

    Unknown fields are refused, not ignored: a misspelt field ("verdit") is then
    reported to the client instead of silently lost, and nothing the store does
    not keep can look as if it had been accepted. Headline and note lose
    surrounding whitespace, and a blank note is no note. The URL is only stored,
    never fetched; its fragment is dropped (browsers never send it to servers,
    and it can hold a page's private state) and a URL with a user name or
    password in it is refused.
    """
    validate("Feedback", item)  # shape, types and sizes: backend.schema
    note = item.get("note")
    return {
        "url": _url(item["url"]),
        "headline": _text(item["headline"], "headline", MAX_HEADLINE_CHARS),
        "score_seen": _score(item["score_seen"]),
        "verdict": _verdict(item["verdict"]),
        "note": None if note is None else _text(note, "note", MAX_NOTE_CHARS, True),
    }


def _string(value: Any, field: str) -> str:
    """A string a database can store: UTF-8 encodable and free of NUL."""
    if not isinstance(value, str):
        raise BadInput(f'"{field}" must be a string')
    if "\x00" in value:
        raise BadInput(f'"{field}" contains a NUL character')
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone surrogate, e.g. "\ud800" in JSON
        raise BadInput(f'"{field}" is not valid Unicode text') from err
    return value


def _text(value: Any, field: str, limit: int, blank: bool = False) -> str | None:
    text = _string(value, field).strip()
    if not text and blank:
        return None
    if not 1 <= len(text) <= limit:
        raise BadInput(f'"{field}" must be 1 to {limit:,} characters long')
    return text


def _url(value: Any) -> str:
    url = _string(value, "url")
    if len(url) > MAX_URL_LENGTH:
        raise BadInput(f'"url" is longer than {MAX_URL_LENGTH:,} characters')
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise BadInput('"url" contains spaces or control characters')
    try:
        parts = urlsplit(url)
    except ValueError as err:
        raise BadInput(f'"url" is not a valid URL: {err}') from err
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadInput('"url" must be an absolute http or https URL')
    if parts.username is not None or parts.password is not None:
        raise BadInput('"url" must not contain a user name or password')
    return url.split("#", 1)[0]


def _score(value: Any) -> int:
    # bool is an int in Python, but true is not a score.
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput('"score_seen" must be an integer')
    if not 0 <= value <= 100:
        raise BadInput('"score_seen" must be between 0 and 100')
    return value


def _verdict(value: Any) -> str:
    if value not in VERDICTS:
        raise BadInput(f'"verdict" must be one of {", ".join(VERDICTS)}')
    return value


def validate_model_version(value: Any) -> str:
    """The version of the model whose score the reader saw; ours, so ValueError."""
    if (
        not isinstance(value, str)
        or not 1 <= len(value) <= MAX_MODEL_VERSION_CHARS
        or "\x00" in value
    ):
        raise ValueError(f"model_version must be a short non-empty string: {value!r}")
    return value
