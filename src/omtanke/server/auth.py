"""Who is asking, and what may they do: users, roles and permissions.

A request is authenticated by a bearer token (``Authorization: Bearer <token>``) or, for the
web UI, by the same token in the HttpOnly cookie ``omtanke_token``. Tokens are made by
``omtanke users add NAME --role ROLE`` and stored only as a hash (see :mod:`.users`).

=====================  ====================================  ========  ==========  =======
permission             what                                  employee  page_admin  manager
=====================  ====================================  ========  ==========  =======
``check``              check a post (no token needed)        yes       yes         yes
``triage``             triage a citizen's message            yes       yes         yes
``register.read``      list and show the register            –         yes         yes
``register.write``     register via triage, change status    –         yes         yes
``register.assign``    assign a case handler                 –         –           yes
``register.export``    CSV export of the register            –         –           yes
=====================  ====================================  ========  ==========  =======

An employee checks posts and may triage a message to learn what to do; the person who runs an
official page (page_admin) also keeps the register: registers complaints and escalations,
reads them and moves them through their statuses; the manager also decides who handles a
case and exports the register (e.g. for journalisation or the audit committee).
"""

from __future__ import annotations

import contextvars
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import HTTPConnection

from .users import find_user_by_token

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..register import Register

__all__ = [
    "COOKIE_NAME",
    "PERMISSIONS",
    "PUBLIC_PERMISSIONS",
    "ROLES",
    "ROLE_LABELS",
    "ROLE_PERMISSIONS",
    "User",
    "allowed",
    "authenticate_token",
    "token_from_request",
    "user_from_request",
]

#: The cookie the web UI stores the token in (HttpOnly, SameSite=Strict).
COOKIE_NAME = "omtanke_token"

ROLES: tuple[str, ...] = ("employee", "page_admin", "manager")
#: Danish names of the roles, for what users read.
ROLE_LABELS: dict[str, str] = {
    "employee": "medarbejder",
    "page_admin": "sideadministrator",
    "manager": "leder",
}
PERMISSIONS: tuple[str, ...] = (
    "check",
    "triage",
    "register.read",
    "register.write",
    "register.assign",
    "register.export",
)
#: Permissions that need no token at all.
PUBLIC_PERMISSIONS: frozenset[str] = frozenset({"check"})
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "employee": frozenset({"check", "triage"}),
    "page_admin": frozenset({"check", "triage", "register.read", "register.write"}),
    "manager": frozenset(PERMISSIONS),
}

#: The app handling the current request (set by the app's middleware), so that
#: :func:`authenticate_token` finds the right register without being given one.
current_app: contextvars.ContextVar[FastAPI | None] = contextvars.ContextVar(
    "omtanke_current_app", default=None
)
_fallback_lock = threading.Lock()
_fallback_registers: dict[str | None, Register] = {}
_STATE_KEY = "omtanke_user"


@dataclass(frozen=True, slots=True)
class User:
    """An authenticated user: the name (written to the audit trail) and the role."""

    name: str
    role: str

    @property
    def role_label(self) -> str:
        """The role in Danish (``leder``)."""
        return ROLE_LABELS.get(self.role, self.role)


def allowed(user: User | None, permission: str) -> bool:
    """Whether ``user`` (``None``: no valid token) has ``permission`` (see the table above).

    An unknown permission is a programming error and raises :class:`ValueError`.
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}; known: {', '.join(PERMISSIONS)}")
    if permission in PUBLIC_PERMISSIONS:
        return True
    if user is None:
        return False
    return permission in ROLE_PERMISSIONS.get(user.role, frozenset())


def _register_for(app: Any) -> Register:
    from .app_state import open_register

    return open_register(app)


def _fallback_register() -> Register:
    """Outside a request: the register of the settings in the environment (opened once)."""
    from ..register import Register
    from .settings import Settings

    url = Settings.from_env().register_url
    with _fallback_lock:
        reg = _fallback_registers.get(url)
        if reg is None:
            reg = _fallback_registers[url] = Register(url)
        return reg


def authenticate_token(token: str, register: Register | None = None) -> User | None:
    """The user a token belongs to, or ``None`` for an unknown, removed or malformed token.

    The register is ``register`` if given, else the one of the app serving the current
    request, else the one ``Settings.from_env()`` names. Blocking (a database look-up): call
    it from a sync endpoint or a thread, as FastAPI does for ``def`` endpoints.
    """
    if register is None:
        app = current_app.get()
        register = _register_for(app) if app is not None else _fallback_register()
    record = find_user_by_token(register, token)
    return None if record is None else User(record.name, record.role)


def token_from_request(request: HTTPConnection) -> str | None:
    """The token the client sent: ``Authorization: Bearer …`` first, else the cookie."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    cookie = request.cookies.get(COOKIE_NAME)
    return cookie.strip() if cookie and cookie.strip() else None


def user_from_request(request: HTTPConnection) -> User | None:
    """The authenticated user of this request, or ``None`` (looked up once per request)."""
    state = request.scope.setdefault("state", {})
    if _STATE_KEY in state:
        cached: User | None = state[_STATE_KEY]
        return cached
    token = token_from_request(request)
    user = None
    if token is not None:
        user = authenticate_token(token, _register_for(request.app))
    state[_STATE_KEY] = user
    return user
