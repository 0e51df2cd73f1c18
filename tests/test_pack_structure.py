"""The built-in packs: they load, cite verbatim, and cover every section of the guideline."""

from __future__ import annotations

import re

import pytest

from _paths import SEEDS
from omtanke.model import INBOX_CATEGORIES, POST_CATEGORIES
from omtanke.packs.loader import PackLoader
from omtanke.text import normalise_ws

_loader = PackLoader()
_PACKS = sorted(_loader.available())
MUNICIPAL = {
    "aabenraa": "aabenraa-digitale-aftryk.txt",
    "soenderborg": "soenderborg-retningslinjer-sociale-medier.txt",
    "vejle": "vejle-paddehatten-sociale-medier.txt",
    "hjoerring": "hjoerring-vejledning-sociale-medier.txt",
}


def test_all_five_packs_exist() -> None:
    assert set(_PACKS) >= {"base", *MUNICIPAL}


@pytest.mark.parametrize("pid", sorted(MUNICIPAL))
def test_municipal_pack_extends_base(pid: str) -> None:
    pack = _loader.load(pid)
    assert pack.extends == "base"
    assert any(r.startswith("base.") or r.startswith(f"{pid}.") for r in pack.rules)


@pytest.mark.parametrize("pid", sorted(MUNICIPAL))
def test_source_is_the_seed_verbatim(pid: str) -> None:
    seed = SEEDS / MUNICIPAL[pid]
    if not seed.is_file():
        pytest.skip(f"{seed} findes ikke (shared/ mangler)")
    pack = _loader.load(pid)
    assert pack.source_text == seed.read_text(encoding="utf-8")


@pytest.mark.parametrize("pid", _PACKS)
def test_every_citation_quotes_its_source_verbatim(pid: str) -> None:
    pack = _loader.load(pid)
    sources = {p.cite_as: normalise_ws(p.source_text) for p in pack.lineage()}
    for rule in pack.rules.values():
        assert rule.citations, rule.id
        for c in rule.citations:
            assert c.source in sources, (rule.id, c.source)
            assert normalise_ws(c.quote) in sources[c.source], (rule.id, c.section)


@pytest.mark.parametrize("pid", sorted(MUNICIPAL))
def test_every_rule_cites_its_own_guideline(pid: str) -> None:
    pack = _loader.load(pid)
    for rid in pack.own_rules:
        assert any(c.source == pid for c in pack.rules[rid].citations), rid


@pytest.mark.parametrize("pid", _PACKS)
def test_coverage_map_is_complete(pid: str) -> None:
    pack = _loader.load(pid)
    assert set(pack.coverage) == set(pack.sections)
    for entry in pack.coverage.values():
        assert entry.rules or entry.advice_only.strip(), entry.section
        for rid in entry.rules:
            assert rid in pack.rules, (entry.section, rid)


@pytest.mark.parametrize("pid", sorted(MUNICIPAL))
def test_every_numbered_item_and_bullet_has_a_section(pid: str) -> None:
    pack = _loader.load(pid)
    anchors = [normalise_ws(s.anchor) for s in pack.sections.values() if s.anchor]
    items = [
        normalise_ws(line)
        for line in pack.source_text.splitlines()
        if re.match(r"\s*(?:\d+\.|-)\s+\S", line)
    ]
    if not items:
        pytest.skip(f"{pid}: the guideline has no numbered items or bullets (plain prose)")
    for item in items:
        assert any(a in item for a in anchors), f"no section for: {item[:60]}"


@pytest.mark.parametrize("pid", _PACKS)
def test_rule_ids_and_categories(pid: str) -> None:
    pack = _loader.load(pid)
    for rid, rule in pack.rules.items():
        assert rid == rule.id
        assert rule.category in POST_CATEGORIES or rule.category in INBOX_CATEGORIES
        assert rule.message and rule.advice and rule.name


def test_every_enforced_rule_is_in_a_coverage_map() -> None:
    for pid in _PACKS:
        pack = _loader.load(pid)
        covered = {r for entry in pack.coverage.values() for r in entry.rules}
        for rid in pack.own_rules:
            assert rid in covered, f"{rid} is not listed in {pid}/coverage.yml"
