"""Face detection with the Haar cascades that the OpenCV package ships.

Two modes:

``check``     one frontal-face cascade (``frontalface_alt2``, the most precise of those
              shipped) on a copy of the photo scaled to about 0.6 megapixels. Fast enough
              for 12-megapixel photos on one core; finds faces reliably from about 4 % of
              the photo's longer side (160 pixels in a 4000-pixel photo).
``thorough``  for redaction: the ``check`` detector, plus ``frontalface_alt2`` with a finer
              scale step and fewer confirmations on a copy of about 1.2 megapixels, plus
              the profile cascade both ways round. Finds faces from about 2 % of the
              longer side, and errs on the side of blurring too much.

Boxes are ``(x, y, w, h)`` in the pixels of the grey image given.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

__all__ = ["CHECK_PIXELS", "RawFace", "detect_faces"]

#: pixels of the working copy in check mode
CHECK_PIXELS = 600_000
_THOROUGH_PIXELS = 1_200_000
_MIN_FACE = 20  # the cascades' window: the smallest face found, in working pixels


@dataclass(frozen=True, slots=True)
class RawFace:
    x: int
    y: int
    w: int
    h: int
    score: float


_local = threading.local()
# the folder of the cascade files shipped with the opencv-python package
_CASCADES: str = cv2.data.haarcascades  # type: ignore[attr-defined]


def _cascade(name: str) -> Any:
    """One CascadeClassifier per thread and cascade (they are not thread-safe)."""
    cache: dict[str, Any] = _local.__dict__.setdefault("cascades", {})
    cascade = cache.get(name)
    if cascade is None:
        cascade = cv2.CascadeClassifier(_CASCADES + name)
        if cascade.empty():  # pragma: no cover - a broken OpenCV installation
            raise RuntimeError(f"OpenCV's {name} could not be loaded")
        cache[name] = cascade
    return cascade


def _working_copy(gray: np.ndarray, max_pixels: int) -> tuple[np.ndarray, float]:
    h, w = gray.shape[:2]
    scale = min(1.0, (max_pixels / float(w * h)) ** 0.5)
    if scale < 1.0:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        gray = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
    # no histogram equalisation: on photos with large even areas it hides faces
    return gray, scale


def _run(
    cascade: str,
    work: np.ndarray,
    scale: float,
    *,
    step: float,
    neighbours: int,
    flip: bool = False,
) -> list[RawFace]:
    img = cv2.flip(work, 1) if flip else work
    boxes, counts = _cascade(cascade).detectMultiScale2(
        img, scaleFactor=step, minNeighbors=neighbours, minSize=(_MIN_FACE, _MIN_FACE)
    )
    out: list[RawFace] = []
    width = work.shape[1]
    for (x, y, w, h), n in zip(boxes, counts, strict=True):
        if flip:
            x = width - x - w
        # More overlapping raw detections → more certain (capped below 1).
        score = min(0.99, 0.5 + 0.02 * int(n))
        out.append(
            RawFace(round(x / scale), round(y / scale), round(w / scale), round(h / scale), score)
        )
    return out


def detect_faces(gray: np.ndarray, *, thorough: bool = False) -> list[RawFace]:
    """Faces in a 2-D uint8 grey image, largest first."""
    work, scale = _working_copy(gray, CHECK_PIXELS)
    faces = _run("haarcascade_frontalface_alt2.xml", work, scale, step=1.2, neighbours=4)
    if thorough:
        big, big_scale = _working_copy(gray, _THOROUGH_PIXELS)
        faces += _run("haarcascade_frontalface_alt2.xml", big, big_scale, step=1.15, neighbours=3)
        for flip in (False, True):
            faces += _run(
                "haarcascade_profileface.xml", big, big_scale, step=1.2, neighbours=4, flip=flip
            )
        faces = _merge(faces)
    return sorted(faces, key=lambda f: (-f.w * f.h, f.y, f.x))


def _merge(faces: list[RawFace]) -> list[RawFace]:
    """Overlapping boxes (one face found by several cascades) become their union."""
    merged: list[RawFace] = []
    for face in sorted(faces, key=lambda f: -f.w * f.h):
        for i, other in enumerate(merged):
            if _overlap(face, other) > 0.3:
                x0, y0 = min(face.x, other.x), min(face.y, other.y)
                x1 = max(face.x + face.w, other.x + other.w)
                y1 = max(face.y + face.h, other.y + other.h)
                merged[i] = RawFace(x0, y0, x1 - x0, y1 - y0, max(face.score, other.score))
                break
        else:
            merged.append(face)
    return merged


def _overlap(a: RawFace, b: RawFace) -> float:
    """Intersection over the smaller box."""
    ix = max(0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
    iy = max(0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
    smaller = min(a.w * a.h, b.w * b.h)
    return (ix * iy) / smaller if smaller else 0.0
