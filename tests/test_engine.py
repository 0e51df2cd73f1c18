"""The engine end to end: the issue's acceptance scenario and offset handling."""

from __future__ import annotations

from omtanke.engine import Engine
from omtanke.model import Level

POST = "Lang dag på stuen 😩 Mikkel fra Bjørnegruppen kastede op hele formiddagen. Hans cpr er 150620-4127 🤢"


def test_cpr_and_named_child_from_work_is_stop(engine: Engine) -> None:
    report = engine.check(POST, municipality="vejle", channel="private_profile")
    assert report.verdict is Level.STOP
    spans = {(s.label, s.text) for f in report.findings for s in f.spans}
    assert ("CPR", "150620-4127") in spans
    assert ("PERSON", "Mikkel") in spans
    sources = {c.source for f in report.findings for c in f.citations}
    assert "vejle" in sources and "law" in sources
    sections = {c.section for f in report.findings for c in f.citations if c.source == "law"}
    assert "forvaltningsloven § 27" in sections


def test_offsets_are_code_points_after_emoji(engine: Engine) -> None:
    text = "👨‍👩‍👧‍👦🎉 cpr 120379-3649"
    report = engine.check(text, municipality="hjoerring", channel="work_profile")
    cpr = next(e for e in report.entities if e.label == "CPR")
    assert text[cpr.start : cpr.end] == "120379-3649"


def test_every_municipality_resolves_by_danish_name(engine: Engine) -> None:
    for name, pid in [
        ("Hjørring", "hjoerring"),
        ("Sønderborg Kommune", "soenderborg"),
        ("Aabenraa", "aabenraa"),
        ("Paddehatten", "vejle"),
    ]:
        assert engine.resolve_municipality(name) == pid


def test_channel_changes_severity(engine: Engine) -> None:
    levels = {
        ch: engine.check(
            "Husk at Birthe skal have insulin kl 8 på plejehjemmet",
            municipality="hjoerring",
            channel=ch,
        ).verdict
        for ch in ("private_profile", "official_page")
    }
    assert levels["official_page"] >= levels["private_profile"]
    assert levels["official_page"] is Level.STOP


def test_ok_post_is_ok(engine: Engine) -> None:
    report = engine.check(
        "Skt. Hans på Kilen 🔥 Bålet tændes kl. 21 – vi ses!",
        municipality="aabenraa",
        channel="official_page",
    )
    assert report.verdict is Level.OK
    assert report.rewrite == "Skt. Hans på Kilen 🔥 Bålet tændes kl. 21 – vi ses!"
