"""Triage of citizen messages: categories, the actions the guideline prescribes, a reply.

The categories come from the pack's inbox rules (``when: {kinds: [inbox]}``), so a
municipality adapts triage the same way it adapts checks: in YAML. The actions and the reply
parts come from the pack's ``triage.yml`` (inherited from ``base``, overridable).

The reply never contains anything from the message: it is put together from templates only,
in the spirit of the Ombudsman's guidance (FOB 2023-1).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .model import Action, CheckContext, Level, PolicyRef, TriageReport

if TYPE_CHECKING:
    from .engine import Engine

__all__ = ["ACTION_ORDER", "is_after_hours", "triage"]

#: The order actions are shown in: the most urgent first.
ACTION_ORDER: tuple[str, ...] = (
    "threat",
    "child_welfare",
    "harassment",
    "personal_data",
    "case_request",
    "complaint",
    "question",
)
_CPH = ZoneInfo("Europe/Copenhagen")
# Replies are not written for these: no public answer to a threat or to harassment.
_SILENT = frozenset({"threat", "harassment"})


def is_after_hours(when: datetime) -> bool:
    """Outside 8–16 on weekdays, Danish time (weekends count as after hours)."""
    local = when.astimezone(_CPH) if when.tzinfo else when.replace(tzinfo=_CPH)
    return local.weekday() >= 5 or not 8 <= local.hour < 16


def triage(engine: Engine, text: str, context: CheckContext) -> TriageReport:
    """Triage one message that arrived in ``context`` (its ``kind`` is set to inbox)."""
    if context.kind != "inbox":
        context = CheckContext(
            context.municipality,
            context.channel,
            context.role,
            context.public_event,
            "inbox",
            context.received_at,
        )
    engine.validate_text(text)
    pack = engine.pack(context.municipality)
    findings, entities = engine._evaluate(text, context, pack)
    fired = {f.category for f in findings if f.severity > Level.OK}
    categories = tuple(c for c in ACTION_ORDER if c in fired)
    verdict = max((f.severity for f in findings), default=Level.OK)

    action_keys = list(categories)
    private = context.channel == "private_profile"
    if private and categories:
        action_keys.append("private_channel")
        verdict = max(verdict, Level.ADVICE)
    if context.received_at is not None and is_after_hours(context.received_at) and categories:
        action_keys.append("after_hours")
    actions = tuple(
        Action(spec.id, key, spec.title, spec.steps, spec.citations)
        for key in action_keys
        if (spec := pack.actions.get(key)) is not None
    )

    reply = ""
    if categories and not (set(categories) <= _SILENT):
        keys = ["private_channel"] if private else [c for c in categories if c not in _SILENT]
        bodies = [
            pack.actions[k].reply for k in keys if k in pack.actions and pack.actions[k].reply
        ]
        if bodies:
            texts = pack.reply_texts
            parts = [texts.get("greeting", ""), *dict.fromkeys(bodies)]
            if not private:
                parts.append(texts.get("guidance", ""))
            parts.append(texts.get("closing", "").replace("{municipality}", pack.name))
            reply = "\n\n".join(p for p in parts if p)
    return TriageReport(
        categories=categories,
        verdict=verdict,
        actions=actions,
        reply=reply,
        entities=entities,
        findings=tuple(findings),
        policy=PolicyRef(pack.id, pack.version),
    )
