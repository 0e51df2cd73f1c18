"""Omtanke: check Danish social-media posts against municipal guidelines, locally.

>>> import omtanke
>>> report = omtanke.check("Ring til mig på 40 12 88 93", municipality="vejle")
>>> report.verdict, [f.rule for f in report.findings]

The public API is what ``__all__`` lists; everything else is private and may change.
"""

from __future__ import annotations

from collections.abc import Sequence as _Sequence
from typing import TYPE_CHECKING, Any

from .errors import (
    BrokenImageError,
    ContextError,
    EmptyTextError,
    EncodingError,
    ImageError,
    ImageMetadataError,
    ImageTooLargeError,
    InputError,
    NotAnImageError,
    OmtankeError,
    PackError,
    PackProblem,
    PackValidationError,
    QuestionError,
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
    from .guidance import Guide
    from .images import ImageInput

__version__ = "0.1.0"

__all__ = [
    "BrokenImageError",
    "CheckContext",
    "Citation",
    "ContextError",
    "Detection",
    "EmptyTextError",
    "EncodingError",
    "Engine",
    "Entity",
    "Finding",
    "Guide",
    "ImageError",
    "ImageInput",
    "ImageMetadataError",
    "ImageTooLargeError",
    "InputError",
    "Level",
    "NotAnImageError",
    "OmtankeError",
    "PackError",
    "PackProblem",
    "PackValidationError",
    "PolicyRef",
    "QuestionError",
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
    if name == "Guide":
        from .guidance import Guide

        return Guide
    if name == "ImageInput":
        from .images import ImageInput

        return ImageInput
    raise AttributeError(name)


def check(
    text: str,
    *,
    municipality: str,
    channel: str = "private_profile",
    role: str | None = None,
    public_event: bool = False,
    images: _Sequence[ImageInput] = (),
) -> Report:
    """Check one text (and photos) with the built-in packs (a shared engine is created on
    first use)."""
    global _default_engine
    if _default_engine is None:
        from .engine import Engine

        _default_engine = Engine()
    return _default_engine.check(
        text,
        municipality=municipality,
        channel=channel,
        role=role,
        public_event=public_event,
        images=images,
    )
