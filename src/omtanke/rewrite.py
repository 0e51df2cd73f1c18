"""The suggested rewrite: personal data replaced by neutral words, the rest kept as written.

Like Presidio's anonymiser operators, each label has a replacement. Only entities that a
finding flagged are replaced (a public figure named in political debate is kept).
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Entity, Finding

__all__ = ["PLACEHOLDERS", "rewrite"]

PLACEHOLDERS: dict[str, str] = {
    "CPR": "[cpr-nummer]",
    "PHONE": "[telefonnummer]",
    "EMAIL": "[e-mail]",
    "ADDRESS": "[adresse]",
    "PERSON": "[navn]",
}


def rewrite(text: str, entities: Sequence[Entity], findings: Sequence[Finding]) -> str:
    """``text`` with every flagged entity replaced by its placeholder."""
    flagged = [(s.start, s.end) for f in findings for s in f.spans]
    replace = [
        e for e in entities if not e.public and any(s < e.end and e.start < t for s, t in flagged)
    ]
    out: list[str] = []
    pos = 0
    for ent in sorted(replace, key=lambda e: e.start):
        if ent.start < pos:
            continue
        out.append(text[pos : ent.start])
        out.append(PLACEHOLDERS.get(ent.label, "[…]"))
        pos = ent.end
    out.append(text[pos:])
    return "".join(out)
