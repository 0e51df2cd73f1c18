"""The command line: output, exit codes, batch mode and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from omtanke.cli import main

CPR_POST = "Lang dag på stuen 😩 Mikkel fra Bjørnegruppen kastede op. Hans cpr er 150620-4127 🤢"
OK_POST = "Tak for en super sommerfest i går ☀️ Vi glæder os til at se jer efter ferien 😊"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "omtanke", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_check_stop_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--kommune", "vejle", "--kanal", "private_profile", CPR_POST])
    out = capsys.readouterr().out
    assert code == 1
    assert "STOP" in out
    assert "150620-4127" in out and "^^^^" in out
    assert "forvaltningsloven § 27" in out


def test_check_ok_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--kommune", "aabenraa", OK_POST]) == 0
    assert "OK" in capsys.readouterr().out


def test_fail_on_thresholds() -> None:
    assert main(["check", "--kommune", "vejle", "--fail-on", "never", CPR_POST]) == 0
    assert main(["check", "--kommune", "vejle", "--fail-on", "stop", CPR_POST]) == 1
    assert main(["check", "--kommune", "vejle", "--fail-on", "bogus", CPR_POST]) == 2


def test_json_output_contract(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--kommune", "vejle", "--format", "json", CPR_POST])
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"verdict", "findings", "entities", "rewrite", "policy"}
    assert data["verdict"] == "stop"
    assert set(data["policy"]) == {"id", "version"} and data["policy"]["id"] == "vejle"
    for f in data["findings"]:
        assert set(f) == {"rule", "category", "severity", "message", "advice", "spans", "citations"}
        for s in f["spans"]:
            assert CPR_POST[s["start"] : s["end"]] == s["text"]
        for c in f["citations"]:
            assert {"source", "section", "quote"} <= set(c)
    labels = {e["label"] for e in data["entities"]}
    assert {"CPR", "PERSON"} <= labels
    cpr = next(e for e in data["entities"] if e["label"] == "CPR")
    assert CPR_POST[cpr["start"] : cpr["end"]] == "150620-4127"
    assert "150620-4127" not in data["rewrite"] and "Mikkel" not in data["rewrite"]


def test_file_and_stdin(tmp_path: Path) -> None:
    f = tmp_path / "opslag.txt"
    f.write_text(CPR_POST, encoding="utf-8")
    r = run("check", "--kommune", "vejle", "-f", str(f))
    assert r.returncode == 1 and b"STOP" in r.stdout
    r = run("check", "--kommune", "vejle", "-", stdin=CPR_POST.encode())
    assert r.returncode == 1 and b"STOP" in r.stdout


@pytest.mark.parametrize(
    ("args", "stdin", "fragment"),
    [
        (["check", "--kommune", "vejle", "   "], None, "tom"),
        (["check", "--kommune", "vejle", "--max-chars", "20", CPR_POST], None, "for lang"),
        (["check", "--kommune", "gotham", CPR_POST], None, "Ukendt kommune"),
        (["check", "--kommune", "vejle", "--kanal", "tiktok", CPR_POST], None, "Ukendt kanal"),
        (["check", "--kommune", "vejle", "--rolle", "pilot", CPR_POST], None, "Ukendt rolle"),
        (["check", "--kommune", "vejle", "-"], "\xff\xfe bad".encode("latin-1"), "UTF-8"),
        (["check", "--kommune", "vejle", "-"], b"\x00\x01\x02binary", "UTF-8"),
        (["check", "--kommune", "vejle", "-f", "/nonexistent/opslag.txt"], None, "findes ikke"),
        (["check", CPR_POST], None, "--kommune"),
        (["check", "--kommune", "vejle", "--bogus"], None, "fejl"),
    ],
)
def test_bad_input_exit_2_danish_no_traceback(
    args: list[str], stdin: bytes | None, fragment: str
) -> None:
    r = run(*args, stdin=stdin)
    err = r.stderr.decode("utf-8", "replace")
    assert r.returncode == 2, err
    assert fragment in err
    assert "Traceback" not in err
    assert "150620-4127" not in err and "Mikkel" not in err


def test_batch(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps(
            {
                "id": "a",
                "text": CPR_POST,
                "context": {"municipality": "vejle", "channel": "private_profile"},
            }
        ),
        "{not json",
        json.dumps(
            {
                "id": "c",
                "text": OK_POST,
                "context": {"municipality": "aabenraa", "channel": "official_page"},
            }
        ),
        json.dumps({"id": "d", "text": CPR_POST, "context": {"municipality": "atlantis"}}),
        json.dumps({"id": "e", "text": "", "context": {"municipality": "vejle"}}),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = run("check", "--batch", str(src), "-o", str(out))
    err = r.stderr.decode()
    assert r.returncode == 2
    assert f"{src}:2:" in err and f"{src}:4:" in err and f"{src}:5:" in err
    assert "150620-4127" not in err
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [row.get("id") for row in rows] == ["a", None, "c", "d", "e"]
    assert rows[0]["verdict"] == "stop" and rows[2]["verdict"] == "ok"
    assert "error" in rows[1] and "error" in rows[3]


def test_rules_list_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "list", "--kommune", "hjoerring"]) == 0
    out = capsys.readouterr().out
    assert "Hjørring" in out and "cpr" in out
    assert main(["rules", "explain", "base.cpr"]) == 0
    out = capsys.readouterr().out
    for heading in ("Hvad reglen gør", "Hvorfor", "Eksempel", "Skriv i stedet", "Kilde"):
        assert heading in out
    assert "databeskyttelsesloven § 11" in out
    assert main(["rules", "explain", "base.cpx"]) == 2
    assert "base.cpr" in capsys.readouterr().err


def test_english_chrome(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--lang", "en", "check", "--kommune", "vejle", CPR_POST])
    assert "Verdict" in capsys.readouterr().out


def test_help_is_fast_and_lazy() -> None:
    code = (
        "import sys, omtanke.cli as c\n"
        "try:\n    c.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('omtanke.engine', 'omtanke.detectors.names', 'yaml') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip().endswith("[]"), r.stdout


def test_eval_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "c.jsonl"
    rows = [
        {
            "id": "1",
            "kind": "post",
            "text": CPR_POST,
            "context": {"municipality": "vejle", "channel": "private_profile"},
            "entities": [
                {"text": "150620-4127", "label": "CPR"},
                {"text": "Mikkel", "label": "PERSON"},
            ],
            "categories": ["personal_data", "confidentiality"],
            "verdict": "stop",
        },
        {
            "id": "2",
            "kind": "post",
            "text": OK_POST,
            "context": {"municipality": "aabenraa", "channel": "official_page"},
            "entities": [],
            "categories": [],
            "verdict": "ok",
        },
    ]
    corpus.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert main(["eval", str(corpus), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["items"] == 2
    assert data["entities"]["CPR"]["f1"] == 1.0
    assert data["verdict_accuracy"]["post"] == 1.0
    assert data["ok_made_warning_or_stop"]["post"] == 0.0
