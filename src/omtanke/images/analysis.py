"""Analyse one image: faces, metadata and text, reported as typed detections.

Detectors report, rules decide: :func:`analyse_image` says what is in the photo (faces with
boxes and sizes, a GPS position, names and timestamps in the metadata, the text read by
OCR) and never whether it may be posted. The policy packs' rules decide that
(:mod:`omtanke.images.check`).

The steps, for a 12-megapixel JPEG on one core:

1. the header gives format and size; the limits are applied before decoding
   (:mod:`.probe`);
2. metadata are read without decoding pixels (:mod:`.metadata`);
3. the pixels are decoded in grey at reduced size (JPEG's DCT scaling via ``draft``: a
   12-megapixel photo decodes at 2000 × 1500 in a fraction of the full time), and turned
   upright by the EXIF orientation;
4. faces are found on a copy of about 0.6 megapixels (:mod:`.faces`); boxes are given in
   the pixels of the upright full-size photo;
5. text is read by Tesseract from the 2000-pixel copy (:mod:`.ocr`).
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from ..errors import BrokenImageError
from ..model import Box, Detection
from . import labels as L
from .faces import detect_faces
from .metadata import ImageMetadata, read_metadata
from .ocr import OcrResult, OcrWord, read_text
from .probe import DEFAULT_LIMITS, ImageHeader, ImageLimits, probe

__all__ = [
    "CLOSEUP_SHARE",
    "DISPLAY_LONG_SIDE",
    "IDENTIFIABLE_PIXELS",
    "Face",
    "ImageAnalysis",
    "analyse_image",
    "decode_gray",
    "open_image",
]

#: Social media show a photo at most this large (longer side, pixels) …
DISPLAY_LONG_SIDE = 2048
#: … and a face at least this wide there (eyes about 15 pixels apart) can be recognised by
#: people who know the person. The faces found in a large photo all are; smaller ones occur
#: in small, low-resolution images.
IDENTIFIABLE_PIXELS = 40
#: A face at least this share of the photo's shorter side wide makes it a close-up.
CLOSEUP_SHARE = 0.15
#: Longer side of the grey copy that OCR reads (and faces are found on, scaled down).
_OCR_LONG_SIDE = 2000
_FACES_LONG_SIDE = 1000

_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    zlib.error,
    IndexError,
    Image.DecompressionBombError,
)
# Pillow reads EXIF on open (for the resolution) and warns about damaged EXIF; Omtanke reads
# EXIF itself, strictly (.exif), and reports damage as an error, so these warnings are noise.
warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.TiffImagePlugin")

# EXIF orientation → the transpose that makes the photo upright
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True, slots=True)
class Face:
    """A face: box in the upright full-size photo, score, and what that means for the
    people who see the post."""

    box: Box
    score: float
    #: face width as a share of the photo's shorter side
    size: float
    identifiable: bool
    closeup: bool

    @property
    def label(self) -> str:
        if not self.identifiable:
            return L.PHOTO_FACE_SMALL
        return L.PHOTO_FACE_CLOSEUP if self.closeup else L.PHOTO_FACE


@dataclass(frozen=True, slots=True)
class ImageAnalysis:
    """What one image contains. Sizes are of the upright photo (EXIF orientation applied)."""

    name: str
    format: str
    width: int
    height: int
    faces: tuple[Face, ...]
    metadata: ImageMetadata
    ocr: OcrResult
    #: word boxes of the OCR text in the upright full-size photo, parallel to ocr.words
    ocr_boxes: tuple[Box, ...] = ()

    def detections(self, first: int = 0) -> list[Detection]:
        """The image's detections, at positions ``first``, ``first + 1``, … of a carrier
        text (see :mod:`omtanke.images.labels`). Faces first, largest first."""
        out: list[Detection] = []

        def add(label: str, score: float, why: str, **attributes: Any) -> None:
            pos = first + len(out)
            out.append(Detection(label, pos, pos + 1, score, "images", why, attributes))

        for face in self.faces:
            x, y, w, h = face.box
            why = f"ansigt {w}×{h} px ved ({x}, {y}), {face.size:.0%} af billedets korteste side"
            add(face.label, face.score, why, box=face.box, size=face.size)
        meta = self.metadata
        if meta.gps is not None:
            add(
                L.PHOTO_GPS,
                1.0,
                f"GPS-position i metadata ({meta.gps_field})",
                latitude=meta.gps[0],
                longitude=meta.gps[1],
            )
        for item in meta.places:
            add(
                L.PHOTO_METADATA_PLACE, 0.9, f"stednavn i metadata ({item.field})", field=item.field
            )
        for item in meta.people:
            add(L.PHOTO_METADATA_PERSON, 0.9, f"navn i metadata ({item.field})", field=item.field)
        for item in meta.timestamps:
            add(
                L.PHOTO_METADATA_TIME, 1.0, f"tidspunkt i metadata ({item.field})", field=item.field
            )
        return out

    def boxes_for(self, start: int, end: int) -> tuple[Box, ...]:
        """The boxes of the OCR words that overlap ``[start, end)`` of the OCR text."""
        return tuple(
            box
            for word, box in zip(self.ocr.words, self.ocr_boxes, strict=True)
            if word.start < end and start < word.end
        )


def open_image(
    data: bytes, name: str, limits: ImageLimits = DEFAULT_LIMITS
) -> tuple[ImageHeader, Image.Image]:
    """Check the header and limits, then open (not decode) the image with Pillow."""
    header = probe(data, name, limits)
    try:
        im = Image.open(io.BytesIO(data), formats=[header.format])
    except _DECODE_ERRORS:
        raise BrokenImageError(name) from None
    if im.size != (header.width, header.height):  # pragma: no cover - header disagrees
        raise BrokenImageError(name)
    return header, im


def upright_size(width: int, height: int, orientation: int) -> tuple[int, int]:
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def decode_gray(im: Image.Image, name: str, long_side: int, orientation: int) -> np.ndarray:
    """The photo in grey, upright, with its longer side at most about ``long_side``."""
    try:
        w, h = im.size
        scale = long_side / max(w, h)
        if im.format in ("JPEG", "MPO") and scale < 1:  # MPO: a JPEG with extra frames
            im.draft("L", (max(1, int(w * scale)), max(1, int(h * scale))))
        im.load()
        gray = _to_gray(im)
        if max(gray.size) > long_side * 1.25:
            gray = gray.reduce(max(1, int(max(gray.size) / long_side)))
        transpose = _TRANSPOSE.get(orientation)
        if transpose is not None:
            gray = gray.transpose(transpose)
        return np.asarray(gray, dtype=np.uint8)
    except _DECODE_ERRORS:
        raise BrokenImageError(name) from None


def _to_gray(im: Image.Image) -> Image.Image:
    if im.mode == "L":
        return im
    if im.mode.startswith("I"):  # 16-bit grey PNG: scale down, don't clip
        arr = np.asarray(im, dtype=np.float32)
        peak = 65535.0 if arr.max(initial=0) > 255 else 255.0
        return Image.fromarray(np.clip(arr * (255.0 / peak), 0, 255).astype(np.uint8))
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        # transparent parts on white, as a page shows them
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("L")
    return im.convert("L")


def analyse_image(
    data: bytes,
    *,
    name: str = "billede",
    ocr: bool = True,
    limits: ImageLimits = DEFAULT_LIMITS,
) -> ImageAnalysis:
    """Analyse one JPEG or PNG image.

    Raises :class:`~omtanke.errors.ImageError` (not an image, too large, damaged, damaged
    metadata). A missing Tesseract is not an error: ``result.ocr.status`` is
    ``"unavailable"`` with a Danish notice.
    """
    header, im = open_image(data, name, limits)
    with im:
        metadata = read_metadata(im, name)
        width, height = upright_size(header.width, header.height, metadata.orientation)
        gray = decode_gray(
            im, name, _OCR_LONG_SIDE if ocr else _FACES_LONG_SIDE, metadata.orientation
        )
    gh, gw = gray.shape[:2]
    sx, sy = width / gw, height / gh
    display = min(1.0, DISPLAY_LONG_SIDE / max(width, height))
    shorter = min(width, height)
    faces: list[Face] = []
    for raw in detect_faces(gray):
        box = (
            min(width - 1, round(raw.x * sx)),
            min(height - 1, round(raw.y * sy)),
            max(1, round(raw.w * sx)),
            max(1, round(raw.h * sy)),
        )
        faces.append(
            Face(
                box=box,
                score=raw.score,
                size=box[2] / shorter,
                identifiable=box[2] * display >= IDENTIFIABLE_PIXELS,
                closeup=box[2] / shorter >= CLOSEUP_SHARE,
            )
        )
    result = read_text(gray) if ocr else OcrResult("off")
    boxes = tuple(_scale_box(w, sx, sy) for w in result.words)
    return ImageAnalysis(
        name=name,
        format=header.format,
        width=width,
        height=height,
        faces=tuple(faces),
        metadata=metadata,
        ocr=result,
        ocr_boxes=boxes,
    )


def _scale_box(word: OcrWord, sx: float, sy: float) -> Box:
    x, y, w, h = word.box
    return (round(x * sx), round(y * sy), max(1, round(w * sx)), max(1, round(h * sy)))
