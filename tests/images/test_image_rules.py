"""Image rules in the packs: their examples (with an ``image:`` list) really run through the
generic example runner, and the loader validates image labels with file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from omtanke.cli import main
from omtanke.engine import Engine
from omtanke.errors import PackValidationError
from omtanke.images.check import is_image_rule
from omtanke.packs.loader import PackLoader
from omtanke.packs.testing import _run, run_rule_examples

MUNICIPAL = ("aabenraa", "soenderborg", "vejle", "hjoerring")


@pytest.mark.parametrize("pid", ["base", *MUNICIPAL])
def test_every_image_rule_is_tested_with_images(engine: Engine, pid: str) -> None:
    pack = engine.pack(pid)
    own_image_rules = [r for r in (pack.rules[i] for i in pack.own_rules) if is_image_rule(r)]
    assert own_image_rules, pid
    for rule in own_image_rules:
        assert all(ex.image for ex in rule.bad), rule.id
        assert any(ex.image for ex in rule.good), rule.id


@pytest.mark.parametrize("pid", MUNICIPAL)
def test_municipal_packs_replace_the_base_face_rules(engine: Engine, pid: str) -> None:
    rules = engine.pack(pid).rules
    for name in ("foto_ansigter", "foto_naerbillede", "foto_boern", "foto_boern_naerbillede"):
        assert f"{pid}.{name}" in rules and f"base.{name}" not in rules


def test_text_rules_are_not_image_rules(engine: Engine) -> None:
    rules = engine.pack("vejle").rules
    assert not is_image_rule(rules["vejle.billeder"])  # "billeder" in the post's text
    assert is_image_rule(rules["vejle.foto_boern"])


def test_image_examples_are_not_vacuous(engine: Engine) -> None:
    """The bad example of base.foto_ansigter is found at exactly the marked faces; moving
    the marks or swapping a label makes it fail."""
    rule = engine.pack("base").rules["base.foto_ansigter"]
    ex = rule.bad[0]
    assert ex.image == ("PHOTO_FACE", "PHOTO_FACE", "PHOTO_FACE_SMALL")
    first = len(ex.text) - 3
    assert ex.spans == ((first, first + 1), (first + 1, first + 2))
    assert _run(engine, rule, ex) == ex.spans
    swapped = type(ex)(ex.text, ex.spans, ex.channel, ex.role, ex.public_event, ex.line,
                       ("PHOTO_FACE_SMALL", "PHOTO_FACE", "PHOTO_FACE"))  # fmt: skip
    assert _run(engine, rule, swapped) == ((first + 1, first + 2), (first + 2, first + 3))


SOURCE = "Min kommunes regler\n\nDel ikke billeder af andre uden lov.\n"
COVERAGE = "sections:\n  billeder: {rules: [minkommune.ansigter]}\n"


def make_pack(root: Path, examples: str, labels: str = "[PHOTO_FACE]") -> Path:
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
              - {id: billeder, title: Billeder, anchor: "Del ikke billeder af andre uden lov."}
            """
        ),
        encoding="utf-8",
    )
    (pack / "coverage.yml").write_text(COVERAGE, encoding="utf-8")
    rule = textwrap.dedent(
        f"""\
        name: Ansigter
        category: photo_consent
        kind: detector
        labels: {labels}
        severity: warning
        message: "Billedet viser personer."
        advice: "Spørg om lov."
        cite:
          - {{source: minkommune, section: billeder}}
        examples:
        """
    ) + textwrap.indent(textwrap.dedent(examples), "  ")
    (pack / "rules" / "ansigter.yml").write_text(rule, encoding="utf-8")
    return pack


def test_a_municipality_writes_an_image_rule_without_python(tmp_path: Path, engine: Engine) -> None:
    pack_dir = make_pack(
        tmp_path,
        """\
        bad:
          - {image: ["[[PHOTO_FACE]]", PHOTO_FACE_SMALL]}
        good:
          - {text: "Tur i skoven", image: [PHOTO_FACE_SMALL]}
        """,
    )
    loader = PackLoader([tmp_path])
    pack = loader.load_path(pack_dir)
    count, failures = run_rule_examples(engine, pack)
    assert (count, failures) == (2, [])


def test_a_wrong_image_example_fails_the_pack_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack_dir = make_pack(
        tmp_path,
        """\
        bad:
          - {image: [PHOTO_FACE, "[[PHOTO_FACE_SMALL]]"]}
        good:
          - {image: [PHOTO_FACE]}
        """,
    )
    assert main(["packs", "test", str(pack_dir)]) == 1
    out = capsys.readouterr().out
    assert "2 eksempler, 2 fejlede" in out


def test_unknown_image_labels_are_refused_with_file_and_line(tmp_path: Path) -> None:
    pack_dir = make_pack(
        tmp_path,
        """\
        bad:
          - {image: ["[[PHOTO_FACES]]"]}
        good:
          - {image: [PHOTO_FACE_SMALL]}
        """,
        labels="[PHOTO_FAC]",
    )
    with pytest.raises(PackValidationError) as err:
        PackLoader([tmp_path]).load_path(pack_dir)
    problems = [str(p) for p in err.value.problems]
    assert any("ansigter.yml:4:" in p and "Mente du 'PHOTO_FACE'" in p for p in problems)
    assert any("ansigter.yml:" in p and "ukendt billed-label 'PHOTO_FACES'" in p for p in problems)
