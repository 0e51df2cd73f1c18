"""The register of complaints and escalations (klager og eskaleringer).

Complaints that arrive through an official channel cannot be rejected: they are registered
with a reference number (``HJO-2026-00042``), a deadline and a status; harassment, threats and
child-welfare concerns are registered as escalations with the evidence kept (masked text and a
salted fingerprint of the original, never the raw text). Every change is written to an
append-only audit trail. SQLite by default, PostgreSQL by URL; see docs/REGISTER.md.

The public API::

    from omtanke.register import Register, RegisterFilter, mask

    with Register() as reg:                       # default SQLite file, migrated on opening
        rec = reg.register_complaint(
            municipality="hjoerring", channel="official_page",
            masked_text=mask(text, spans), text_hash=reg.fingerprint(text),
            categories=["complaint"], source_url=link, actor="mette")
        reg.set_status(rec.reference, "under behandling", actor="mette")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .db import create_engine, default_path, describe_url, migrate, resolve_url
    from .errors import (
        InvalidTransitionError,
        RegisterDatabaseError,
        RegisterError,
        RegisterInputError,
        UnknownReferenceError,
        UnmaskedDataError,
    )
    from .privacy import PLACEHOLDERS, find_unmasked, fingerprint, mask, placeholder
    from .service import (
        CATEGORY_LABELS,
        CSV_COLUMNS,
        DEFAULT_DEADLINE_WORKING_DAYS,
        ESCALATION_CSV_COLUMNS,
        MUNICIPALITY_CODES,
        OPEN_STATUSES,
        TRANSITIONS,
        AuditRecord,
        ComplaintRecord,
        EscalationRecord,
        Register,
        RegisterFilter,
        default_actor,
    )
    from .workdays import add_working_days, danish_holidays

# Imported on first use, so that ``import omtanke.register.cli`` (done by ``omtanke --help``)
# does not load SQLAlchemy.
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        ["create_engine", "default_path", "describe_url", "migrate", "resolve_url"], "db"
    ),
    **dict.fromkeys(
        [
            "InvalidTransitionError",
            "RegisterDatabaseError",
            "RegisterError",
            "RegisterInputError",
            "UnknownReferenceError",
            "UnmaskedDataError",
        ],
        "errors",
    ),
    **dict.fromkeys(
        ["PLACEHOLDERS", "find_unmasked", "fingerprint", "mask", "placeholder"], "privacy"
    ),
    **dict.fromkeys(
        [
            "CATEGORY_LABELS",
            "CSV_COLUMNS",
            "DEFAULT_DEADLINE_WORKING_DAYS",
            "ESCALATION_CSV_COLUMNS",
            "MUNICIPALITY_CODES",
            "OPEN_STATUSES",
            "TRANSITIONS",
            "AuditRecord",
            "ComplaintRecord",
            "EscalationRecord",
            "Register",
            "RegisterFilter",
            "default_actor",
        ],
        "service",
    ),
    **dict.fromkeys(["add_working_days", "danish_holidays"], "workdays"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "CATEGORY_LABELS",
    "CSV_COLUMNS",
    "DEFAULT_DEADLINE_WORKING_DAYS",
    "ESCALATION_CSV_COLUMNS",
    "MUNICIPALITY_CODES",
    "OPEN_STATUSES",
    "PLACEHOLDERS",
    "TRANSITIONS",
    "AuditRecord",
    "ComplaintRecord",
    "EscalationRecord",
    "InvalidTransitionError",
    "Register",
    "RegisterDatabaseError",
    "RegisterError",
    "RegisterFilter",
    "RegisterInputError",
    "UnknownReferenceError",
    "UnmaskedDataError",
    "add_working_days",
    "create_engine",
    "danish_holidays",
    "default_actor",
    "default_path",
    "describe_url",
    "find_unmasked",
    "fingerprint",
    "mask",
    "migrate",
    "placeholder",
    "resolve_url",
]
