"""Read an image's format and dimensions from its header, before anything is decoded.

A decompression bomb is a small file that claims huge dimensions (a 50 KB PNG of
100,000 × 100,000 pixels decodes to 10 GB). The header is read here with the standard
library only, and the limits are applied before Pillow decodes a single pixel.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from ..errors import BrokenImageError, ImageTooLargeError, NotAnImageError

__all__ = ["DEFAULT_LIMITS", "ImageHeader", "ImageLimits", "probe"]


@dataclass(frozen=True, slots=True)
class ImageLimits:
    """What an image may be. The defaults take any phone or camera photo (a 48-megapixel
    phone photo is 8064 × 6048) and reject bombs."""

    max_bytes: int = 50 * 1024 * 1024
    max_pixels: int = 64_000_000
    max_side: int = 20_000


DEFAULT_LIMITS = ImageLimits()


@dataclass(frozen=True, slots=True)
class ImageHeader:
    format: str  # "JPEG" or "PNG"
    width: int  # as stored (before EXIF orientation)
    height: int


# Signatures of formats Omtanke does not read, to name them in the error.
_OTHER_FORMATS: tuple[tuple[bytes, int, str], ...] = (
    (b"GIF87a", 0, "GIF"),
    (b"GIF89a", 0, "GIF"),
    (b"BM", 0, "BMP"),
    (b"II*\x00", 0, "TIFF"),
    (b"MM\x00*", 0, "TIFF"),
    (b"WEBP", 8, "WebP"),
    (b"ftypheic", 4, "HEIC"),
    (b"ftypheix", 4, "HEIC"),
    (b"ftypmif1", 4, "HEIF"),
    (b"ftypavif", 4, "AVIF"),
    (b"%PDF", 0, "PDF"),
    (b"8BPS", 0, "Photoshop (PSD)"),
)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic); not DHT (C4),
# JPG (C8) or DAC (CC).
_SOF_MARKERS = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def probe(data: bytes, name: str, limits: ImageLimits = DEFAULT_LIMITS) -> ImageHeader:
    """The format and stored dimensions of ``data``; raises an :class:`ImageError` for
    anything that is not a JPEG or PNG within ``limits``."""
    if len(data) > limits.max_bytes:
        raise ImageTooLargeError(
            name, f"filen fylder {_mb(len(data))}, og grænsen er {_mb(limits.max_bytes)}"
        )
    if data.startswith(_PNG_SIGNATURE):
        header = _probe_png(data, name)
    elif data.startswith(b"\xff\xd8\xff"):
        header = _probe_jpeg(data, name)
    else:
        for signature, offset, label in _OTHER_FORMATS:
            if data[offset : offset + len(signature)] == signature:
                raise NotAnImageError(name, label)
        raise NotAnImageError(name)
    w, h = header.width, header.height
    if w < 1 or h < 1:
        raise BrokenImageError(name)
    if max(w, h) > limits.max_side or w * h > limits.max_pixels:
        megapixels = f"{limits.max_pixels / 1e6:g}".replace(".", ",")
        raise ImageTooLargeError(
            name,
            f"{_thousands(w)} × {_thousands(h)} pixels; grænsen er "
            f"{_thousands(limits.max_side)} pixels på den længste led og "
            f"{megapixels} megapixel i alt",
        )
    return header


def _probe_png(data: bytes, name: str) -> ImageHeader:
    # signature, then the IHDR chunk: length 13, type, width, height
    if len(data) < 33 or data[12:16] != b"IHDR" or data[8:12] != b"\x00\x00\x00\x0d":
        raise BrokenImageError(name)
    width, height = struct.unpack(">II", data[16:24])
    return ImageHeader("PNG", width, height)


def _probe_jpeg(data: bytes, name: str) -> ImageHeader:
    """Walk the JPEG markers up to the frame header (SOFn). Every step moves forward, so a
    crafted file cannot make this loop forever."""
    pos = 2
    end = len(data)
    while pos < end:
        if data[pos] != 0xFF:
            raise BrokenImageError(name)
        while pos < end and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= end:
            break
        marker = data[pos]
        pos += 1
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # no length
            continue
        if marker in (0xD9, 0xDA):  # end of image or start of scan before any frame
            break
        if pos + 2 > end:
            break
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2:
            break
        if marker in _SOF_MARKERS:
            if pos + 7 > end or length < 8:
                break
            height, width = struct.unpack(">HH", data[pos + 3 : pos + 7])
            return ImageHeader("JPEG", width, height)
        pos += length
    raise BrokenImageError(name)
