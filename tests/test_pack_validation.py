"""A broken pack gives file:line and what to fix, and exit code 2; a municipality can write
its own pack by extending a built-in one, without Python."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from omtanke.cli import main
from omtanke.engine import Engine
from omtanke.errors import PackValidationError
from omtanke.packs.loader import PackLoader

SOURCE = "Min kommunes regler\n\nDel aldrig dørkoder på sociale medier.\n"

GOOD_RULE = """\
name: Dørkode
category: security
kind: pattern
patterns: ["\\\\bdørkode(?:n)?\\\\s+er\\\\s+(?P<span>\\\\d{4})\\\\b"]
severity: warning
message: "Opslaget indeholder en dørkode."
advice: "Slet koden."
cite:
  - {source: minkommune, section: koder, quote: "Del aldrig dørkoder på sociale medier."}
examples:
  bad: ["Dørkoden er [[1234]] – kom bare ind"]
  good: ["Vi har fået ny dør i børnehaven"]
"""


def make_pack(
    root: Path, rule: str = GOOD_RULE, pack_extra: str = "", coverage: str | None = None
) -> Path:
    pack = root / "minkommune"
    (pack / "rules").mkdir(parents=True)
    (pack / "source.txt").write_text(SOURCE, encoding="utf-8")
    (pack / "pack.yml").write_text(
        textwrap.dedent(
            """\
            id: minkommune
            name: Min Kommune
            version: "1"
            extends: base
            source: source.txt
            sections:
              - {id: koder, title: Koder, anchor: "Del aldrig dørkoder på sociale medier."}
            """
        )
        + pack_extra,
        encoding="utf-8",
    )
    (pack / "coverage.yml").write_text(
        coverage
        if coverage is not None
        else "sections:\n  koder: {rules: [minkommune.doerkode]}\n",
        encoding="utf-8",
    )
    (pack / "rules" / "doerkode.yml").write_text(rule, encoding="utf-8")
    return pack


def problems_of(pack: Path) -> list[str]:
    with pytest.raises(PackValidationError) as info:
        PackLoader([pack.parent]).load_path(pack)
    return [str(p) for p in info.value.problems]


def test_own_pack_extending_a_builtin_one_works(tmp_path: Path) -> None:
    pack_dir = make_pack(tmp_path)
    engine = Engine([pack_dir])
    report = engine.check("Dørkoden er 4711, kom bare ind 🙂", municipality="minkommune")
    rules = {f.rule for f in report.findings}
    assert "minkommune.doerkode" in rules
    # the inherited rules from hjoerring and base apply too
    pack = engine.pack("minkommune")
    assert "base.cpr" in pack.rules or "hjoerring.cpr" in pack.rules
    assert main(["packs", "test", str(pack_dir)]) == 0
    assert main(["packs", "validate", str(pack_dir)]) == 0


@pytest.mark.parametrize(
    ("rule", "line", "fragment"),
    [
        (GOOD_RULE.replace("kind: pattern", "kind: existence"), 3, "ukendt kind"),
        (
            GOOD_RULE.replace('patterns: ["', 'patterns: ["(').replace(
                'b"]\nseverity', 'b"]\nseverity'
            ),
            4,
            "regulært udtryk",
        ),
        (GOOD_RULE.replace("category: security", "category: sikkerhed"), 2, "ukendt kategori"),
        (GOOD_RULE.replace("severity: warning", "severity: farlig"), 5, "ukendt niveau"),
        (GOOD_RULE.replace("section: koder", "section: kodeord"), 9, "ukendt afsnit"),
        (GOOD_RULE.replace("Del aldrig dørkoder", "Del ikke dørkoder"), 9, "ordret"),
        (GOOD_RULE.replace("messag", "mesage", 1), 6, "ukendt nøgle"),
        (GOOD_RULE.split("examples:")[0], 1, "examples"),
        (
            GOOD_RULE.replace(
                'bad: ["Dørkoden er [[1234]] – kom bare ind"]', 'bad: ["Dørkoden er 1234"]'
            ),
            11,
            "[[…]]",
        ),
        ("name: x\n  kind: [pattern\n", 2, "ugyldig YAML"),
        (
            GOOD_RULE.replace("severity: warning", "superseded_by: [trussel]\nseverity: warning"),
            5,
            "superseded_by",
        ),
    ],
    ids=[
        "kind",
        "regex",
        "category",
        "severity",
        "section",
        "quote",
        "key",
        "no-examples",
        "no-marker",
        "yaml",
        "superseded-by",
    ],
)
def test_broken_rule_is_reported_with_file_and_line(
    tmp_path: Path, rule: str, line: int, fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = make_pack(tmp_path, rule)
    problems = problems_of(pack)
    rule_file = str(pack / "rules" / "doerkode.yml")
    assert any(p.startswith(f"{rule_file}:{line}:") and fragment in p for p in problems), problems
    assert main(["packs", "validate", str(pack)]) == 2
    err = capsys.readouterr().err
    assert f"{rule_file}:{line}:" in err


def test_superseded_rule_is_dropped_when_the_other_category_is_found(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace("severity: warning", "superseded_by: [threat]\nseverity: warning")
    engine = Engine([make_pack(tmp_path, rule)])
    alone = engine.check("Dørkoden er 4711, kom bare ind", municipality="minkommune")
    assert "minkommune.doerkode" in {f.rule for f in alone.findings}
    threat = engine.check(
        "Dørkoden er 4711. Jeg slår dig ihjel, hvis du ikke kommer.", municipality="minkommune"
    )
    assert "threat" in {f.category for f in threat.findings}
    assert "minkommune.doerkode" not in {f.rule for f in threat.findings}


def test_unknown_detector_label(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace("kind: pattern", "kind: detector").replace(
        'patterns: ["\\\\bdørkode(?:n)?\\\\s+er\\\\s+(?P<span>\\\\d{4})\\\\b"]',
        "labels: [DOORCODE]",
    )
    problems = problems_of(make_pack(tmp_path, rule))
    assert any(":4:" in p and "DOORCODE" in p for p in problems), problems


def test_coverage_must_list_every_section(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, coverage="sections: {}\n")
    problems = problems_of(pack)
    assert any("coverage.yml" in p and "koder" in p for p in problems), problems


def test_coverage_names_unknown_rule(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, coverage="sections:\n  koder: {rules: [minkommune.findesikke]}\n")
    problems = problems_of(pack)
    assert any("coverage.yml:2:" in p and "findesikke" in p for p in problems), problems


def test_unknown_parent_pack(tmp_path: Path) -> None:
    pack = make_pack(tmp_path)
    yml = (
        (pack / "pack.yml").read_text(encoding="utf-8").replace("extends: base", "extends: basis-x")
    )
    (pack / "pack.yml").write_text(yml, encoding="utf-8")
    problems = problems_of(pack)
    assert any("pack.yml:4:" in p and "ukendt pakke" in p for p in problems), problems


def test_anchor_not_in_source(tmp_path: Path) -> None:
    pack = make_pack(tmp_path)
    yml = (
        (pack / "pack.yml")
        .read_text(encoding="utf-8")
        .replace('anchor: "Del aldrig dørkoder', 'anchor: "Del sjældent dørkoder')
        .replace('quote: "Del aldrig', 'quote: "Del aldrig')
    )
    (pack / "pack.yml").write_text(yml, encoding="utf-8")
    problems = problems_of(pack)
    assert any("pack.yml:7:" in p and "anchor" in p for p in problems), problems


def test_failing_example_makes_packs_test_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = GOOD_RULE.replace(
        'good: ["Vi har fået ny dør i børnehaven"]', 'good: ["Dørkoden er 9999"]'
    )
    pack = make_pack(tmp_path, rule)
    assert main(["packs", "test", str(pack)]) == 1
    out = capsys.readouterr().out
    assert "doerkode.yml:12:" in out and "good-eksemplet" in out


def test_variation_selector_in_character_class_is_rejected(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace(
        'patterns: ["\\\\bdørkode(?:n)?\\\\s+er\\\\s+(?P<span>\\\\d{4})\\\\b"]',
        'patterns: ["[🔪⚰️]"]',
    )
    problems = problems_of(make_pack(tmp_path, rule))
    assert any(":4:" in p and "U+FE0F" in p for p in problems), problems
