"""Photos in a post: faces, metadata and text in the image, and a redacted copy.

>>> from omtanke.images import ImageInput, analyse_image, redact_image
>>> report = engine.check("Skovtur med Bjørnegruppen 🌲", context,
...                       images=[ImageInput(open("tur.jpg", "rb").read(), "tur.jpg")])
>>> safe = redact_image(open("tur.jpg", "rb").read())   # faces blurred, metadata gone

This module imports only the standard library; OpenCV, Pillow and NumPy are loaded when an
image is first analysed (``omtanke --help`` stays fast). See ``docs/IMAGES.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .labels import IMAGE_LABELS

if TYPE_CHECKING:
    from .analysis import Face, ImageAnalysis, analyse_image
    from .probe import ImageLimits
    from .redaction import Redaction, redact, redact_image

__all__ = [
    "IMAGE_LABELS",
    "Face",
    "ImageAnalysis",
    "ImageInput",
    "ImageLimits",
    "Redaction",
    "analyse_image",
    "redact",
    "redact_image",
]


@dataclass(frozen=True, slots=True)
class ImageInput:
    """An image to check with a post: its bytes (JPEG or PNG) and a name for messages
    and reports (the file name)."""

    data: bytes
    name: str = "billede"


_LAZY = {
    "Face": "analysis",
    "ImageAnalysis": "analysis",
    "analyse_image": "analysis",
    "ImageLimits": "probe",
    "Redaction": "redaction",
    "redact": "redaction",
    "redact_image": "redaction",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
