"""Faces and sizes: what analyse_image reports about real photographs."""

from __future__ import annotations

import pytest
from image_factory import ASTRONAUT_FACE, astronaut, encode, gps_exif
from PIL import Image

from omtanke.images import analyse_image
from omtanke.images.labels import CARRIER_CHAR, IMAGE_LABELS, carrier_text


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    return ix * iy / min(a[2] * a[3], b[2] * b[3])


def test_portrait_has_one_identifiable_closeup_face(portrait_jpeg: bytes) -> None:
    result = analyse_image(portrait_jpeg, name="astronaut.jpg", ocr=False)
    assert (result.format, result.width, result.height) == ("JPEG", 512, 512)
    assert len(result.faces) == 1
    face = result.faces[0]
    assert _overlap(face.box, ASTRONAUT_FACE) > 0.7
    assert face.identifiable and face.closeup
    assert face.label == "PHOTO_FACE_CLOSEUP"
    assert 0.1 < face.size < 0.3
    assert result.ocr.status == "off"


@pytest.mark.parametrize("name", ["chelsea.jpg", "coffee.jpg"])
def test_photos_without_people_have_no_faces(no_people_images: dict[str, bytes], name: str) -> None:
    assert analyse_image(no_people_images[name], name=name, ocr=False).faces == ()


def test_boxes_are_in_the_coordinates_of_the_upright_photo() -> None:
    """A phone stores a portrait photo on its side with EXIF orientation 6: the face is
    found on the upright picture, and the box is in its coordinates."""
    stored = astronaut().transpose(Image.Transpose.ROTATE_90)  # what the sensor saw
    data = encode(stored, quality=92, exif=gps_exif(orientation=6))
    result = analyse_image(data, ocr=False)
    assert (result.width, result.height) == (512, 512)
    assert len(result.faces) == 1
    assert _overlap(result.faces[0].box, ASTRONAUT_FACE) > 0.7


def test_boxes_are_in_original_pixels_of_a_large_photo() -> None:
    """Faces are found on a smaller copy; the box comes back in the photo's own pixels."""
    big = Image.new("RGB", (3000, 2000), (90, 110, 90))
    big.paste(astronaut().resize((1536, 1536)), (700, 200))
    result = analyse_image(encode(big, quality=90), ocr=False)
    assert (result.width, result.height) == (3000, 2000)
    x, y, w, h = ASTRONAUT_FACE
    expected = (700 + 3 * x, 200 + 3 * y, 3 * w, 3 * h)
    assert len(result.faces) == 1
    assert _overlap(result.faces[0].box, expected) > 0.7


def test_a_face_in_a_group_is_not_a_closeup() -> None:
    canvas = Image.new("RGB", (1600, 1200), (200, 200, 200))
    canvas.paste(astronaut().resize((430, 430), Image.Resampling.LANCZOS), (100, 100))
    result = analyse_image(encode(canvas, quality=92), ocr=False)
    assert len(result.faces) == 1
    face = result.faces[0]
    assert face.identifiable and not face.closeup
    assert face.label == "PHOTO_FACE"


def test_a_face_in_a_small_low_resolution_image_is_not_identifiable() -> None:
    canvas = Image.new("RGB", (640, 480), (200, 200, 200))
    canvas.paste(astronaut().resize((180, 180), Image.Resampling.LANCZOS), (300, 200))
    result = analyse_image(encode(canvas, quality=95), ocr=False)
    assert len(result.faces) == 1
    face = result.faces[0]
    assert face.box[2] < 40
    assert not face.identifiable and face.label == "PHOTO_FACE_SMALL"


def test_detections_sit_on_the_carrier(gps_jpeg: bytes) -> None:
    result = analyse_image(gps_jpeg, ocr=False)
    text = "Tak for i dag"
    carrier, first = carrier_text(text, len(result.detections()))
    detections = result.detections(first)
    assert [d.label for d in detections] == [
        "PHOTO_FACE_CLOSEUP",
        "PHOTO_GPS",
        "PHOTO_METADATA_PERSON",
        "PHOTO_METADATA_TIME",
    ]
    assert {d.label for d in detections} <= IMAGE_LABELS
    for d in detections:
        assert carrier[d.start : d.end] == CARRIER_CHAR
    assert carrier.startswith(text + "\n\n")
    assert detections[0].attributes["box"] == result.faces[0].box
    assert detections[1].attributes["latitude"] == pytest.approx(55.708333, abs=1e-5)
