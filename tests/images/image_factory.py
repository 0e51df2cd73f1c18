"""Images for the photo tests: real photographs shipped with scikit-image (a portrait of an
astronaut, a cat, a cup of coffee) and images made here (text drawn with Pillow, GPS and
names written into EXIF with piexif)."""

from __future__ import annotations

import io
import shutil
import struct
from pathlib import Path

import numpy as np
import piexif
import pytest
from PIL import Image, ImageDraw, ImageFont
from skimage import data

#: where the astronaut's face is in skimage.data.astronaut() (x, y, w, h), by eye
ASTRONAUT_FACE = (170, 60, 110, 110)
VEJLE_GPS = (55.708333, 9.536667)  # 55° 42' 30" N, 9° 32' 12" E
#: a font with æ, ø and å (Debian's fonts-dejavu-core); Pillow's own font lacks them
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Tesseract er ikke installeret"
)


def encode(im: Image.Image, fmt: str = "JPEG", **kwargs: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kwargs)
    return buf.getvalue()


def astronaut(size: int = 512) -> Image.Image:
    """The portrait of Eileen Collins (512 × 512); ``size`` scales it (faces stay findable
    from about 200: smaller images make the slower redaction tests quick)."""
    im = Image.fromarray(data.astronaut())
    return im if size == 512 else im.resize((size, size), Image.Resampling.LANCZOS)


def gps_exif(
    lat: tuple[int, int, float] = (55, 42, 30.0),
    lon: tuple[int, int, float] = (9, 32, 12.0),
    refs: tuple[bytes, bytes] = (b"N", b"E"),
    artist: str | None = "Mette Holm",
    orientation: int | None = None,
    description: str | None = None,
) -> bytes:
    def rational(dms: tuple[int, int, float]) -> tuple[tuple[int, int], ...]:
        return ((dms[0], 1), (dms[1], 1), (round(dms[2] * 100), 100))

    zeroth: dict[int, object] = {}
    if artist:
        zeroth[piexif.ImageIFD.Artist] = artist.encode()
    if orientation:
        zeroth[piexif.ImageIFD.Orientation] = orientation
    if description:
        zeroth[piexif.ImageIFD.ImageDescription] = description.encode()
    gps = {
        piexif.GPSIFD.GPSLatitudeRef: refs[0],
        piexif.GPSIFD.GPSLatitude: rational(lat),
        piexif.GPSIFD.GPSLongitudeRef: refs[1],
        piexif.GPSIFD.GPSLongitude: rational(lon),
    }
    exif = {
        "0th": zeroth,
        "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2024:05:01 10:11:12"},
        "GPS": gps,
    }
    return bytes(piexif.dump(exif))


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    dejavu = Path(DEJAVU)
    if dejavu.is_file():
        return ImageFont.truetype(str(dejavu), size)
    return ImageFont.load_default(size=size)


def text_image(lines: list[str], size: tuple[int, int] = (1400, 800)) -> Image.Image:
    """A sheet of paper (a letter, a whiteboard) with the lines drawn in black."""
    im = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(im)
    f = font(52)
    for i, line in enumerate(lines):
        draw.text((80, 100 + 130 * i), line, fill="black", font=f)
    return im


def with_app1(jpeg: bytes, payload: bytes) -> bytes:
    """A JPEG with an extra APP1 segment (e.g. damaged EXIF) right after SOI."""
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def gray(data_: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data_)).convert("L"))
