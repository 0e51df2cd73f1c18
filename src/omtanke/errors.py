"""Exceptions raised by Omtanke.

The tree::

    OmtankeError                 every error Omtanke raises on purpose
    ├── InputError               the text or file to check cannot be used
    │   ├── EmptyTextError       nothing to check
    │   ├── TextTooLongError     over the configured limit (default 50,000 characters)
    │   └── EncodingError        not valid UTF-8, or a binary file
    ├── ContextError             unknown municipality, channel or role
    └── PackError                a policy pack cannot be loaded
        └── PackValidationError  one or more problems, each with file:line and what to fix

Messages are Danish, for the user, and never contain the text being checked: that text may
hold CPR numbers or health data. Only sizes, line numbers and identifiers appear.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ContextError",
    "EmptyTextError",
    "EncodingError",
    "InputError",
    "OmtankeError",
    "PackError",
    "PackProblem",
    "PackValidationError",
    "TextTooLongError",
]


class OmtankeError(Exception):
    """Base class of every error Omtanke raises on purpose."""


class InputError(OmtankeError):
    """The text or file to check cannot be used."""


class EmptyTextError(InputError):
    def __init__(self) -> None:
        super().__init__("Teksten er tom. Skriv eller indsæt det opslag, der skal tjekkes.")


class TextTooLongError(InputError):
    def __init__(self, length: int, limit: int) -> None:
        self.length = length
        self.limit = limit
        super().__init__(
            f"Teksten er for lang ({length:,} tegn; grænsen er {limit:,}). "
            "Del den op, eller hæv grænsen med --max-chars.".replace(",", ".")
        )


class EncodingError(InputError):
    def __init__(self, where: str = "Input") -> None:
        super().__init__(
            f"{where} er ikke gyldig UTF-8-tekst (måske en binær fil). "
            "Gem teksten som UTF-8 og prøv igen."
        )


class ContextError(OmtankeError):
    """Unknown municipality, channel or role."""


@dataclass(frozen=True, slots=True)
class PackProblem:
    """One problem in a policy pack: where it is and what to do about it."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class PackError(OmtankeError):
    """A policy pack cannot be loaded."""


class PackValidationError(PackError):
    def __init__(self, problems: list[PackProblem]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"Regelpakken har {len(problems)} fejl:\n{lines}")
