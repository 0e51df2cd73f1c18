"""The pure helpers of the web UI: highlighted segments and guideline sections."""

from __future__ import annotations

import re

import pytest

from omtanke.engine import Engine
from omtanke.model import Citation, Finding, Level, Span
from omtanke.server.web_render import (
    guideline_sections,
    highlight_segments,
    marked_example,
    section_anchor,
)


def _finding(rule: str, severity: Level, *spans: tuple[int, int, str]) -> Finding:
    return Finding(
        rule=rule,
        category="personal_data",
        severity=severity,
        message="m",
        advice="a",
        spans=tuple(Span(s, e, label, "") for s, e, label in spans),
        citations=(Citation("law", "x", "q"),),
    )


def test_segments_are_code_points_even_after_astral_emoji() -> None:
    text = "😀👩‍👧 CPR 070761-4285 slut"
    start = text.index("070761")
    segments = highlight_segments(
        text, [_finding("base.cpr", Level.STOP, (start, start + 11, "CPR"))]
    )
    assert "".join(s.text for s in segments) == text
    marked = [s for s in segments if s.marked]
    assert [(s.start, s.end, s.text) for s in marked] == [(start, start + 11, "070761-4285")]
    assert marked[0].severity == "stop" and marked[0].rules == "base.cpr"
    assert marked[0].labels == "CPR"


def test_overlapping_spans_split_into_segments_with_every_covering_finding() -> None:
    text = "abcdefghij"
    findings = [
        _finding("r.one", Level.ADVICE, (0, 6, "A")),
        _finding("r.two", Level.STOP, (4, 9, "B")),
        _finding("r.three", Level.WARNING, (2, 5, "C")),
    ]
    segments = highlight_segments(text, findings)
    got = [(s.text, s.rules, s.severity) for s in segments]
    assert got == [
        ("ab", "r.one", "advice"),
        ("cd", "r.one r.three", "warning"),
        ("e", "r.one r.two r.three", "stop"),
        ("f", "r.one r.two", "stop"),
        ("ghi", "r.two", "stop"),
        ("j", "", "ok"),
    ]
    assert segments[2].findings == (0, 1, 2)
    assert not segments[-1].marked


def test_spans_outside_the_text_are_clipped_and_empty_ones_ignored() -> None:
    segments = highlight_segments(
        "kort", [_finding("r.x", Level.STOP, (2, 99, "X"), (1, 1, "Y"), (-5, 1, "Z"))]
    )
    assert [(s.text, s.marked) for s in segments] == [("k", True), ("o", False), ("rt", True)]


def test_no_findings_gives_one_plain_segment_and_empty_text_none() -> None:
    assert [(s.text, s.marked) for s in highlight_segments("hej", [])] == [("hej", False)]
    assert highlight_segments("", []) == []


@pytest.mark.parametrize("pack_id", ["base", "aabenraa", "hjoerring", "soenderborg", "vejle"])
def test_guideline_sections_hold_the_source_verbatim_in_order(engine: Engine, pack_id: str) -> None:
    pack = engine.pack(pack_id)
    preamble, sections = guideline_sections(pack)
    assert {s.id for s in sections} == set(pack.sections)
    # together, the preamble and the sections are the whole source text, in order
    squash = re.compile(r"\s+")
    joined = squash.sub("", preamble + "".join(s.text for s in sections))
    assert joined == squash.sub("", pack.source_text)
    for section in sections:
        anchor = squash.sub(" ", pack.sections[section.id].anchor)
        assert anchor in squash.sub(" ", section.text), section.id
        entry = pack.coverage[section.id]
        assert section.rules == entry.rules and section.advice_only == entry.advice_only
        assert bool(section.rules) != bool(section.advice_only)


def test_a_numbered_section_keeps_its_own_number(engine: Engine) -> None:
    _preamble, sections = guideline_sections(engine.pack("vejle"))
    by_id = {s.id: s for s in sections}
    assert by_id["3"].text.startswith("3. Læg ikke billeder")
    assert not by_id["2"].text.rstrip().endswith("3.")
    assert by_id["HUSK-2"].text.startswith("- Du bliver tilgængelig 24/7")


def test_section_anchors_are_html_ids() -> None:
    assert section_anchor("HUSK-1") == "afsnit-husk-1"
    assert section_anchor("straffeloven § 266 b") == "afsnit-straffeloven-266-b"
    assert section_anchor("sikre-kanaler-borgere") == "afsnit-sikre-kanaler-borgere"
    assert section_anchor("Særlige forhold") == "afsnit-saerlige-forhold"


def test_marked_example() -> None:
    assert marked_example("Ring til Birthe nu", [(9, 15)]) == [
        ("Ring til ", False),
        ("Birthe", True),
        (" nu", False),
    ]


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_colours_have_a_contrast_of_at_least_4_5() -> None:
    from _paths import REPO

    css = (REPO / "src/omtanke/server/static/style.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    white = "#ffffff"
    pairs = [
        (var["ink"], var["paper"]),
        (var["ink-soft"], var["paper"]),
        (var["ink-soft"], var["page"]),
        (var["link"], var["paper"]),
        (var["link-visited"], var["paper"]),
        (var["stop"], var["stop-bg"]),
        (var["warning"], var["warning-bg"]),
        (var["advice"], var["advice-bg"]),
        (var["ok"], var["ok-bg"]),
        (var["ink"], var["stop-mark"]),
        (var["ink"], var["warning-mark"]),
        (var["ink"], var["advice-mark"]),
        (var["ink"], var["focus"]),
        (var["stop"], var["paper"]),
        (white, var["brand"]),
        (white, var["brand-2"]),
        (white, var["button"]),
        (white, var["stop"]),  # the "Overskredet" badge
    ]
    low = [(a, b, round(_contrast(a, b), 2)) for a, b in pairs if _contrast(a, b) < 4.5]
    assert not low, f"colour pairs under 4.5:1: {low}"
    # the focus ring must stand out from white (non-text contrast, 3:1)
    assert _contrast(var["focus-ring"], white) >= 3
