"""Errors the service and the CLI report to callers.

Every error is data: a subclass of :class:`ScorerError` with a class-level HTTP
``status`` and a stable machine ``code``. One handler (in ``backend.web.api``) turns
any of them into ``{"error": {"code": ..., "message": ...}}``, with any
``details`` beside them; the CLI prints the same shape.
"""


class ScorerError(Exception):
    """Something the caller can be told about in plain words."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())
        self.message = message or (self.__doc__ or "").strip()
        self.details: dict = {}  # extra fields beside code and message

    def to_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, **self.details}}


class BadInput(ScorerError):
    """The request is malformed or misses a required field."""

    status = 400
    code = "bad_input"


class TooLarge(ScorerError):
    """The request or the fetched page is larger than the configured limit."""

    status = 413
    code = "too_large"


class NotHTML(ScorerError):
    """The page is not HTML."""

    status = 415
    code = "not_html"


class UnsupportedCharset(ScorerError):
    """The page is in a character encoding browsers do not decode."""

    status = 415
    code = "unsupported_charset"


class NoHeadline(ScorerError):
    """No headline could be found on the page."""

    status = 422
    code = "no_headline"


class UnsupportedLanguage(ScorerError):
    """The article is in a language the scorer was not trained on."""

    status = 422
    code = "unsupported_language"

    def __init__(self, language: str, language_name: str, what: str = "page") -> None:
        super().__init__(
            f"This {what} is in {language_name}; the scorer reads English only."
        )
        self.details = {"language": language, "language_name": language_name}


class NoArticle(ScorerError):
    """The page has no article body: it looks like a front, a listing or a wall."""

    status = 422
    code = "no_article"

    def __init__(
        self, message: str, headline: str | None, body_words: int, links: int
    ) -> None:
        super().__init__(message)
        self.details = {
            "found": {"headline": headline, "body_words": body_words, "links": links}
        }


class Unauthorized(ScorerError):
    """A valid API key is required (send it in the X-API-Key header)."""

    status = 401
    code = "unauthorized"


class ForbiddenURL(ScorerError):
    """The URL is not allowed: only public http and https addresses are fetched."""

    status = 400
    code = "forbidden_url"


class UpstreamError(ScorerError):
    """The page could not be fetched from its server."""

    status = 502
    code = "upstream_error"


class UpstreamTimeout(ScorerError):
    """The page's server did not answer in time."""

    status = 504
    code = "upstream_timeout"


class Timeout(ScorerError):
    """The request ran out of its time budget (fetching, extraction or scoring)."""

    status = 504
    code = "timeout"


class FeedbackNotFound(ScorerError):
    """No feedback record has that id."""

    status = 404
    code = "not_found"


class FeedbackUnavailable(ScorerError):
    """The feedback store could not be reached or failed; try again later."""

    status = 503
    code = "feedback_unavailable"


class ModelUnavailable(ScorerError):
    """The model artifact is missing or failed its integrity check."""

    status = 503
    code = "model_unavailable"


def register(app) -> None:
    """Answer every error, ours or Werkzeug's, as JSON of one shape."""
    from flask import jsonify
    from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

    def ours(err: ScorerError):
        return jsonify(err.to_dict()), err.status

    def http(err: HTTPException):
        if isinstance(err, RequestEntityTooLarge):
            return ours(TooLarge("the request body is larger than the service accepts"))
        code = (err.name or "error").lower().replace(" ", "_")
        message = err.description or err.name
        if err.code == 429:
            message = f"Too many requests: the limit is {message}. Try again later."
        body = {"error": {"code": code, "message": message}}
        return jsonify(body), err.code

    def unexpected(err: Exception):
        app.logger.exception("unexpected error")
        return jsonify(
            ScorerError("The service failed on this request.").to_dict()
        ), 500

    app.register_error_handler(ScorerError, ours)
    app.register_error_handler(HTTPException, http)
    app.register_error_handler(Exception, unexpected)
