"""Schema-driven fuzzing of the API (schemathesis over the OpenAPI document).

Every generated request, valid or not, must get an answer the document describes,
and never a server error. Names in generated URLs resolve to a private address,
so the fetcher refuses them (400) before any connection: nothing leaves the
machine.
"""

import socket
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from backend import create_app

app = create_app(
    {
        "TESTING": True,
        "CACHE_TTL": 0,
        "RATE_LIMIT_ENABLED": False,
        "FEEDBACK_DB_PATH": str(Path(tempfile.mkdtemp()) / "feedback.sqlite3"),
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def private(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port or 80))]

    monkeypatch.setattr(socket, "getaddrinfo", private)


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_never_fails_and_keeps_its_document(case):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )
