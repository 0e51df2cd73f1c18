"""``/v1/ask``, ``/v1/compare``, photos on ``/v1/check`` and ``/v1/redact-image``."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import piexif
import pytest
from PIL import Image
from server_support import Api
from skimage import data

from omtanke.engine import Engine
from omtanke.guidance import Guide
from omtanke.server.api import MAX_IMAGES
from omtanke.server.schemas import CheckResponse


def _jpeg(exif: bytes | None = None) -> bytes:
    """The astronaut portrait shipped with scikit-image: one large, identifiable face."""
    buf = io.BytesIO()
    kwargs: dict[str, Any] = {"exif": exif} if exif else {}
    Image.fromarray(data.astronaut()).save(buf, "JPEG", **kwargs)
    return buf.getvalue()


def _gps_exif() -> bytes:
    gps = {
        piexif.GPSIFD.GPSLatitudeRef: b"N",
        piexif.GPSIFD.GPSLatitude: ((55, 1), (42, 1), (3000, 100)),
        piexif.GPSIFD.GPSLongitudeRef: b"E",
        piexif.GPSIFD.GPSLongitude: ((9, 1), (32, 1), (1200, 100)),
    }
    exif: bytes = piexif.dump({"0th": {piexif.ImageIFD.Artist: b"Mette Holm"}, "GPS": gps})
    return exif


def _error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    message: str = response.json()["error"]["message"]
    return message


# -- ask and compare ---------------------------------------------------------------------------

QUESTION = "må jeg være ven med forældrene på Facebook?"


def test_ask_returns_the_guides_answer(api: Api, engine: Engine) -> None:
    r = api.client.get("/v1/ask", params={"q": QUESTION, "municipality": "vejle"})
    assert r.status_code == 200
    answer = r.json()
    assert answer == Guide(engine).ask(QUESTION, municipality="vejle").to_dict()
    assert answer["covered"] is True and answer["passages"]
    assert {p["municipality"] for p in answer["passages"]} <= {"vejle", "base"}
    limited = api.client.get("/v1/ask", params={"q": QUESTION, "limit": 1}).json()
    assert len(limited["passages"]) == 1


def test_ask_errors(api: Api) -> None:
    assert "tomt" in _error(api.client.get("/v1/ask", params={"q": " "}), 422, "invalid_question")
    _error(api.client.get("/v1/ask"), 422, "invalid_request")
    _error(api.client.get("/v1/ask", params={"q": "x" * 1001}), 422, "invalid_request")
    _error(api.client.get("/v1/ask", params={"q": QUESTION, "limit": 0}), 422, "invalid_request")
    _error(
        api.client.get("/v1/ask", params={"q": QUESTION, "municipality": "Odense"}),
        422,
        "invalid_context",
    )


def test_compare(api: Api) -> None:
    topics = api.client.get("/v1/compare/topics").json()
    ids = [t["id"] for t in topics["topics"]]
    assert topics["count"] == len(ids) and "billeder" in ids
    r = api.client.get("/v1/compare", params={"topic": "billeder"})
    assert r.status_code == 200
    comparison = r.json()
    assert comparison["topic"]["id"] == "billeder"
    assert {m["municipality"] for m in comparison["municipalities"]} == {
        "aabenraa",
        "hjoerring",
        "soenderborg",
        "vejle",
    }
    assert any(m["passages"] for m in comparison["municipalities"])
    message = _error(
        api.client.get("/v1/compare", params={"topic": "rumfart"}), 422, "unknown_topic"
    )
    assert "billeder" in message
    _error(api.client.get("/v1/compare"), 422, "invalid_request")


# -- photos on /v1/check -----------------------------------------------------------------------


def test_check_with_a_photo(api: Api) -> None:
    r = api.client.post(
        "/v1/check",
        data={"text": "Skovtur med Bjørnegruppen", "municipality": "vejle", "ocr": "false"},
        files=[("images", ("tur.jpg", _jpeg(_gps_exif()), "image/jpeg"))],
    )
    assert r.status_code == 200, r.text
    report = r.json()
    CheckResponse.model_validate(report)  # matches the documented schema
    [image] = report["images"]
    assert image["name"] == "tur.jpg" and image["format"] == "JPEG"
    assert image["faces"] and image["faces"][0]["identifiable"]
    assert image["gps"] is not None and round(image["gps"]["latitude"], 2) == 55.71
    assert image["ocr"]["status"] == "off"
    about_image = [f for f in report["findings"] if f.get("image")]
    assert about_image and all(f["image"]["name"] == "tur.jpg" for f in about_image)
    assert report["verdict"] in ("warning", "stop")


def test_check_with_only_a_photo_and_empty_text(api: Api) -> None:
    r = api.client.post(
        "/v1/check",
        data={"municipality": "hjoerring", "channel": "official_page", "ocr": "0"},
        files=[("images", ("a.png", _png(), "image/png"))],
    )
    assert r.status_code == 200, r.text
    assert r.json()["images"][0]["format"] == "PNG"
    # Without photos, the form still needs a text.
    r = api.client.post("/v1/check", data={"municipality": "vejle", "text": "Godmorgen"}, files=[])
    assert r.status_code == 200 and "images" not in r.json()


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 220, 240)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("files", "fields", "code", "fragment"),
    [
        (
            [("images", ("brev.txt", b"Kaere Mette, her er mit CPR 010190-1234", "text/plain"))],
            {},
            "invalid_image",
            "brev.txt",
        ),
        ([("images", ("halv.jpg", _jpeg()[:2000], "image/jpeg"))], {}, "invalid_image", "halv.jpg"),
        ([("images", ("tom.png", b"", "image/png"))], {}, "invalid_image", "tom.png"),
        (
            [("images", ("a.png", _png(), "image/png"))],
            {"municipality": "Odense"},
            "invalid_context",
            "Odense",
        ),
        (
            [("images", ("a.png", _png(), "image/png"))],
            {"kanal": "x"},
            "invalid_request",
            "'kanal'",
        ),
        ([("andet", ("a.png", _png(), "image/png"))], {}, "invalid_request", "'images'"),
    ],
)
def test_bad_uploads(
    api: Api, files: list[Any], fields: dict[str, str], code: str, fragment: str
) -> None:
    form = {"municipality": "vejle", "text": "", **fields}
    r = api.client.post("/v1/check", data=form, files=files)
    message = _error(r, 422, code)
    assert fragment in message
    assert "010190" not in message


def test_too_many_photos(api: Api) -> None:
    files = [("images", (f"{i}.png", _png(), "image/png")) for i in range(MAX_IMAGES + 1)]
    r = api.client.post("/v1/check", data={"municipality": "vejle"}, files=files)
    assert f"højst {MAX_IMAGES} billeder" in _error(r, 422, "invalid_request")


def test_images_field_must_hold_files(api: Api) -> None:
    r = api.client.post(
        "/v1/check",
        data={"municipality": "vejle", "text": "Hej", "images": "ikke en fil"},
        files=[("x", ("a.png", _png(), "image/png"))],
    )
    _error(r, 422, "invalid_request")


def test_uploads_have_their_own_size_limit(make_api: Callable[..., Api]) -> None:
    api = make_api(max_body_bytes=5_000, max_upload_bytes=300_000)
    photo = _jpeg()
    assert len(photo) > 5_000 and 300_000 // len(photo) + 1 <= MAX_IMAGES
    r = api.client.post(
        "/v1/check",
        data={"municipality": "vejle", "ocr": "false"},
        files=[("images", ("a.jpg", photo, "image/jpeg"))],
    )
    assert r.status_code == 200, r.text
    r = api.client.post(
        "/v1/check",
        data={"municipality": "vejle", "ocr": "false"},
        files=[
            ("images", (f"{i}.jpg", photo, "image/jpeg")) for i in range(300_000 // len(photo) + 1)
        ],
    )
    assert "300.000 bytes" in _error(r, 413, "body_too_large")
    r = api.client.post("/v1/check", json={"text": "a " * 3_000, "municipality": "vejle"})
    assert "5.000 bytes" in _error(r, 413, "body_too_large")


# -- /v1/redact-image ---------------------------------------------------------------------------


def test_redact_image_as_a_form_and_as_a_body(api: Api) -> None:
    original = _jpeg(_gps_exif())
    assert piexif.load(original)["GPS"]
    r = api.client.post("/v1/redact-image", files={"image": ("tur.jpg", original, "image/jpeg")})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/jpeg"
    assert r.headers["content-disposition"] == 'attachment; filename="tur-renset.jpg"'
    assert int(r.headers["x-omtanke-faces-blurred"]) >= 1
    assert r.headers["x-omtanke-metadata-removed"] != "-"
    copy = Image.open(io.BytesIO(r.content))
    assert copy.size == (512, 512)
    assert "exif" not in copy.info
    raw = api.client.post("/v1/redact-image", content=_png(), headers={"Content-Type": "image/png"})
    assert raw.status_code == 200 and raw.headers["content-type"] == "image/png"
    assert raw.headers["content-disposition"].endswith('-renset.png"')


def test_redact_image_errors(api: Api) -> None:
    _error(
        api.client.post("/v1/redact-image", content=b"hej", headers={"Content-Type": "text/plain"}),
        415,
        "unsupported_media_type",
    )
    _error(
        api.client.post("/v1/redact-image", content=b"hej", headers={"Content-Type": "image/png"}),
        422,
        "invalid_image",
    )
    _error(
        api.client.post("/v1/redact-image", content=b"", headers={"Content-Type": "image/png"}),
        422,
        "invalid_image",
    )
    _error(
        api.client.post("/v1/redact-image", files={"billede": ("a.png", _png(), "image/png")}),
        422,
        "invalid_request",
    )
