"""The prefilter of a rule's patterns must never hide a match: wherever a pattern matches a
text, its matcher's prefilter (searched in the lower-cased text) matches too."""

from __future__ import annotations

import json
import re

import pytest

from _paths import DEV
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
