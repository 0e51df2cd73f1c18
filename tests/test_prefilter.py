"""The prefilter, the literal gates and the per-pattern guards of a rule's patterns must
never hide a match: wherever a pattern matches a text, its matcher's gate passes, its
prefilter (searched in the lower-cased text) matches, and so does the pattern's own guard."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _paths import DEV
from omtanke.packs.gate import GATES, GateIndex, gate_text, literal_gate
from omtanke.packs.loader import PackLoader, _core, _lowered, _prefilter
from omtanke.packs.schema import Matcher
from omtanke.text import Document


@pytest.mark.parametrize(
    ("pattern", "core"),
    [
        (r"[^.!?\n]*\b(?:kursus\w*|kurser)\b[^.!?\n]*", r"(?:\b(?:kursus\w*|kurser)\b[^.!?\n]*)"),
        (
            r"(?:\bjeg\b[^,]{0,30})|(?:[^.!?\n]{0,40}\bmin\s+(?:mand|kone))",
            r"(?:\bjeg\b[^,]{0,30})|(?:\bmin\s+(?:mand|kone))",
        ),
        (r"(?:a|b)+c", r"(?:(?:a|b)+c)"),  # a quantified group is not unwrapped
        (r"(?:x)(?:y)", r"(?:(?:x)(?:y))"),  # two groups are not one
        (r"[^\]]*x", r"(?:x)"),  # an escaped bracket inside the filler
    ],
)
def test_core_drops_only_a_leading_filler(pattern: str, core: str) -> None:
    assert _core(pattern) == core


def test_lowered_keeps_escapes_and_refuses_what_it_cannot_lower() -> None:
    assert _lowered(r"\bKNIV\w*\S+[A-ZÆ]") == r"\bkniv\w*\S+[a-zæ]"
    assert _lowered(r"(?-i:[A-Z])") == r"(?-i:[a-z])"  # harmless: the text is lower-cased
    assert _lowered(r"\N{BLACK HEART}") is None
    assert _lowered(r"(?P<Navn>x)") is None


def _texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    loader = PackLoader()
    for pid in loader.available():
        for rule in loader.load(pid).rules.values():
            texts.extend(ex.text for ex in (*rule.bad, *rule.good))
    texts += ["KNIVEN ER SKARP", "Hun Er SYG", "på\nkursus i morgen", "İstanbul og Ærø"]
    return texts


def _matchers() -> list[Matcher]:
    loader = PackLoader()
    seen: dict[int, Matcher] = {}
    for pid in loader.available():
        for rule in loader.load(pid).rules.values():
            for m in (rule.match, *rule.near, *rule.unless):
                if m.patterns:
                    seen[id(m)] = m
    return list(seen.values())


def test_prefilter_never_hides_a_match() -> None:
    docs = [Document(t) for t in _texts()]
    missed: list[str] = []
    for m in _matchers():
        assert m.prefilter is not None, "every pattern matcher gets a prefilter"
        for doc in docs:
            if m.prefilter.search(doc.lower) is None and any(
                p.search(doc.text) for p in m.patterns
            ):
                missed.append(f"{m.prefilter.pattern[:60]} ← {doc.text[:40]!r}")
    assert not missed, missed[:5]


def test_prefilter_of_a_case_sensitive_looking_pattern() -> None:
    pre = _prefilter([re.compile(r"[^.]*\bSKOLE\w*", re.IGNORECASE)])
    assert pre is not None
    assert pre.pattern == r"(?:(?:\bskole\w*))"
    assert pre.search(Document("Vi ses på Skolen").lower)


def test_gates_and_guards_never_hide_a_match() -> None:
    docs = [Document(t) for t in _texts()]
    matchers = _matchers()  # registers every gate before the look-ups
    presents = [GATES.present(gate_text(doc.lower)) for doc in docs]
    missed: list[str] = []
    gated = 0
    for m in matchers:
        gated += m.gate is not None
        for doc, present in zip(docs, presents, strict=True):
            for i, p in enumerate(m.patterns):
                if not p.search(doc.text):
                    continue
                if m.gate is not None and not GATES.passes(m.gate, present):
                    missed.append(f"matcher gate {m.gate} ← {doc.text[:40]!r}")
                if m.guards:
                    gate, core = m.guards[i]
                    if gate is not None and not GATES.passes(gate, present):
                        missed.append(f"pattern gate {gate} ← {doc.text[:40]!r}")
                    if core is not None and core.search(doc.lower) is None:
                        missed.append(f"pattern core {core.pattern[:40]} ← {doc.text[:40]!r}")
    assert not missed, missed[:5]
    assert gated > 300, "most pattern matchers get a literal gate"


def _patterns() -> list[str]:
    return sorted({p.pattern for m in _matchers() for p in m.patterns})


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_gate_of_every_pack_pattern_passes_on_generated_matches(data: st.DataObject) -> None:
    pattern = data.draw(st.sampled_from(_PATTERNS))
    text = data.draw(st.from_regex(re.compile(pattern, re.IGNORECASE)))
    core = _lowered(_core(pattern))
    gate = literal_gate(core) if core is not None else None
    if gate is None:
        return
    low = gate_text(Document(text).lower)
    assert all(any(lit in low for lit in literals) for literals in gate), (pattern, text)


_PATTERNS = _patterns()


@pytest.mark.parametrize(
    ("pattern", "gate"),
    [
        (r"\bkniv\w*", [["kniv"]]),
        (r"\b(?:skole|børne)have", [["børnehave", "skolehave"]]),
        (r"[bp]ølle", [["bølle", "pølle"]]),
        (r"\bvil\s+ikke\s+(?:hjem|fortælle)", [["vil ikke f", "vil ikke h"]]),
        (r"\bvil\s*ikke", [["vil ikke", "vilikke"]]),  # whitespace reads as one space
        (r"a\s\s?b", [["a b"]]),
        (r"(?:jern)?rør\b", [["rør"]]),  # an optional part is not required
        (r"\bblå\s+mærker?\b", [["blå mærke"]]),
        (r"[🔪🔫]", [["🔪", "🔫"]]),
        (r"\w+\s+\d+", None),
        (r"a|\w+", None),  # one alternative guarantees nothing
        (r"(?:ab)?", None),
    ],
)
def test_literal_gate(pattern: str, gate: list[list[str]] | None) -> None:
    got = literal_gate(pattern)
    assert (None if got is None else [sorted(s) for s in got]) == gate


def test_gate_index_finds_overlapping_literals_and_grows() -> None:
    index = GateIndex()
    first = index.register([frozenset({"barn"}), frozenset({"børnehave"})])
    assert index.present("barnet") == {"barn"}
    second = index.register([frozenset({"arne"})])
    assert index.present("barnet") == {"barn", "arne"}  # rebuilt after a new literal
    assert not index.passes(first, index.present("barnet"))
    assert index.passes(second, index.present("barnet"))
    assert index.present("🔪 og børnehave") == {"børnehave"}
