"""Errors raised by the register (klage- og eskaleringsregistret).

The tree, under :class:`omtanke.errors.OmtankeError`::

    RegisterError                  every error the register raises on purpose
    ├── RegisterInputError         a value given to the register cannot be used
    │   └── UnmaskedDataError      the "masked" text still holds a CPR number or an e-mail
    ├── UnknownReferenceError      no complaint or escalation with that reference number
    ├── InvalidTransitionError     the status change is not allowed
    └── RegisterDatabaseError      the database cannot be reached, migrated or written

Messages are Danish, for the user, and never contain the text of a complaint (masked or not)
nor a database password: only reference numbers, statuses, field names and sizes.
"""

from __future__ import annotations

from ..errors import OmtankeError

__all__ = [
    "InvalidTransitionError",
    "RegisterDatabaseError",
    "RegisterError",
    "RegisterInputError",
    "UnknownReferenceError",
    "UnmaskedDataError",
]


class RegisterError(OmtankeError):
    """Base class of every error the register raises on purpose."""


class RegisterInputError(RegisterError):
    """A value given to the register cannot be used (bad municipality, status, date …)."""


class UnmaskedDataError(RegisterInputError):
    """The text to be stored still holds personal data the register must never store."""

    def __init__(self, what: str, field: str = "Teksten") -> None:
        self.what = what
        super().__init__(
            f"{field} indeholder stadig {what}. Registret gemmer kun maskeret tekst: "
            "erstat oplysningen (fx med mask()) og prøv igen."
        )


class UnknownReferenceError(RegisterError):
    def __init__(self, reference: str) -> None:
        self.reference = reference
        super().__init__(
            f"Der findes ingen klage eller eskalering med referencenummeret '{reference}'. "
            "Se 'omtanke register list'."
        )


class InvalidTransitionError(RegisterError):
    def __init__(self, reference: str, old: str, new: str, allowed: tuple[str, ...]) -> None:
        self.reference = reference
        self.old = old
        self.new = new
        self.allowed = allowed
        if old == new:
            msg = f"{reference} har allerede status '{new}'."
        else:
            msg = f"{reference} kan ikke skifte status fra '{old}' til '{new}'."
        if allowed:
            msg += " Tilladt herfra: " + ", ".join(f"'{a}'" for a in allowed) + "."
        else:
            msg += f" '{old}' er en slutstatus; en lukket sag kan ikke genåbnes."
        super().__init__(msg)


class RegisterDatabaseError(RegisterError):
    """The database cannot be reached, migrated or written."""
