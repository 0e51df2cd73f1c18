"""``omtanke ask`` and ``omtanke compare`` on the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from omtanke.cli import main
from omtanke.guidance import Guide
from omtanke.text import normalise_ws

FRIENDS = "må jeg være ven med forældrene på Facebook?"


@pytest.fixture(autouse=True)
def shared_guide(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, guide: Guide
) -> None:
    """The commands use the session's Guide (loading the packs once), except in tests
    marked ``real_packs``, which build it as the command does."""
    if request.node.get_closest_marker("real_packs") is None:
        monkeypatch.setattr("omtanke.guidance.cli._guide", lambda args: guide)


def test_ask_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", FRIENDS]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Spørgsmål: {FRIENDS}")
    assert "Søgte efter: ven" in out
    assert "Sønderborg Kommune · afsnit venskaber" in out
    assert "pædagoger er venner med børnenes forældre" in out
    assert "håndhæves af: soenderborg.venskaber" in out
    assert "\x1b[" not in out  # no colours when not on a terminal


def test_ask_question_as_several_words_and_municipality(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (
        main(["ask", "--kommune", "Vejle", "hvor", "tit", "skal", "jeg", "skifte", "kodeord"]) == 0
    )
    out = capsys.readouterr().out
    assert "Kommune: Vejle Kommune – Paddehatten og loven" in out
    assert "1. Vejle Kommune – Paddehatten · afsnit 4" in out
    assert "»4. Skift dit kodeord ofte" in out


@pytest.mark.real_packs
def test_ask_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--format", "json", "-n", "2", FRIENDS]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["covered"] is True and data["question"] == FRIENDS
    assert 1 <= len(data["passages"]) <= 2
    assert {"municipality", "section", "quote", "start", "end", "score", "rules"} <= set(
        data["passages"][0]
    )


def test_ask_not_covered(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "Hvornår bliver min pension indbetalt?"]) == 0
    out = capsys.readouterr().out
    assert "Retningslinjerne dækker ikke spørgsmålet" in out
    assert "pension (findes ikke i retningslinjerne)" in out
    assert "håndhæves af" not in out


def test_ask_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("hvor tit skal jeg skifte kodeord\n"))
    assert main(["ask", "--format", "json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["passages"][0]["section"] == "4"


def test_ask_english_chrome(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # --lang sets the process-wide language of omtanke.i18n; put it back after the test
    monkeypatch.setattr("omtanke.i18n._lang", "da")
    assert (
        main(["--lang", "en", "ask", "--kommune", "hjoerring", "kan jeg genbruge mit password"])
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("Question:") and "enforced by: hjoerring.password_genbrug" in out
    assert main(["--lang", "en", "ask", "Hvor kan jeg parkere?"]) == 0
    assert "The guidelines do not cover the question" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ask"], "Skriv et spørgsmål"),
        (["ask", "   "], "Skriv et spørgsmål"),
        (["ask", "--kommune", "Atlantis", FRIENDS], "Ukendt kommune 'Atlantis'"),
        (["ask", "-n", "0", FRIENDS], "mellem 1 og 20"),
        (["ask", "x" * 1001], "Spørgsmålet er for langt"),
        (["compare"], "Angiv et emne"),
        (["compare", "pension"], "Ukendt emne 'pension'"),
    ],
)
def test_usage_errors_exit_2_in_danish(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("fejl: ") and message in captured.err
    assert "Traceback" not in captured.err


def test_compare_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "--list"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Emner:")
    assert "kodeord" in out and "Kodeord og password" in out and "omtanke compare EMNE" in out
    assert main(["compare", "--list", "--format", "json"]) == 0
    ids = [t["id"] for t in json.loads(capsys.readouterr().out)]
    assert "billeder" in ids and "venskaber" in ids


def test_compare_text_shows_silence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "kodeord"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Emne: Kodeord og password")
    blocks = {b.split("\n", 1)[0]: b for b in out.split("\n\n") if b.strip()}
    assert "siger intet om det" in blocks["Aabenraa Kommune"]
    assert "siger intet om det" in blocks["Sønderborg Kommune"]
    assert "»4. Skift dit kodeord ofte" in blocks["Vejle Kommune – Paddehatten"]
    assert "password herfra ikke genbruges" in normalise_ws(blocks["Hjørring Kommune"])


def test_compare_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "klager", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    silent = {m["municipality"]: m["silent"] for m in data["municipalities"]}
    assert silent == {"aabenraa": True, "hjoerring": False, "soenderborg": True, "vejle": True}


def test_help_lists_the_commands_and_stays_light() -> None:
    code = (
        "import sys, omtanke.guidance.cli;"
        "heavy = [m for m in ('yaml', 'snowballstemmer', 'omtanke.packs', "
        "'omtanke.guidance.guide') if m in sys.modules]; print(heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
    help_text = subprocess.run(
        [sys.executable, "-m", "omtanke", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "ask" in help_text and "compare" in help_text
