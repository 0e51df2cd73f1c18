"""Users of the HTTP API and the web UI, kept in the register's ``users`` table.

A token is 32 random bytes (``secrets.token_urlsafe``), shown once when the user is created.
Only its SHA-256 hash is stored: a token has 256 bits of entropy, so a plain hash cannot be
reversed by trying candidates, and a stolen database gives no working token. Looking a token
up is a single indexed equality on the hash.

Nothing here logs, and no error message contains a token.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from ..errors import OmtankeError
from ..register import Register, RegisterDatabaseError
from ..register.db import WRITE_OPTION
from ..register.models import USER_ROLES, ApiUser

__all__ = [
    "ROLE_NAMES",
    "UnknownUserError",
    "UserError",
    "UserExistsError",
    "UserRecord",
    "add_user",
    "find_user_by_token",
    "hash_token",
    "list_users",
    "normalize_role",
    "remove_user",
]

#: Danish names of the roles (accepted as input too).
ROLE_NAMES: dict[str, str] = {
    "employee": "medarbejder",
    "page_admin": "sideadministrator",
    "manager": "leder",
}
_ROLE_ALIASES = {
    **{role: role for role in USER_ROLES},
    **{name: role for role, name in ROLE_NAMES.items()},
    "page-admin": "page_admin",
    "pageadmin": "page_admin",
    "admin": "page_admin",
}
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_\-]{20,200}$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_MAX_NAME = 200

T = TypeVar("T")


class UserError(OmtankeError):
    """A user cannot be added, found or removed."""


class UserExistsError(UserError):
    def __init__(self, name: str) -> None:
        shown = f'"{name}"' if " " in name else name
        super().__init__(
            f"Brugeren '{name}' findes allerede. Fjern den først med "
            f"'omtanke users remove {shown}', hvis den skal have et nyt token."
        )


class UnknownUserError(UserError):
    def __init__(self, name: str) -> None:
        super().__init__(f"Der findes ingen bruger med navnet '{name}'. Se 'omtanke users list'.")


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A user as stored (without the token, which is not stored)."""

    name: str
    role: str
    created_at: datetime


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalize_role(value: str) -> str:
    """A role from user input: ``employee``, ``page_admin``, ``manager`` or the Danish
    names ``medarbejder``, ``sideadministrator``, ``leder``."""
    role = _ROLE_ALIASES.get((value or "").strip().lower())
    if role is None:
        known = ", ".join(f"{r} ({ROLE_NAMES[r]})" for r in USER_ROLES)
        raise UserError(f"Ukendt rolle '{value}'. Brug en af: {known}.")
    return role


def _clean_name(name: str) -> str:
    clean = (name or "").strip()
    if not clean:
        raise UserError("Brugerens navn må ikke være tomt.")
    if len(clean) > _MAX_NAME:
        raise UserError(f"Brugerens navn er for langt (højst {_MAX_NAME} tegn).")
    if _CONTROL_RE.search(clean):
        raise UserError("Brugerens navn må ikke indeholde styretegn.")
    return clean


def _db_error(exc: SQLAlchemyError, verb: str) -> RegisterDatabaseError:
    orig = getattr(exc, "orig", None)
    name = type(orig).__name__ if orig is not None else type(exc).__name__
    return RegisterDatabaseError(f"Omtanke kunne ikke {verb} brugerne i registret ({name}).")


def _read(reg: Register, fn: Callable[[Session], T]) -> T:
    try:
        with Session(reg.engine) as session, session.begin():
            return fn(session)
    except SQLAlchemyError as exc:
        raise _db_error(exc, "læse") from None


def _write(reg: Register, fn: Callable[[Session], T]) -> T:
    engine = reg.engine.execution_options(**{WRITE_OPTION: True})
    try:
        with Session(engine) as session, session.begin():
            return fn(session)
    except IntegrityError:
        raise
    except SQLAlchemyError as exc:
        raise _db_error(exc, "gemme") from None


def add_user(reg: Register, name: str, role: str) -> tuple[UserRecord, str]:
    """Create a user; returns the record and the token (shown once, stored only hashed)."""
    clean = _clean_name(name)
    role_id = normalize_role(role)
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)

    def work(session: Session) -> UserRecord:
        exists = session.scalar(sa.select(ApiUser.id).where(ApiUser.name == clean))
        if exists is not None:
            raise UserExistsError(clean)
        session.add(ApiUser(name=clean, role=role_id, token_hash=hash_token(token), created_at=now))
        session.flush()
        return UserRecord(clean, role_id, now)

    try:
        return _write(reg, work), token
    except IntegrityError:  # the same name added at the same moment by another process
        raise UserExistsError(clean) from None


def list_users(reg: Register) -> list[UserRecord]:
    """Every user, by name."""
    return _read(
        reg,
        lambda s: [
            UserRecord(u.name, u.role, u.created_at)
            for u in s.scalars(sa.select(ApiUser).order_by(ApiUser.name))
        ],
    )


def remove_user(reg: Register, name: str) -> None:
    """Remove a user; the token stops working at once."""
    clean = _clean_name(name)

    def work(session: Session) -> None:
        result = session.execute(sa.delete(ApiUser).where(ApiUser.name == clean))
        if not getattr(result, "rowcount", 0):
            raise UnknownUserError(clean)

    _write(reg, work)


def find_user_by_token(reg: Register, token: str) -> UserRecord | None:
    """The user a token belongs to, or ``None`` (also for anything that is not a token)."""
    if not token or not _TOKEN_RE.match(token):
        return None
    digest = hash_token(token)

    def work(session: Session) -> UserRecord | None:
        row = session.scalars(sa.select(ApiUser).where(ApiUser.token_hash == digest)).first()
        return None if row is None else UserRecord(row.name, row.role, row.created_at)

    return _read(reg, work)
