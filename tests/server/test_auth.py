"""Users, tokens (stored hashed), roles and permissions."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from server_support import Api
from starlette.requests import Request

from omtanke.register import Register
from omtanke.server import auth
from omtanke.server.app import open_register
from omtanke.server.auth import (
    COOKIE_NAME,
    PERMISSIONS,
    ROLE_PERMISSIONS,
    ROLES,
    User,
    allowed,
    authenticate_token,
    token_from_request,
    user_from_request,
)
from omtanke.server.users import (
    UnknownUserError,
    UserError,
    UserExistsError,
    add_user,
    find_user_by_token,
    hash_token,
    list_users,
    normalize_role,
    remove_user,
)


@pytest.fixture
def reg(tmp_path: Path) -> Iterator[Register]:
    with Register(str(tmp_path / "register.sqlite3")) as register:
        yield register


EXPECTED = {
    # permission:        employee, page_admin, manager
    "check": (True, True, True),
    "triage": (True, True, True),
    "register.read": (False, True, True),
    "register.write": (False, True, True),
    "register.assign": (False, False, True),
    "register.export": (False, False, True),
}


def test_permission_table() -> None:
    assert set(EXPECTED) == set(PERMISSIONS)
    assert set(ROLE_PERMISSIONS) == set(ROLES) == {"employee", "page_admin", "manager"}
    for permission, per_role in EXPECTED.items():
        for role, expected in zip(ROLES, per_role, strict=True):
            assert allowed(User("x", role), permission) is expected, (role, permission)
    assert allowed(None, "check") is True
    for permission in PERMISSIONS:
        if permission != "check":
            assert allowed(None, permission) is False
    assert allowed(User("x", "hacker"), "triage") is False
    with pytest.raises(ValueError, match="unknown permission"):
        allowed(User("x", "manager"), "register.delete")


def test_role_labels_are_danish() -> None:
    assert User("a", "employee").role_label == "medarbejder"
    assert User("a", "page_admin").role_label == "sideadministrator"
    assert User("a", "manager").role_label == "leder"


def test_add_list_remove(reg: Register) -> None:
    record, token = add_user(reg, "  Mette Holm ", "sideadministrator")
    assert record.name == "Mette Holm" and record.role == "page_admin"
    assert len(token) >= 40
    assert find_user_by_token(reg, token) is not None
    assert authenticate_token(token, reg) == User("Mette Holm", "page_admin")
    _record2, token2 = add_user(reg, "Leder", "manager")
    assert token2 != token
    assert [(u.name, u.role) for u in list_users(reg)] == [
        ("Leder", "manager"),
        ("Mette Holm", "page_admin"),
    ]
    with pytest.raises(UserExistsError, match="findes allerede"):
        add_user(reg, "Mette Holm", "employee")
    remove_user(reg, "Mette Holm")
    assert authenticate_token(token, reg) is None
    assert authenticate_token(token2, reg) == User("Leder", "manager")
    with pytest.raises(UnknownUserError, match="ingen bruger"):
        remove_user(reg, "Mette Holm")


@pytest.mark.parametrize(
    ("name", "role", "message"),
    [
        ("", "employee", "tomt"),
        ("x" * 201, "employee", "for langt"),
        ("a\nb", "employee", "styretegn"),
        ("ok", "boss", "Ukendt rolle"),
    ],
)
def test_bad_users(reg: Register, name: str, role: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        add_user(reg, name, role)


def test_role_aliases() -> None:
    assert normalize_role("Leder") == "manager"
    assert normalize_role("page-admin") == "page_admin"
    assert normalize_role("medarbejder") == "employee"


def test_only_the_hash_is_stored(reg: Register, tmp_path: Path) -> None:
    _record, token = add_user(reg, "a", "employee")
    with reg.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT token_hash FROM users")).scalar_one()
    assert stored == hashlib.sha256(token.encode()).hexdigest() == hash_token(token)
    reg.close()
    raw = (tmp_path / "register.sqlite3").read_bytes()
    wal = tmp_path / "register.sqlite3-wal"
    if wal.exists():
        raw += wal.read_bytes()
    assert token.encode() not in raw


@pytest.mark.parametrize("junk", ["", "kort", "a b c d e f g h i j k l m n", "æøå" * 10, "x" * 201])
def test_malformed_tokens_are_not_looked_up(reg: Register, junk: str) -> None:
    assert find_user_by_token(reg, junk) is None
    assert authenticate_token(junk, reg) is None


def _request(headers: dict[str, str], app: object = None) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw, "app": app})


def test_token_from_header_or_cookie() -> None:
    assert token_from_request(_request({"Authorization": "Bearer abc"})) == "abc"
    assert token_from_request(_request({"Authorization": "bearer  abc "})) == "abc"
    assert token_from_request(_request({"Authorization": "Basic abc"})) is None
    assert token_from_request(_request({"Cookie": f"{COOKIE_NAME}=xyz"})) == "xyz"
    both = {"Authorization": "Bearer abc", "Cookie": f"{COOKIE_NAME}=xyz"}
    assert token_from_request(_request(both)) == "abc"
    assert token_from_request(_request({})) is None


def test_user_from_request_uses_the_apps_register_once(api: Api) -> None:
    request = _request({"Authorization": f"Bearer {api.tokens['manager']}"}, api.app)
    assert user_from_request(request) == User("manager-bruger", "manager")
    remove_user(open_register(api.app), "manager-bruger")
    # Looked up once per request: the same request keeps its user.
    assert user_from_request(request) == User("manager-bruger", "manager")
    fresh = _request({"Authorization": f"Bearer {api.tokens['manager']}"}, api.app)
    assert user_from_request(fresh) is None
    cookie = _request({"Cookie": f"{COOKIE_NAME}={api.tokens['employee']}"}, api.app)
    assert user_from_request(cookie) == User("employee-bruger", "employee")


def test_authenticate_token_finds_the_current_apps_register(api: Api) -> None:
    reset = auth.current_app.set(api.app)
    try:
        assert authenticate_token(api.tokens["page_admin"]) == User(
            "page_admin-bruger", "page_admin"
        )
    finally:
        auth.current_app.reset(reset)


def test_authenticate_token_outside_a_request_uses_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = str(tmp_path / "env.sqlite3")
    monkeypatch.setenv("OMTANKE_REGISTER_URL", url)
    with Register(url) as reg:
        _record, token = add_user(reg, "fra-miljøet", "employee")
    try:
        assert authenticate_token(token) == User("fra-miljøet", "employee")
    finally:
        for key in list(auth._fallback_registers):
            auth._fallback_registers.pop(key).close()
