"""Photos on the check page: a preview with the face boxes drawn over it, and a redacted copy.

Nothing is stored. The preview (downscaled, upright, without metadata) and the redacted copy
(faces blurred, metadata stripped) are sent back inside the page as ``data:`` URLs, so the
photo never needs a URL of its own and is gone when the page is closed.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..model import Box, Finding, ImageSummary

__all__ = ["PREVIEW_LONG_SIDE", "ImageView", "image_view"]

#: Longer side of the preview, in pixels.
PREVIEW_LONG_SIDE = 960
_MIME = {"JPEG": "image/jpeg", "PNG": "image/png"}
_SUFFIX = {"JPEG": ".jpg", "PNG": ".png"}


@dataclass(frozen=True, slots=True)
class ImageView:
    """What the check page shows about one photo."""

    summary: ImageSummary
    #: ``data:image/jpeg;base64,…`` of the preview
    preview: str
    #: face boxes (x, y, w, h) in the pixels of the upright photo (the SVG's viewBox)
    faces: tuple[Box, ...]
    #: the redacted copy as a ``data:`` URL, or "" when there is nothing to remove
    redacted: str
    redacted_name: str
    #: what the redacted copy has blurred or removed, in Danish
    removed: tuple[str, ...]
    #: indices (0-based) of the report's findings about this photo
    findings: tuple[int, ...]

    @property
    def width(self) -> int:
        return self.summary.width

    @property
    def height(self) -> int:
        return self.summary.height


def _data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def _preview(data: bytes) -> str:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as im:
        upright = ImageOps.exif_transpose(im) or im
        small = upright.convert("RGB")
        small.thumbnail((PREVIEW_LONG_SIDE, PREVIEW_LONG_SIDE))
        buffer = io.BytesIO()
        small.save(buffer, "JPEG", quality=82)  # no metadata is written
    return _data_url("image/jpeg", buffer.getvalue())


def _redacted_name(name: str, fmt: str) -> str:
    stem = PurePosixPath(name.replace("\\", "/")).stem or "billede"
    return f"{stem}-sloeret{_SUFFIX.get(fmt, '.jpg')}"


def image_view(
    data: bytes, name: str, summary: ImageSummary, findings: tuple[Finding, ...]
) -> ImageView:
    """The preview and, when the photo has faces or metadata, the redacted copy.

    Call it after ``Engine.check`` accepted the photo (which applies the size limits).
    """
    from ..images import redact

    faces = tuple(face.box for face in summary.faces)
    has_metadata = bool(summary.fields or summary.gps or summary.metadata_text)
    redacted = ""
    removed: list[str] = []
    fmt = summary.format
    if faces or has_metadata:
        result = redact(data, name=name)
        fmt = result.format
        redacted = _data_url(_MIME.get(result.format, "application/octet-stream"), result.data)
        if result.faces:
            count = len(result.faces)
            removed.append(f"{count} {'ansigt' if count == 1 else 'ansigter'} sløret")
        removed.extend(f"{kind} fjernet" for kind in result.removed)
    mine = tuple(
        i for i, f in enumerate(findings) if f.image is not None and f.image.index == summary.index
    )
    return ImageView(
        summary=summary,
        preview=_preview(data),
        faces=faces,
        redacted=redacted,
        redacted_name=_redacted_name(name, fmt),
        removed=tuple(removed),
        findings=mine,
    )
