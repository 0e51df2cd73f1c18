"""Bad images: a clear Danish error naming the file, quickly; never a crash or a hang."""

from __future__ import annotations

import struct
import time
import zlib

import pytest
from image_factory import astronaut, encode

from omtanke.errors import (
    BrokenImageError,
    ImageError,
    ImageTooLargeError,
    InputError,
    NotAnImageError,
)
from omtanke.images import analyse_image, redact_image
from omtanke.images.probe import ImageLimits


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_bomb(width: int, height: int) -> bytes:
    """A real PNG of width × height black pixels: a few hundred KB that decode to GBs."""
    comp = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    idat = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    sof = (
        b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", height, width) + b"\x03" + b"\x01\x22\x00" * 3
    )
    return b"\xff\xd8" + sof + b"\xff\xd9"


_JPEG = encode(astronaut(), quality=90)
_PNG = encode(astronaut(), "PNG")

CASES = [
    pytest.param(b"", NotAnImageError, id="empty"),
    pytest.param("Sikke en dag på stuen".encode(), NotAnImageError, id="text"),
    pytest.param(b"%PDF-1.7\n...", NotAnImageError, id="pdf"),
    pytest.param(b"GIF89a" + b"\x00" * 40, NotAnImageError, id="gif"),
    pytest.param(b"RIFF\x00\x00\x00\x00WEBPVP8 ", NotAnImageError, id="webp"),
    pytest.param(_JPEG[: len(_JPEG) // 2], BrokenImageError, id="truncated-jpeg"),
    pytest.param(_PNG[: len(_PNG) // 2], BrokenImageError, id="truncated-png"),
    pytest.param(_PNG[:20], BrokenImageError, id="png-header-cut"),
    pytest.param(b"\xff\xd8\xff" + bytes(range(256)) * 8, BrokenImageError, id="jpeg-noise"),
    pytest.param(png_header(100, 0), BrokenImageError, id="zero-height"),
    pytest.param(png_bomb(10_000, 10_000), ImageTooLargeError, id="decompression-bomb"),
    pytest.param(png_header(1, 25_000), ImageTooLargeError, id="absurd-side"),
    pytest.param(jpeg_claiming(65_000, 65_000), ImageTooLargeError, id="absurd-jpeg"),
]


@pytest.mark.parametrize(("data", "error"), CASES)
def test_bad_input_gives_a_clear_error(data: bytes, error: type[ImageError]) -> None:
    for run in (
        lambda: analyse_image(data, name="upload.jpg", ocr=False),
        lambda: redact_image(data),
    ):
        started = time.perf_counter()
        with pytest.raises(error) as err:
            run()
        assert time.perf_counter() - started < 2.0
        assert isinstance(err.value, InputError)
        message = str(err.value)
        assert message and message[0].isupper() and message.endswith(".")


def test_messages_name_the_file_and_nothing_inside_it() -> None:
    with pytest.raises(NotAnImageError) as err:
        analyse_image(b"CPR 010203-1234", name="brev\x1b[31m.txt")
    message = str(err.value)
    assert "brev?[31m.txt" in message  # control characters cannot reach the terminal
    assert "010203" not in message


def test_limits_are_configurable() -> None:
    with pytest.raises(ImageTooLargeError) as err:
        analyse_image(_JPEG, limits=ImageLimits(max_pixels=100_000), ocr=False)
    assert "512 × 512" in str(err.value)
    with pytest.raises(ImageTooLargeError):
        analyse_image(_JPEG, limits=ImageLimits(max_bytes=1000), ocr=False)
