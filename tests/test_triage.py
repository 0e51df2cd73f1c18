"""Triage of citizen messages: categories, actions, replies that never repeat personal data."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from omtanke.engine import Engine
from omtanke.model import CheckContext, Level

MSG = (
    "Jeg har sukkersyge og min hjemmehjælp er ikke kommet i 3 dage!!! Jeg bor på Åvej 9, "
    "9800 Hjørring, cpr 030591-6021. Ring til mig på 98 12 34 56. Mvh Birthe Sørensen"
)


def test_complaint_with_personal_data(engine: Engine) -> None:
    report = engine.triage(MSG, municipality="hjoerring")
    assert {"complaint", "personal_data", "case_request"} <= set(report.categories)
    assert report.verdict is Level.STOP
    ids = [a.id for a in report.actions]
    assert ids.index("hide_and_refer") < ids.index("register_complaint")
    for secret in ("030591", "98 12 34 56", "Åvej", "Birthe", "sukkersyge"):
        assert secret not in report.reply
    assert "Digital Post" in report.reply and "Hjørring Kommune" in report.reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hvornår åbner svømmehallen i Nordborg igen efter renoveringen? 🏊", {"question"}),
        ("Det er simpelthen for dårligt at skraldet ikke er hentet i 3 uger!!", {"complaint"}),
        ("I er nogle inkompetente idioter nede på rådhuset 🤬", {"harassment", "complaint"}),
        ("Næste gang I lukker vejen, sætter jeg ild til jeres kontor.", {"threat"}),
        (
            # a complaint that asks how to complain is a complaint, not a general question
            "Det er en skandale at I lukker dagplejen i Bredballe! Hvordan kan man klage?",
            {"complaint"},
        ),
        (
            # a named child's home situation: personal data too (indbakke_barn_navngivet)
            "Min nabos søn Oliver på 8 er alene hjemme hver nat og får aldrig aftensmad 😢",
            {"child_welfare", "personal_data"},
        ),
        ("Tusind tak for en dejlig julemarked i går 🎄", set()),
    ],
)
def test_categories(engine: Engine, text: str, expected: set[str]) -> None:
    assert set(engine.triage(text, municipality="vejle").categories) == expected


def test_threats_get_no_public_reply(engine: Engine) -> None:
    report = engine.triage(
        "Jeg ved godt hvor du bor, Anders. Det skal du betale for.", municipality="aabenraa"
    )
    assert {"threat", "harassment"} <= set(report.categories)
    assert report.reply == ""
    assert report.actions[0].id == "escalate_threat"


def test_private_profile_and_after_hours(engine: Engine) -> None:
    ctx = CheckContext(
        "vejle", "private_profile", kind="inbox", received_at=datetime(2026, 11, 22, 21, 15)
    )  # a Sunday evening
    report = engine.triage("Hej Louise, skal børnene have madpakke med på tur i morgen?", ctx)
    ids = [a.id for a in report.actions]
    assert "refer_from_private_profile" in ids and "after_hours" in ids
    assert report.verdict >= Level.ADVICE
    assert "Louise" not in report.reply


def test_json_contract(engine: Engine) -> None:
    data = engine.triage(MSG, municipality="hjoerring").to_dict()
    assert {"categories", "verdict", "actions", "reply", "entities"} <= set(data)
    assert all({"id", "title", "steps", "citations"} <= set(a) for a in data["actions"])


def test_cli_triage_and_batch(tmp_path: Path) -> None:
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "omtanke",
            "triage",
            "--kommune",
            "hjoerring",
            "--format",
            "json",
            MSG,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert "complaint" in json.loads(r.stdout)["categories"]
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "x1", "text": MSG, "context": {"municipality": "hjoerring"}})
        + "\n"
        + "ikke json\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    r = subprocess.run(
        [sys.executable, "-m", "omtanke", "triage", "--batch", str(src), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 2 and f"{src}:2:" in r.stderr and "030591" not in r.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["id"] == "x1" and "complaint" in rows[0]["categories"]


def test_triage_register_stores_only_masked_text(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    base = [sys.executable, "-m", "omtanke"]
    r = subprocess.run(
        [
            *base,
            "triage",
            "--kommune",
            "hjoerring",
            "--register",
            "--db",
            db,
            "--format",
            "json",
            MSG,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    refs = json.loads(r.stdout)["register"]
    assert refs[0]["type"] == "complaint" and refs[0]["reference"].startswith("HJO-")
    r = subprocess.run(
        [*base, "register", "export", "--csv", "--db", db],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert refs[0]["reference"] in r.stdout
    for secret in ("030591-6021", "98 12 34 56", "Åvej 9", "Birthe Sørensen"):
        assert secret not in r.stdout
    raw = (tmp_path / "register.sqlite3").read_bytes()
    assert b"030591" not in raw and "Sørensen".encode() not in raw
