"""Metadata: GPS, names, places, timestamps and captions from EXIF, XMP, IPTC and PNG text;
damaged EXIF is an error, never a silent "no GPS"."""

from __future__ import annotations

import contextlib
import struct

import piexif
import pytest
from image_factory import astronaut, encode, gps_exif, with_app1
from PIL import Image, PngImagePlugin

from omtanke.errors import ImageMetadataError
from omtanke.images import analyse_image
from omtanke.images.exif import ExifFormatError, parse_exif

# Pillow warns when it meets damaged EXIF; Omtanke reads EXIF itself and raises instead.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")

_SMALL = Image.new("RGB", (64, 48), "white")


def test_gps_names_and_time_from_exif(gps_jpeg: bytes) -> None:
    meta = analyse_image(gps_jpeg, ocr=False).metadata
    assert meta.gps == pytest.approx((55.708333, 9.536667), abs=1e-5)
    assert [(i.field, i.value) for i in meta.people] == [("EXIF Artist", "Mette Holm")]
    assert [i.value for i in meta.timestamps] == ["2024-05-01T10:11:12"]
    assert "EXIF GPS" in meta.fields


def test_south_and_west_are_negative() -> None:
    exif = gps_exif(lat=(33, 51, 54.0), lon=(151, 12, 36.0), refs=(b"S", b"W"))
    meta = analyse_image(encode(_SMALL, exif=exif), ocr=False).metadata
    assert meta.gps == pytest.approx((-33.865, -151.21), abs=1e-4)


def test_zero_zero_is_no_position() -> None:
    exif = gps_exif(lat=(0, 0, 0.0), lon=(0, 0, 0.0))
    meta = analyse_image(encode(_SMALL, exif=exif), ocr=False).metadata
    assert meta.gps is None
    assert "EXIF GPS" in meta.fields  # the block is there, the position is not usable


def test_windows_author_camera_owner_and_caption() -> None:
    exif = piexif.dump(
        {
            "0th": {
                piexif.ImageIFD.XPAuthor: "Søren Ølgaard".encode("utf-16-le") + b"\x00\x00",
                piexif.ImageIFD.ImageDescription: b"Tur med Myrestuen",
            },
            "Exif": {piexif.ExifIFD.CameraOwnerName: b"Lise Berg"},
        }
    )
    meta = analyse_image(encode(_SMALL, exif=exif), ocr=False).metadata
    assert {i.value for i in meta.people} == {"Søren Ølgaard", "Lise Berg"}
    assert meta.text == "Tur med Myrestuen"
    assert meta.gps is None


def test_xmp_creator_people_place_and_gps() -> None:
    xmp = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        b'xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        b'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        b'photoshop:City="Vejle" exif:GPSLatitude="55,42.5N" exif:GPSLongitude="9,32.2E">'
        b"<dc:creator><rdf:Seq><rdf:li>Ole Olsen</rdf:li></rdf:Seq></dc:creator>"
        b"<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>Noah</rdf:li></rdf:Bag>"
        b"</Iptc4xmpExt:PersonInImage>"
        b'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Noah p\xc3\xa5 tur'
        b"</rdf:li></rdf:Alt></dc:description>"
        b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    meta = analyse_image(encode(_SMALL, xmp=xmp), ocr=False).metadata
    assert [i.value for i in meta.people] == ["Ole Olsen", "Noah"]
    assert [i.value for i in meta.places] == ["Vejle"]
    assert meta.gps == pytest.approx((55.708333, 9.536667), abs=1e-5)
    assert meta.text == "Noah på tur"


def test_xmp_with_a_dtd_is_refused() -> None:
    xmp = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x:xmpmeta xmlns:x="adobe:ns:meta/"/>'
    with pytest.raises(ImageMetadataError):
        analyse_image(encode(_SMALL, xmp=xmp), ocr=False)


def test_iptc_byline_and_city() -> None:
    def dataset(number: int, value: bytes) -> bytes:
        return b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(value)) + value

    iptc = dataset(80, b"Kim Fotograf") + dataset(90, b"Aabenraa")
    resource = (
        b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    )
    payload = b"Photoshop 3.0\x00" + resource
    app13 = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    jpeg = encode(_SMALL)
    meta = analyse_image(jpeg[:2] + app13 + jpeg[2:], ocr=False).metadata
    assert [i.value for i in meta.people] == ["Kim Fotograf"]
    assert [i.value for i in meta.places] == ["Aabenraa"]


def test_png_text_chunks_and_exif() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Mette Holm")
    info.add_text("Comment", "Ring til mor på 22 87 44 10")
    data = encode(_SMALL, "PNG", pnginfo=info, exif=gps_exif(artist=None))
    meta = analyse_image(data, ocr=False).metadata
    assert [i.value for i in meta.people] == ["Mette Holm"]
    assert meta.text == "Ring til mor på 22 87 44 10"
    assert meta.gps is not None


def test_a_photo_without_metadata(portrait_jpeg: bytes) -> None:
    meta = analyse_image(portrait_jpeg, ocr=False).metadata
    assert meta.gps is None and not meta.people and not meta.timestamps and meta.fields == ()


_VALID = gps_exif()


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"Exif\x00\x00" + b"\xff" * 40, id="no-tiff-header"),
        pytest.param(b"Exif\x00\x00II*\x00\xff\xff\x00\x00" + b"\x00" * 8, id="ifd-outside"),
        pytest.param(
            b"Exif\x00\x00II*\x00\x08\x00\x00\x00\xff\xff" + b"\x01" * 30, id="too-many-entries"
        ),
        pytest.param(
            b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01\x88\x25\x00\x04\x00\x00\x00\x01"
            b"\x7f\xff\xff\xff\x00\x00\x00\x00",
            id="gps-pointer-outside",
        ),
        pytest.param(
            b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x69\x87\x04\x00\x01\x00\x00\x00"
            b"\x08\x00\x00\x00\x00\x00\x00\x00",
            id="loop",
        ),
        pytest.param(b"Exif\x00\x00" + _VALID[: len(_VALID) // 3], id="cut-short"),
    ],
)
def test_damaged_exif_is_an_error(portrait_jpeg: bytes, payload: bytes) -> None:
    with pytest.raises(ImageMetadataError) as err:
        analyse_image(with_app1(portrait_jpeg, payload), name="tur.jpg", ocr=False)
    message = str(err.value)
    assert "'tur.jpg'" in message and "redact-image" in message


def test_exif_reader_reads_only_inside_the_data() -> None:
    raw = _VALID if _VALID.startswith(b"Exif") else b"Exif\x00\x00" + _VALID
    parsed = parse_exif(raw)
    assert parsed.main["Artist"] == "Mette Holm"
    assert parsed.gps["GPSLatitudeRef"] == "N"
    for cut in range(8, len(raw) - 6, 7):
        # damaged: refused with ExifFormatError, never an IndexError or struct.error
        with contextlib.suppress(ExifFormatError):
            parse_exif(raw[:cut])


def test_the_orientation_tag_is_read() -> None:
    stored = astronaut().transpose(Image.Transpose.ROTATE_270)
    result = analyse_image(encode(stored, exif=gps_exif(orientation=8)), ocr=False)
    assert result.metadata.orientation == 8
    assert len(result.faces) == 1
