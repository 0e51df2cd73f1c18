"""CSV export for Danish Excel: BOM, semicolons, Danish column names, safe cells."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from omtanke.register import CSV_COLUMNS, ESCALATION_CSV_COLUMNS, Register, RegisterFilter

CPH = ZoneInfo("Europe/Copenhagen")


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def test_export_has_bom_semicolons_and_danish_headers(register: Register) -> None:
    rec = register.register_complaint(
        municipality="hjoerring",
        masked_text='Klage; "citat" og\nny linje om [navn]',
        text_hash=register.fingerprint("orig"),
        channel="official_page",
        categories=["complaint", "personal_data"],
        received_at=datetime(2026, 3, 2, 9, 5, tzinfo=CPH),
        source_url="https://facebook.com/p/1",
        actor="mette",
    )
    register.assign(rec.reference, "Karen Ø. Ærø", actor="mette")
    buf = io.StringIO(newline="")
    assert register.export_csv(buf) == 1
    text = buf.getvalue()
    assert text.splitlines()[0] == "\ufeff" + ";".join(CSV_COLUMNS)
    assert "\r\n" in text
    assert CSV_COLUMNS == (
        "Referencenummer",
        "Modtaget",
        "Kanal",
        "Kilde",
        "Kategorier",
        "Frist",
        "Status",
        "Sagsbehandler",
        "Tekst (maskeret)",
        "Hash",
    )
    header, row = _rows(text)
    data = dict(zip(header, row, strict=True))
    assert data["Referencenummer"] == "HJO-2026-00001"
    assert data["Modtaget"] == "2026-03-02 09:05"  # Danish local time
    assert data["Kategorier"] == "klage, personoplysninger"
    assert data["Frist"] == "2026-03-16"
    assert data["Status"] == "modtaget"
    assert data["Sagsbehandler"] == "Karen Ø. Ærø"
    assert data["Tekst (maskeret)"] == 'Klage; "citat" og\nny linje om [navn]'
    assert data["Hash"] == rec.text_hash
    # Bytes as Excel reads them: UTF-8 with BOM.
    raw = text.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")


def test_export_filters_and_formula_cells(register: Register) -> None:
    for text, status in (('=HYPERLINK("http://x")', "besvaret"), ("+45 klage", None), ("ok", None)):
        rec = register.register_complaint(
            municipality="vejle",
            masked_text=text,
            text_hash="b" * 64,
            channel="official_page",
            actor="bo",
        )
        if status:
            register.set_status(rec.reference, status, actor="bo")
    buf = io.StringIO(newline="")
    assert register.export_csv(buf, RegisterFilter(status="modtaget")) == 2
    rows = _rows(buf.getvalue())[1:]
    assert [r[CSV_COLUMNS.index("Tekst (maskeret)")] for r in rows] == ["'+45 klage", "ok"]
    buf = io.StringIO(newline="")
    register.export_csv(buf, RegisterFilter(status="besvaret"))
    (row,) = _rows(buf.getvalue())[1:]
    assert row[CSV_COLUMNS.index("Tekst (maskeret)")].startswith("'=")


def test_export_escalations(register: Register) -> None:
    register.register_escalation(
        municipality="aabenraa",
        kind="harassment",
        masked_text="[navn] er en idiot",
        evidence_hash="c" * 64,
        channel="official_page",
        actor="leder",
    )
    buf = io.StringIO(newline="")
    assert register.export_csv(buf, escalations=True) == 1
    header, row = _rows(buf.getvalue())
    assert tuple(header) == ESCALATION_CSV_COLUMNS
    assert dict(zip(header, row, strict=True))["Type"] == "chikane"


def test_empty_export_has_only_the_header(register: Register) -> None:
    buf = io.StringIO(newline="")
    assert register.export_csv(buf) == 0
    assert _rows(buf.getvalue()) == [list(CSV_COLUMNS)]
