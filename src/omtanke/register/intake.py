"""Registering a triaged message: the complaint, and one escalation per kind.

Shared by ``omtanke triage --register`` and ``POST /v1/register``. Only masked text and a
salted fingerprint of the original are stored: the entities the detectors found and the
spans of the personal-data and child-welfare findings are masked (see :func:`mask`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .privacy import mask

if TYPE_CHECKING:
    from ..model import CheckContext, TriageReport
    from .service import Register

__all__ = ["ESCALATION_CATEGORIES", "register_triaged", "wants_register"]

#: Categories that are registered as escalations (evidence kept for the manager).
ESCALATION_CATEGORIES: tuple[str, ...] = ("threat", "harassment", "child_welfare")
#: Findings of these categories have their spans masked too (beyond the entities).
_MASKED_FINDINGS = ("personal_data", "child_welfare")


def wants_register(categories: Iterable[str]) -> bool:
    """Whether a message of these triage categories is registered (a complaint or an
    escalation); if not, the register need not even be opened."""
    cats = set(categories)
    return "complaint" in cats or bool(cats & set(ESCALATION_CATEGORIES))


def register_triaged(
    reg: Register,
    text: str,
    report: TriageReport,
    context: CheckContext,
    *,
    source_url: str | None = None,
    actor: str | None = None,
) -> list[dict[str, Any]]:
    """Register a triaged message; returns one entry per record (``type``, ``reference``,
    ``deadline`` or ``kind``, ``duplicate``), an empty list if there is nothing to register."""
    cats = set(report.categories)
    if not wants_register(cats):
        return []
    spans = [(e.start, e.end, e.label) for e in report.entities]
    spans += [
        (s.start, s.end, s.label)
        for f in report.findings
        if f.category in _MASKED_FINDINGS
        for s in f.spans
    ]
    masked, digest = mask(text, spans), reg.fingerprint(text)
    received = context.received_at
    common: dict[str, Any] = {
        "municipality": context.municipality,
        "channel": context.channel,
        "masked_text": masked,
        "categories": sorted(cats),
        "source_url": source_url or None,
        "received_at": received if received is not None and received.tzinfo else None,
        "actor": actor,
    }
    out: list[dict[str, Any]] = []
    if "complaint" in cats:
        rec = reg.register_complaint(text_hash=digest, **common)
        out.append(
            {
                "type": "complaint",
                "reference": rec.reference,
                "deadline": str(rec.deadline),
                "duplicate": bool(rec.duplicate),
            }
        )
    for kind in ESCALATION_CATEGORIES:
        if kind in cats:
            esc = reg.register_escalation(kind=kind, evidence_hash=digest, **common)
            out.append(
                {
                    "type": "escalation",
                    "kind": kind,
                    "reference": esc.reference,
                    "duplicate": bool(esc.duplicate),
                }
            )
    return out
