"""A safe copy of a photo: faces blurred, all metadata stripped.

* Faces are found with the thorough detector (:mod:`.faces`), each box is widened to take
  in hair, ears and chin, pixelated and blurred. The result is checked again, and a face
  still found is blurred harder (at most three rounds), so the face detector finds no face
  in the copy.
* The copy is written from the bare pixels, so nothing from the original's metadata comes
  along: no EXIF (GPS position, camera owner, timestamps, thumbnail), XMP, IPTC, JPEG
  comment, PNG text chunks or ICC profile. A colour profile is first applied to the pixels
  (converted to sRGB), so colours stay right without it. The EXIF orientation is applied to
  the pixels too.
* The format stays the same: JPEG in, JPEG out (quality 90); PNG in, PNG out.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from PIL import Image

from ..errors import BrokenImageError, ImageMetadataError
from .analysis import _DECODE_ERRORS, _TRANSPOSE, _to_gray, open_image
from .faces import RawFace, detect_faces
from .metadata import read_metadata
from .probe import DEFAULT_LIMITS, ImageLimits

__all__ = ["Redaction", "redact", "redact_image"]

_MARGIN = 0.25  # widen each face box by this share of its size on every side
_ROUNDS = 3


@dataclass(frozen=True, slots=True)
class Redaction:
    data: bytes
    format: str
    width: int
    height: int
    #: face boxes blurred, in the pixels of the copy
    faces: tuple[tuple[int, int, int, int], ...]
    #: the kinds of metadata the original had and the copy has not (Danish names)
    removed: tuple[str, ...]


def redact_image(data: bytes) -> bytes:
    """A copy of a JPEG or PNG image with faces blurred and all metadata stripped, in the
    same format. Raises :class:`~omtanke.errors.ImageError` for input it cannot use."""
    return redact(data).data


def redact(
    data: bytes, *, name: str = "billede", limits: ImageLimits = DEFAULT_LIMITS
) -> Redaction:
    """Like :func:`redact_image`, with what was done."""
    header, im = open_image(data, name, limits)
    with im:
        try:
            orientation = read_metadata(im, name).orientation
        except ImageMetadataError:
            orientation = 1  # damaged metadata: stripped anyway, orientation unknown
        removed = _metadata_kinds(im.info)
        try:
            im.load()
            pixels = _plain(im)
            transpose = _TRANSPOSE.get(orientation)
            if transpose is not None:
                pixels = pixels.transpose(transpose)
            arr = np.array(pixels)  # the only copy kept: blurred in place, then written
            del pixels
        except _DECODE_ERRORS:
            raise BrokenImageError(name) from None
    blurred: list[tuple[int, int, int, int]] = []
    faces = detect_faces(_gray(arr), thorough=True)
    margin = _MARGIN
    for _ in range(_ROUNDS):
        if not faces:
            break
        for face in faces:
            blurred.append(_blur(arr, face, margin))
        faces = _still_found(arr, blurred)
        margin += 0.15
    out = Image.fromarray(arr)  # fresh: none of the original's metadata
    buf = io.BytesIO()
    if header.format == "JPEG":
        out.save(buf, "JPEG", quality=90)
    else:
        out.save(buf, "PNG", compress_level=6)
    return Redaction(
        data=buf.getvalue(),
        format=header.format,
        width=out.width,
        height=out.height,
        faces=tuple(_dedupe(blurred)),
        removed=removed,
    )


def _metadata_kinds(info: Mapping[Any, object]) -> tuple[str, ...]:
    kinds: list[str] = []
    names = {
        "exif": "EXIF",
        "Raw profile type exif": "EXIF",
        "xmp": "XMP",
        "XML:com.adobe.xmp": "XMP",
        "photoshop": "IPTC",
        "icc_profile": "ICC-farveprofil",
        "comment": "JPEG-kommentar",
    }
    for key, value in info.items():
        if not value:
            continue
        kind = names.get(key)
        if kind is None and isinstance(value, str):
            kind = "PNG-tekst"
        if kind is not None and kind not in kinds:
            kinds.append(kind)
    return tuple(kinds)


def _plain(im: Image.Image) -> Image.Image:
    """The pixels as L, RGB or (PNG) RGBA, in sRGB."""
    icc = im.info.get("icc_profile")
    if im.mode.startswith("I"):
        return _to_gray(im)
    if im.mode in ("LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
    elif im.mode == "1":
        im = im.convert("L")
    elif im.mode not in ("L", "RGB", "RGBA"):
        im = im.convert("RGB")
    if icc and im.mode in ("RGB", "RGBA"):
        im = _to_srgb(im, icc)
    return im


def _to_srgb(im: Image.Image, icc: object) -> Image.Image:
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(bytes(icc)))  # type: ignore[call-overload]
        target = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(im, source, target, outputMode=im.mode)
        return converted if converted is not None else im
    except Exception:  # a damaged or unusual profile: keep the pixels as they are
        return im


def _gray(arr: np.ndarray) -> np.ndarray:
    if arr.ndim == 2:
        return arr
    if arr.shape[2] == 4:
        return cv2.cvtColor(arr, cv2.COLOR_RGBA2GRAY)
    return cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY)


def _blur(arr: np.ndarray, face: RawFace, margin: float) -> tuple[int, int, int, int]:
    """Pixelate and blur the widened face box in place; return the box blurred."""
    h, w = arr.shape[:2]
    mx, my = round(face.w * margin), round(face.h * margin)
    x0, y0 = max(0, face.x - mx), max(0, face.y - my)
    x1, y1 = min(w, face.x + face.w + mx), min(h, face.y + face.h + my)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return (x0, y0, x1 - x0, y1 - y0)
    region = arr[y0:y1, x0:x1]
    # about 6 blocks across the face: no eyes, nose or mouth survive
    cells = max(2, round((x1 - x0) / max(4, face.w / 6)))
    cells_y = max(2, round(cells * (y1 - y0) / (x1 - x0)))
    small = cv2.resize(region, (cells, cells_y), interpolation=cv2.INTER_AREA)
    blocky = cv2.resize(small, (x1 - x0, y1 - y0), interpolation=cv2.INTER_NEAREST)
    sigma = max(2.0, face.w / 8)
    arr[y0:y1, x0:x1] = cv2.GaussianBlur(blocky, (0, 0), sigma)
    return (x0, y0, x1 - x0, y1 - y0)


def _still_found(arr: np.ndarray, blurred: list[tuple[int, int, int, int]]) -> list[RawFace]:
    """Faces the detectors still find: the quick detector on the whole copy, and the
    thorough one around every blurred box."""
    gray = _gray(arr)
    found = list(detect_faces(gray))
    h, w = gray.shape
    for x, y, bw, bh in blurred:
        cx0, cy0 = max(0, x - bw // 2), max(0, y - bh // 2)
        cx1, cy1 = min(w, x + bw + bw // 2), min(h, y + bh + bh // 2)
        crop = np.ascontiguousarray(gray[cy0:cy1, cx0:cx1])
        for f in detect_faces(crop, thorough=True):
            found.append(RawFace(f.x + cx0, f.y + cy0, f.w, f.h, f.score))
    return found


def _dedupe(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """One box per face: a box inside a bigger blurred one is dropped."""
    out: list[tuple[int, int, int, int]] = []
    for box in sorted(boxes, key=lambda b: -b[2] * b[3]):
        x, y, bw, bh = box
        if not any(
            x >= ox and y >= oy and x + bw <= ox + ow and y + bh <= oy + oh
            for ox, oy, ow, oh in out
        ):
            out.append(box)
    return out
