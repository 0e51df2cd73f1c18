"""Fixtures of the photo tests. Images are made in memory or in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from image_factory import astronaut, encode, gps_exif, text_image
from PIL import Image
from skimage import data


@pytest.fixture(scope="session")
def portrait_jpeg() -> bytes:
    return encode(astronaut(), quality=92)


@pytest.fixture(scope="session")
def gps_jpeg() -> bytes:
    return encode(astronaut(), quality=92, exif=gps_exif())


@pytest.fixture(scope="session")
def cpr_png() -> bytes:
    return encode(text_image(["CPR: 010203-1234", "Noah Jensen, Bjornegruppen"]), "PNG")


@pytest.fixture(scope="session")
def no_people_images() -> dict[str, bytes]:
    """Real photographs with no person in them."""
    return {
        "chelsea.jpg": encode(Image.fromarray(data.chelsea()), quality=90),
        "coffee.jpg": encode(Image.fromarray(data.coffee()), quality=90),
    }


@pytest.fixture()
def write(tmp_path: Path) -> Callable[[str, bytes], Path]:
    def _write(name: str, content: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return _write
