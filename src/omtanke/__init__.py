"""Omtanke: check Danish social-media posts against municipal guidelines, locally.

>>> import omtanke
>>> report = omtanke.check("Ring til mig på 40 12 88 93", municipality="vejle")
>>> report.verdict, [f.rule for f in report.findings]

The public API is what ``__all__`` lists; everything else is private and may change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    ContextError,
    EmptyTextError,
    EncodingError,
    InputError,
    OmtankeError,
    PackError,
    PackProblem,
    PackValidationError,
    TextTooLongError,
)
from .model import (
    CheckContext,
    Citation,
    Detection,
    Entity,
    Finding,
    Level,
    PolicyRef,
    Report,
    Span,
)

if TYPE_CHECKING:
    from .engine import Engine

__version__ = "0.1.0"

__all__ = [
    "CheckContext",
    "Citation",
    "ContextError",
    "Detection",
    "EmptyTextError",
    "EncodingError",
    "Engine",
    "Entity",
    "Finding",
    "InputError",
    "Level",
    "OmtankeError",
    "PackError",
    "PackProblem",
    "PackValidationError",
    "PolicyRef",
    "Report",
    "Span",
    "TextTooLongError",
    "__version__",
    "check",
]

_default_engine: Engine | None = None


def __getattr__(name: str) -> Any:
    # Engine is imported lazily, so `import omtanke` (and `omtanke --help`) stays fast.
    if name == "Engine":
        from .engine import Engine

        return Engine
    raise AttributeError(name)


def check(
    text: str,
    *,
    municipality: str,
    channel: str = "private_profile",
    role: str | None = None,
    public_event: bool = False,
) -> Report:
    """Check one text with the built-in packs (a shared engine is created on first use)."""
    global _default_engine
    if _default_engine is None:
        from .engine import Engine

        _default_engine = Engine()
    return _default_engine.check(
        text, municipality=municipality, channel=channel, role=role, public_event=public_event
    )
