"""Property-based tests against the app's own OpenAPI schema (schemathesis).

Every operation gets generated requests (valid and invalid) with a manager's token, so the
register operations are reached too. No answer may be a 5xx, and every answer must match
the status codes, content types and schemas the OpenAPI document declares. Bounded: a few
dozen examples per operation, well under a minute in all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from server_support import TestClient, make_settings

from omtanke.engine import Engine
from omtanke.server.app import create_app, open_register
from omtanke.server.users import add_user

_APP = create_app(make_settings(Path("/nonexistent")))
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)

#: "METHOD /path" of every operation that answered 2xx at least once.
_SUCCEEDED: set[str] = set()

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory, engine: Engine) -> Iterator[str]:
    """The module's app on a fresh register, with the session's engine and a manager."""
    folder = tmp_path_factory.mktemp("schemathesis")
    _APP.state.settings = make_settings(folder)
    _APP.state.engine = engine
    with TestClient(_APP):
        _record, secret = add_user(open_register(_APP), "schemathesis", "manager")
        yield secret


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case: schemathesis.Case[Any], token: str) -> None:
    response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
    if response.status_code < 300:
        _SUCCEEDED.add(f"{case.method} {case.path}")


def test_generated_requests_got_through() -> None:
    """Runs after the generated cases (same module, in order): the token worked, and valid
    generated data reached the engine and the register, not only the validation layer."""
    for operation in (
        "POST /v1/check",
        "POST /v1/triage",
        "POST /v1/register",
        "GET /v1/register/complaints",
        "GET /v1/register/export",
    ):
        assert operation in _SUCCEEDED, sorted(_SUCCEEDED)
