"""``omtanke register …`` through the parser and runner that cli.py wires in."""

from __future__ import annotations

import argparse
import csv
import io
import json
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo

import pytest

from omtanke.register import CSV_COLUMNS, Register
from omtanke.register.cli import add_register_parser, run_register_command

CPH = ZoneInfo("Europe/Copenhagen")


class _DanishParser(argparse.ArgumentParser):
    """Like omtanke.cli's parser: usage errors exit 2 with a Danish message."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"fejl: {message}\n")


def run(*argv: str) -> int:
    parser = _DanishParser(prog="omtanke")
    sub = parser.add_subparsers(dest="command", parser_class=_DanishParser)
    add_register_parser(sub)
    try:
        args = parser.parse_args(["register", *argv])
    except SystemExit as exc:
        return int(exc.code or 0)
    return run_register_command(args)


@pytest.fixture
def filled(register: Register) -> tuple[Register, str, list[str]]:
    refs = []
    for i, (kommune, cats) in enumerate(
        [
            ("hjoerring", ["complaint"]),
            ("hjoerring", ["complaint", "personal_data"]),
            ("vejle", ["complaint"]),
        ]
    ):
        rec = register.register_complaint(
            municipality=kommune,
            masked_text=f"Klage nummer {i} om [navn]",
            text_hash=register.fingerprint(str(i)),
            channel="official_page",
            categories=cats,
            received_at=datetime(2026, 3, 2 + i, 10, tzinfo=CPH),
            actor="mette",
        )
        refs.append(rec.reference)
    register.register_escalation(
        municipality="vejle",
        kind="threat",
        masked_text="Jeg ved hvor [navn] bor",
        evidence_hash=register.fingerprint("t"),
        channel="official_page",
        actor="mette",
    )
    return register, register.url, refs


def test_list_prints_a_danish_table(
    filled: tuple[Register, str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    _reg, url, refs = filled
    assert run("list", "--db", url) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0]
    for column in ("Referencenummer", "Modtaget", "Kanal", "Kategorier", "Frist", "Status"):
        assert column in header
    assert all(ref in out for ref in refs)
    assert "klage, personoplysninger" in out
    assert "3 klager" in out
    assert run("list", "--db", url, "--kommune", "Vejle", "--kategori", "klage") == 0
    out = capsys.readouterr().out
    assert refs[2] in out and refs[0] not in out
    assert run("list", "--db", url, "--fra", "03-03-2026", "--til", "2026-03-03") == 0
    out = capsys.readouterr().out
    assert refs[1] in out and refs[0] not in out and refs[2] not in out
    assert run("list", "--db", url, "--status", "besvaret") == 0
    assert "Ingen klager" in capsys.readouterr().out


def test_list_overdue_and_json(
    filled: tuple[Register, str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    reg, url, refs = filled
    reg.set_status(refs[0], "besvaret", actor="bo")
    # The machine's clock is after March 2026, so the two open complaints are overdue.
    assert run("list", "--db", url, "--overskredet", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["reference"] for d in data] == refs[1:]
    assert all(d["overdue"] for d in data)
    assert run("list", "--db", url, "--overdue") == 0
    assert "overskredet frist" in capsys.readouterr().out


def test_list_escalations(
    filled: tuple[Register, str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    _reg, url, _refs = filled
    assert run("list", "--db", url, "--eskaleringer", "--type", "trussel") == 0
    out = capsys.readouterr().out
    assert "-E00001" in out and "trussel" in out and "1 eskalering." in out
    assert run("list", "--db", url, "--type", "trussel") == 2
    assert "--eskaleringer" in capsys.readouterr().err


def test_show_set_status_assign(
    filled: tuple[Register, str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    _reg, url, refs = filled
    ref = refs[0]
    assert (
        run(
            "set-status",
            ref,
            "under behandling",
            "--note",
            "ringet op",
            "--db",
            url,
            "--actor",
            "bo",
        )
        == 0
    )
    assert "under behandling" in capsys.readouterr().out
    assert run("assign", ref, "Karen Madsen", "--db", url, "--actor", "bo") == 0
    assert "Karen Madsen" in capsys.readouterr().out
    assert run("show", ref.lower(), "--db", url) == 0
    out = capsys.readouterr().out
    assert f"Referencenummer: {ref}" in out
    assert "Status:          under behandling" in out
    assert "Sagsbehandler:   Karen Madsen" in out
    assert "Klage nummer 0 om [navn]" in out
    assert "Historik:" in out and "ringet op" in out and "bo" in out
    assert run("show", ref, "--db", url, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [a["action"] for a in data["audit_trail"]] == ["oprettet", "status", "tildelt"]
    assert run("assign", ref, "--fjern", "--db", url) == 0
    assert "ingen sagsbehandler" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["set-status", "{ref}", "lukket"], "kan ikke skifte status"),
        (["set-status", "{ref}", "afvist"], "Ukendt status"),
        (["show", "HJO-2026-09999"], "ingen klage eller eskalering"),
        (["show", "noget"], "ikke et referencenummer"),
        (["list", "--kommune", "odense"], "Ukendt kommune"),
        (["list", "--fra", "2026-02-30"], "ugyldig dato"),
        (["list", "--limit", "0"], "positivt"),
        (["assign", "{ref}"], "--fjern"),
        (["set-status", "{ref}", "besvaret", "--note", "cpr 010190-1234"], "CPR-nummer"),
    ],
)
def test_errors_exit_2_in_danish_without_traceback(
    filled: tuple[Register, str, list[str]],
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    _reg, url, refs = filled
    argv = [a.replace("{ref}", refs[0]) for a in argv]
    assert run(*argv, "--db", url) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert "010190-1234" not in captured.err


def test_export_csv_to_file(
    filled: tuple[Register, str, list[str]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    _reg, url, refs = filled
    target = tmp_path / "klager.csv"
    assert run("export", "--csv", "-o", str(target), "--db", url, "--kommune", "hjoerring") == 0
    assert "Eksporterede 2 klager" in capsys.readouterr().err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r[0] for r in rows[1:]] == refs[:2]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert run("export", "--csv", "-o", str(tmp_path), "--db", url) == 2
    assert "mappe" in capsys.readouterr().err


def test_export_csv_to_stdout_is_utf8_with_bom(filled: tuple[Register, str, list[str]]) -> None:
    _reg, url, refs = filled
    proc = subprocess.run(
        [sys.executable, "-c", _STDOUT_SCRIPT, "export", "--csv", "--db", url],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.startswith(b"\xef\xbb\xbf" + b"Referencenummer;")
    assert proc.stdout.count(b"\r\n") == 1 + len(refs)


_STDOUT_SCRIPT = """
import argparse, sys
from omtanke.register.cli import add_register_parser, run_register_command
p = argparse.ArgumentParser(prog="omtanke")
add_register_parser(p.add_subparsers(dest="command"))
sys.exit(run_register_command(p.parse_args(["register", *sys.argv[1:]])))
"""


def test_migrate_and_missing_subcommand(
    empty_db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("migrate", "--db", empty_db_url) == 0
    assert "skemaversion" in capsys.readouterr().out
    assert run() == 2
    assert "HANDLING" in capsys.readouterr().err


def test_default_database_from_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OMTANKE_REGISTER_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    assert run("list") == 0
    assert "Ingen klager" in capsys.readouterr().out
    assert (tmp_path / "env.sqlite3").exists()


def test_importing_the_cli_does_not_load_sqlalchemy() -> None:
    # ``omtanke --help`` must stay fast: the register's parser is added without the database.
    code = (
        "import sys, argparse; import omtanke.register.cli as c; "
        "c.add_register_parser(argparse.ArgumentParser().add_subparsers()); "
        "print('sqlalchemy' in sys.modules, 'alembic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert out.strip() == "False False"
