"""Images through the packs: Engine.check(text, context, images=...) and the JSON contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from image_factory import astronaut, encode, gps_exif, needs_tesseract

from omtanke.engine import Engine
from omtanke.errors import EmptyTextError, NotAnImageError
from omtanke.images import ImageInput
from omtanke.model import Level, Report

MUNICIPALITIES = ("aabenraa", "soenderborg", "vejle", "hjoerring")


def _check(
    engine: Engine,
    text: str,
    *images: bytes,
    ocr: bool = False,
    municipality: str = "vejle",
    channel: str = "private_profile",
    public_event: bool = False,
) -> Report:
    inputs = [ImageInput(data, f"billede{i + 1}.jpg") for i, data in enumerate(images)]
    context = engine.make_context(municipality, channel, None, public_event)
    return engine.check(text, context, images=inputs, ocr=ocr)


@pytest.mark.parametrize("municipality", MUNICIPALITIES)
def test_portrait_gives_a_consent_finding_with_the_face_box(
    engine: Engine, portrait_jpeg: bytes, municipality: str
) -> None:
    report = _check(engine, "", portrait_jpeg, municipality=municipality, channel="work_profile")
    photo = [f for f in report.findings if f.category == "photo_consent"]
    assert len(photo) == 1
    finding = photo[0]
    assert finding.rule == f"{municipality}.foto_naerbillede"
    assert finding.image is not None and finding.image.source == "image"
    assert finding.image.boxes == (report.images[0].faces[0].box,)
    assert finding.image.labels == ("PHOTO_FACE_CLOSEUP",)
    assert finding.severity is Level.WARNING
    assert any(c.source == municipality for c in finding.citations)
    assert report.verdict is Level.WARNING


@needs_tesseract
@pytest.mark.parametrize("municipality", MUNICIPALITIES)
def test_cpr_and_a_childs_name_in_an_image_is_stop(
    engine: Engine, cpr_png: bytes, municipality: str
) -> None:
    report = _check(
        engine, "Husk sedlen til i morgen", cpr_png, ocr=True, municipality=municipality
    )
    assert report.verdict is Level.STOP
    summary = report.images[0]
    assert summary.ocr_status == "ok"
    cpr = [f for f in report.findings if any(s.label == "CPR" for s in f.spans)]
    assert cpr and cpr[0].severity is Level.STOP
    ref = cpr[0].image
    assert ref is not None and ref.source == "ocr" and ref.boxes
    for finding in report.findings:
        for span in finding.spans:  # spans point into the text read in the image
            assert summary.ocr_text[span.start : span.end] == span.text
    assert {e.label for e in summary.ocr_entities} >= {"CPR", "PERSON"}
    assert report.entities == ()  # the post itself has none


def test_gps_in_the_metadata_gives_a_location_finding(engine: Engine, gps_jpeg: bytes) -> None:
    report = _check(engine, "Dejlig dag 🌞", gps_jpeg, channel="official_page")
    rules = {f.rule: f for f in report.findings}
    assert rules["base.foto_gps"].category == "personal_data"
    assert rules["base.foto_gps"].severity is Level.WARNING
    assert rules["base.foto_gps"].image is not None
    assert rules["base.foto_gps"].image.labels == ("PHOTO_GPS",)
    assert "base.foto_metadata_navne" in rules
    assert report.images[0].gps == pytest.approx((55.708333, 9.536667), abs=1e-5)
    hjoerring = _check(engine, "", gps_jpeg, municipality="hjoerring", channel="official_page")
    assert "hjoerring.foto_gps" in {f.rule for f in hjoerring.findings}


def test_children_from_work_make_a_closeup_stop(engine: Engine, portrait_jpeg: bytes) -> None:
    text = "Skovtur med Bjørnegruppen i dag 🌲"
    report = _check(engine, text, portrait_jpeg, channel="work_profile")
    assert [f.rule for f in report.findings if f.category == "photo_consent"] == [
        "vejle.foto_boern_naerbillede"
    ]
    assert report.verdict is Level.STOP


def test_consent_in_the_post_suppresses_the_photo_findings(
    engine: Engine, portrait_jpeg: bytes
) -> None:
    text = "Skovtur med Bjørnegruppen i dag 🌲 Alle forældre har givet samtykke til billeder"
    report = _check(engine, text, portrait_jpeg, channel="work_profile")
    assert not [f for f in report.findings if f.category == "photo_consent"]


def test_a_public_event_softens(engine: Engine, portrait_jpeg: bytes) -> None:
    base = _check(engine, "", portrait_jpeg, municipality="hjoerring", channel="official_page")
    event = _check(
        engine,
        "",
        portrait_jpeg,
        municipality="hjoerring",
        channel="official_page",
        public_event=True,
    )
    assert base.verdict is Level.WARNING
    assert event.verdict is Level.ADVICE


def test_no_people_no_photo_findings(engine: Engine, no_people_images: dict[str, bytes]) -> None:
    report = _check(engine, "Kaffe og kage på kontoret", *no_people_images.values())
    assert report.findings == ()
    assert [i.index for i in report.images] == [0, 1]
    assert report.verdict is Level.OK


def test_several_images_are_told_apart(
    engine: Engine, no_people_images: dict[str, bytes], portrait_jpeg: bytes
) -> None:
    report = _check(
        engine, "", no_people_images["coffee.jpg"], portrait_jpeg, channel="official_page"
    )
    (finding,) = report.findings
    assert finding.image is not None
    assert (finding.image.index, finding.image.name) == (1, "billede2.jpg")


def test_caption_in_the_metadata_goes_through_the_text_checks(engine: Engine) -> None:
    exif = gps_exif(artist=None, description="Mikkel fra Bjørnegruppen, cpr 150620-4127")
    data = encode(astronaut().resize((64, 64)), exif=exif)
    report = _check(engine, "", data)
    meta = [f for f in report.findings if f.image is not None and f.image.source == "metadata"]
    assert any(s.label == "CPR" for f in meta for s in f.spans)
    text = report.images[0].metadata_text
    for f in meta:
        for s in f.spans:
            assert text[s.start : s.end] == s.text
    assert report.verdict is Level.STOP


def test_text_only_report_is_unchanged(engine: Engine) -> None:
    report = engine.check("Ring til mig på 40 12 88 93", municipality="vejle")
    data = report.to_dict()
    assert list(data) == ["verdict", "findings", "entities", "rewrite", "policy"]
    assert all("image" not in f for f in data["findings"])
    assert report.images == () and report.notices == ()


def test_json_with_images(engine: Engine, gps_jpeg: bytes) -> None:
    report = _check(engine, "Tak for i dag", gps_jpeg, channel="official_page")
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert list(data) == ["verdict", "findings", "entities", "rewrite", "policy", "images"]
    (image,) = data["images"]
    assert set(image) == {
        "index",
        "name",
        "format",
        "width",
        "height",
        "faces",
        "gps",
        "metadata",
        "ocr",
    }
    assert image["gps"] == {
        "latitude": pytest.approx(55.708333, abs=1e-5),
        "longitude": pytest.approx(9.536667, abs=1e-5),
    }
    assert image["metadata"]["people"] == ["Mette Holm"]
    assert image["ocr"]["status"] == "off"
    face = image["faces"][0]
    assert (
        set(face) == {"box", "size", "identifiable", "closeup", "score"} and len(face["box"]) == 4
    )
    for f in data["findings"]:
        assert set(f["image"]) >= {"index", "name", "source", "boxes"}


def test_images_only_text_may_be_empty_but_not_without_images(
    engine: Engine, portrait_jpeg: bytes
) -> None:
    assert _check(engine, "", portrait_jpeg).rewrite == ""
    with pytest.raises(EmptyTextError):
        engine.check("", municipality="vejle")


def test_a_bad_image_is_an_error_naming_it(engine: Engine) -> None:
    with pytest.raises(NotAnImageError) as err:
        engine.check("Tak", municipality="vejle", images=[ImageInput(b"%PDF-1.4 ...", "brev.pdf")])
    assert "'brev.pdf'" in str(err.value) and "PDF" in str(err.value)


def test_missing_tesseract_is_a_notice_and_the_rest_still_works(
    engine: Engine, portrait_jpeg: bytes, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("OMTANKE_TESSERACT", raising=False)
    report = _check(engine, "", portrait_jpeg, portrait_jpeg, ocr=True)
    assert report.images[0].ocr_status == "unavailable"
    assert len(report.notices) == 1 and "Tesseract" in report.notices[0]
    assert "notices" in report.to_dict()
    assert len([f for f in report.findings if f.category == "photo_consent"]) == 2
