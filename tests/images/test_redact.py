"""The redacted copy: no face the detectors can find, no metadata, same format."""

from __future__ import annotations

import io

import numpy as np
import pytest
from image_factory import ASTRONAUT_FACE, astronaut, encode, gps_exif, gray, with_app1
from PIL import Image, ImageCms, PngImagePlugin

from omtanke.errors import BrokenImageError, NotAnImageError
from omtanke.images import Redaction, analyse_image, redact, redact_image
from omtanke.images.faces import detect_faces

_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>Ole Olsen'
    b"</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
)


@pytest.fixture(scope="module")
def loaded_jpeg() -> bytes:
    """The portrait with everything a phone and an editor put in: EXIF with GPS, the
    owner and a timestamp, XMP, an ICC profile and a comment."""
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(
        astronaut(), quality=92, exif=gps_exif(), xmp=_XMP, icc_profile=icc, comment=b"Noah"
    )


@pytest.fixture(scope="module")
def redacted(loaded_jpeg: bytes) -> Redaction:
    return redact(loaded_jpeg)


def test_the_copy_has_no_face_the_detectors_find(loaded_jpeg: bytes, redacted: Redaction) -> None:
    assert len(analyse_image(loaded_jpeg, ocr=False).faces) == 1
    result = redacted
    assert len(result.faces) == 1
    x, y, w, h = result.faces[0]
    ax, ay, aw, ah = ASTRONAUT_FACE
    assert x <= ax + 10 and y <= ay + 10 and x + w >= ax + aw - 10 and y + h >= ay + ah - 10
    assert analyse_image(result.data, ocr=False).faces == ()
    assert detect_faces(gray(result.data), thorough=True) == []


def test_the_copy_has_no_metadata(redacted: Redaction) -> None:
    result = redacted
    assert set(result.removed) >= {"EXIF", "XMP", "ICC-farveprofil", "JPEG-kommentar"}
    im = Image.open(io.BytesIO(result.data))
    assert im.format == "JPEG"
    assert not {"exif", "xmp", "icc_profile", "comment", "photoshop"} & set(im.info)
    assert len(im.getexif()) == 0
    for needle in (b"Exif", b"Mette Holm", b"Ole Olsen", b"http://ns.adobe.com", b"2024:05:01"):
        assert needle not in result.data
    meta = analyse_image(result.data, ocr=False).metadata
    assert meta.fields == () and meta.gps is None


def test_the_rest_of_the_picture_is_kept(loaded_jpeg: bytes, redacted: Redaction) -> None:
    before = gray(loaded_jpeg).astype(int)
    after = gray(redacted.data).astype(int)
    assert before.shape == after.shape == (512, 512)
    # the bottom half (suit, helmet) is untouched, up to JPEG re-encoding
    assert abs(before[350:, :] - after[350:, :]).mean() < 3
    # the face is not
    ax, ay, aw, ah = ASTRONAUT_FACE
    assert abs(before[ay : ay + ah, ax : ax + aw] - after[ay : ay + ah, ax : ax + aw]).mean() > 8


def test_png_stays_png_without_text_chunks() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Mette Holm")
    data = encode(astronaut(256).convert("RGBA"), "PNG", pnginfo=info, exif=gps_exif())
    result = redact(data)
    im = Image.open(io.BytesIO(result.data))
    assert (im.format, im.mode, im.size) == ("PNG", "RGBA", (256, 256))
    assert "Author" not in im.info and "exif" not in im.info
    assert b"Mette Holm" not in result.data
    assert analyse_image(result.data, ocr=False).faces == ()


def test_orientation_is_applied_to_the_pixels() -> None:
    stored = astronaut(256).resize((256, 192)).transpose(Image.Transpose.ROTATE_90)  # 192 × 256
    data = encode(stored, exif=gps_exif(orientation=6))
    out = Image.open(io.BytesIO(redact_image(data)))
    assert out.size == (256, 192)  # upright, and no orientation tag left to apply


@pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")
def test_damaged_exif_is_stripped_not_fatal() -> None:
    data = with_app1(
        encode(astronaut(256)), b"Exif\x00\x00II*\x00\x08\x00\x00\x00\xff\xff" + b"\x01" * 30
    )
    result = redact(data)
    assert "EXIF" in result.removed
    assert b"Exif" not in result.data
    assert analyse_image(result.data, ocr=False).faces == ()


def test_nothing_to_blur(no_people_images: dict[str, bytes]) -> None:
    result = redact(no_people_images["coffee.jpg"])
    assert result.faces == () and result.removed == ()
    assert Image.open(io.BytesIO(result.data)).size == (600, 400)


def test_bad_input_is_refused() -> None:
    with pytest.raises(NotAnImageError):
        redact_image(b"not an image at all")
    with pytest.raises(BrokenImageError):
        redact_image(encode(astronaut())[:3000])


@pytest.mark.parametrize(("mode", "out_mode"), [("P", "RGB"), ("LA", "RGBA"), ("I;16", "L")])
def test_png_colour_modes(mode: str, out_mode: str) -> None:
    rgb = astronaut(256)
    im = (
        Image.fromarray(np.asarray(rgb.convert("L")).astype(np.uint16) * 257)
        if mode == "I;16"
        else rgb.convert(mode)
    )
    data = encode(im, "PNG")
    assert Image.open(io.BytesIO(data)).mode == mode
    assert len(analyse_image(data, ocr=False).faces) == 1
    out = redact_image(data)
    assert Image.open(io.BytesIO(out)).mode == out_mode
    assert analyse_image(out, ocr=False).faces == ()


def test_a_multi_picture_jpeg_keeps_only_the_main_picture() -> None:
    """Some cameras write MPO: a JPEG with more pictures after the first. The copy is a
    plain JPEG of the first picture; the others (faces and all) are gone."""
    small = astronaut(256)
    buf = io.BytesIO()
    small.save(buf, "MPO", save_all=True, append_images=[small.rotate(90)])
    result = redact(buf.getvalue())
    out = Image.open(io.BytesIO(result.data))
    assert (out.format, getattr(out, "n_frames", 1), out.size) == ("JPEG", 1, (256, 256))
    assert len(result.faces) == 1 and analyse_image(result.data, ocr=False).faces == ()
