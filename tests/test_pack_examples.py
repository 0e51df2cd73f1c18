"""Every rule's own examples, like LanguageTool's PatternRuleTest: a bad example must be
flagged at exactly its [[marked]] spans, a good example not at all."""

from __future__ import annotations

import pytest

from omtanke.engine import Engine
from omtanke.packs.loader import PackLoader
from omtanke.packs.schema import Example, Rule
from omtanke.packs.testing import _run

_loader = PackLoader()
_PACKS = sorted(_loader.available())


def _cases() -> list[object]:
    cases: list[object] = []
    for pid in _PACKS:
        pack = _loader.load(pid)
        for rid in pack.own_rules:
            rule = pack.rules[rid]
            for i, ex in enumerate(rule.bad):
                cases.append(pytest.param(rule, ex, "bad", id=f"{rid}-bad{i}"))
            for i, ex in enumerate(rule.good):
                cases.append(pytest.param(rule, ex, "good", id=f"{rid}-good{i}"))
    return cases


@pytest.mark.parametrize(("rule", "example", "kind"), _cases())
def test_rule_example(engine: Engine, rule: Rule, example: Example, kind: str) -> None:
    found = _run(engine, rule, example)
    where = f"{rule.file}:{example.line}"
    if kind == "bad":
        expected = tuple(sorted(example.spans))
        shown = [example.text[s:e] for s, e in found]
        assert found == expected, f"{where}: expected {expected}, found {found} {shown}"
    else:
        assert not found, (
            f"{where}: good example flagged at {[example.text[s:e] for s, e in found]}"
        )


def test_every_pack_has_examples_for_every_rule() -> None:
    for pid in _PACKS:
        pack = _loader.load(pid)
        for rid in pack.own_rules:
            rule = pack.rules[rid]
            assert rule.bad and rule.good, rid
            assert all(ex.spans for ex in rule.bad), rid
