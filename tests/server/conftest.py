"""Fixtures of the HTTP API tests: an app on a SQLite register in a temporary folder, a
client, and one user (with token) per role; a database on the PostgreSQL server of the
register tests.

The engine is the session's (``tests/conftest.py``): building one loads every pack and model,
so the apps of these tests share it instead of each building its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from server_support import ROLES, Api, TestClient, make_settings

from omtanke.engine import Engine
from omtanke.server.app import create_app, open_register
from omtanke.server.users import add_user

# The register tests' PostgreSQL server (started once per session, skipped without the
# binaries, a failure under CI): reused here for the API round trip on PostgreSQL.
from register.conftest import PgServer, pg_server, pg_template

__all__ = ["pg_server", "pg_template"]


@pytest.fixture
def make_api(tmp_path: Path, engine: Engine) -> Iterator[Callable[..., Api]]:
    """``make_api(**settings)`` → :class:`Api` (closed at the end of the test)."""
    opened: list[TestClient] = []

    def factory(*, share_engine: bool = True, **overrides: object) -> Api:
        app = create_app(make_settings(tmp_path, **overrides))
        if share_engine:
            app.state.engine = engine
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        reg = open_register(app)
        tokens = {}
        for role in ROLES:
            _record, tokens[role] = add_user(reg, f"{role}-bruger", role)
        return Api(app, client, tokens)

    yield factory
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    return make_api()


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database (a copy of the register tests' template)."""
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.create_database(template=request.getfixturevalue("pg_template"))
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)
