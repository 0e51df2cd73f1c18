"""The suggested rewrite: personal data and identifying details replaced by neutral words,
everything else kept as written.

Like Presidio's anonymiser operators, each kind of span has an operator:

- personal data entities get a placeholder (``[telefonnummer]``) or, for a person, a
  neutral noun chosen from the context ("et barn", "en borger", "en kollega");
- a sensitive or confidential detail flagged by a rule is replaced by a bracketed note;
- a sentence with a threat or discrimination is removed, since no rewording makes it fine.

Only what a finding flagged is touched: a public figure named in political debate is kept.
The engine re-checks the result and repeats a few times, so the suggestion itself passes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import Entity, Finding
from .text import Document

__all__ = ["PLACEHOLDERS", "rewrite"]

PLACEHOLDERS: dict[str, str] = {
    "CPR": "[cpr-nummer]",
    "PHONE": "[telefonnummer]",
    "EMAIL": "[e-mail]",
    "ADDRESS": "[adresse]",
    "URL": "[link]",
    "PERSON": "[navn]",
}
# What replaces a flagged stretch that is not an entity, by the rule's category. Neutral
# words only: a placeholder must never itself trigger a rule.
_CATEGORY_NOTE: dict[str, str] = {
    "special_category": "[udeladt]",
    "confidentiality": "[udeladt]",
    "offensive": "[…]",
    "security": "[fjernet]",
    "personal_data": "[udeladt]",
}
# Categories whose whole sentence goes: no rewording makes a threat acceptable.
_DROP_SENTENCE = {"threat", "discrimination"}

# Neutral nouns for a person, chosen by the words around the name.
_PERSON_NOUNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(
            r"\b(?:stue\w*|klass\w*|gruppe\w*|børnehave\w*|vuggestue\w*|sfo|elev\w*|"
            r"barn\w*|børn\w*|dreng\w*|pige\w*|\d+\s*år|\(\d+\))"
        ),
        "et barn",
        "et barns",
    ),
    (
        re.compile(r"\b(?:kolleg\w*|medarbejder\w*|personale\w*|julefrokost\w*)"),
        "en kollega",
        "en kollegas",
    ),
    (
        re.compile(r"\b(?:beboer\w*|plejehjem\w*|plejecent\w*|stue\s+\d+)"),
        "en beboer",
        "en beboers",
    ),
    (
        re.compile(r"\b(?:mor|far|forælder|forældre\w*|pårørende|datter|søn)\b"),
        "en pårørende",
        "en pårørendes",
    ),
    (
        re.compile(
            r"\b(?:borger\w*|sag\w*|ansøgning\w*|afgørelse\w*|jobcent\w*|ydelse\w*|"
            r"kontanthjælp\w*|dagpenge\w*)"
        ),
        "en borger",
        "en borgers",
    ),
)


_AGE_RE = re.compile(
    r"^\s*\((\d{1,3})(?:\s*år)?\)|^\s*(?:på|er)\s+(\d{1,3})\s*år|^\s*\((\d{1,3})\)"
)
_FAMILY_RE = re.compile(r"(?:familien|fru|hr\.?|frk\.?)\s+$", re.IGNORECASE)


def _person_noun(doc: Document, ent: Entity) -> str:
    s0, s1 = doc.sentence_of(ent.start)
    window = doc.lower[max(s0, ent.start - 60) : min(s1, ent.end + 60)]
    possessive = doc.text[ent.end : ent.end + 1] in ("s", "'", "’")
    age = _AGE_RE.match(doc.text[ent.end : ent.end + 12])
    if age:
        years = int(next(g for g in age.groups() if g))
        if years >= 60:
            return "en ældre borgers" if possessive else "en ældre borger"
        if years < 18:
            return "et barns" if possessive else "et barn"
    for pattern, noun, genitive in _PERSON_NOUNS:
        if pattern.search(window):
            return genitive if possessive else noun
    return "[navn]"


def _capitalise_if_needed(doc: Document, start: int, word: str) -> str:
    if word.startswith("[") or not doc.is_sentence_start(start):
        return word
    return word[:1].upper() + word[1:]


def rewrite(text: str, entities: Sequence[Entity], findings: Sequence[Finding]) -> str:
    """``text`` with the flagged personal data and details replaced (one pass)."""
    doc = Document(text)
    flagged = [(s.start, s.end, f.category) for f in findings for s in f.spans]
    edits: list[tuple[int, int, str]] = []
    for s0, _s1, category in flagged:
        if category in _DROP_SENTENCE:
            a, b = doc.sentence_of(s0)
            while b > a and text[b - 1].isspace():
                b -= 1
            edits.append((a, b, "[sætning fjernet]"))
    for ent in entities:
        if ent.public or not any(s < ent.end and ent.start < e for s, e, _ in flagged):
            continue
        if ent.label == "PERSON":
            family = _FAMILY_RE.search(text, max(0, ent.start - 10), ent.start)
            if family is not None:
                word = _capitalise_if_needed(doc, family.start(), "en familie")
                edits.append((family.start(), ent.end, word))
                continue
            word = _capitalise_if_needed(doc, ent.start, _person_noun(doc, ent))
            end = (
                ent.end + 1
                if word.endswith("s") and text[ent.end : ent.end + 1] == "s"
                else ent.end
            )
            edits.append((ent.start, end, word))
        else:
            edits.append((ent.start, ent.end, PLACEHOLDERS.get(ent.label, "[…]")))
    for s0, s1, category in flagged:
        note = _CATEGORY_NOTE.get(category)
        if note is not None and not any(a < s1 and s0 < b for a, b, _ in edits):
            edits.append((s0, s1, note))
    out: list[str] = []
    pos = 0
    # widest first at each start, then skip anything that overlaps what was replaced
    for start, end, word in sorted(edits, key=lambda e: (e[0], -(e[1] - e[0]))):
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(word)
        pos = end
    out.append(text[pos:])
    return "".join(out)
