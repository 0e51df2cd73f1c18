"""Typed data structures shared by every layer.

Offsets are Unicode code points into the original text, end exclusive: ``text[start:end]``
in Python is always the covered string.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Any, Literal

__all__ = [
    "CHANNELS",
    "ENTITY_LABELS",
    "INBOX_CATEGORIES",
    "POST_CATEGORIES",
    "ROLES",
    "Action",
    "CheckContext",
    "Citation",
    "Detection",
    "Entity",
    "Finding",
    "Level",
    "PolicyRef",
    "Report",
    "Span",
    "TriageReport",
]

Channel = Literal["private_profile", "work_profile", "official_page"]
Kind = Literal["post", "inbox"]

CHANNELS: tuple[str, ...] = ("private_profile", "work_profile", "official_page")
ROLES: tuple[str, ...] = (
    "paedagog",
    "laerer",
    "sagsbehandler",
    "sosu",
    "leder",
    "kommunikation",
    "folkevalgt",
    "it",
    "andet",
)
#: The entity labels of ``shared/eval/SCHEMA.md`` that are reported as ``entities``.
ENTITY_LABELS: tuple[str, ...] = ("PERSON", "CPR", "PHONE", "EMAIL", "ADDRESS")
POST_CATEGORIES: tuple[str, ...] = (
    "personal_data",
    "special_category",
    "confidentiality",
    "photo_consent",
    "offensive",
    "threat",
    "discrimination",
    "disloyalty",
    "capacity_unclear",
    "security",
    "boundaries",
)
INBOX_CATEGORIES: tuple[str, ...] = (
    "complaint",
    "personal_data",
    "case_request",
    "harassment",
    "threat",
    "child_welfare",
    "question",
)


class Level(IntEnum):
    """Verdict and severity levels, ordered ``ok < advice < warning < stop``."""

    OK = 0
    ADVICE = 1
    WARNING = 2
    STOP = 3

    @property
    def id(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Level:
        """Parse ``"ok"``, ``"advice"``, ``"warning"`` or ``"stop"`` (case-insensitive)."""
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(value) from None

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True, slots=True)
class Span:
    """A marked stretch of the original text."""

    start: int
    end: int
    label: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "label": self.label, "text": self.text}


@dataclass(frozen=True, slots=True)
class Detection:
    """What a detector found: a labelled span with a score and an explanation.

    Detectors only report; rules turn detections into findings.
    """

    label: str
    start: int
    end: int
    score: float
    detector: str
    explanation: str = ""
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True, slots=True)
class Entity:
    """A piece of personal data reported in ``Report.entities`` (SCHEMA.md labels)."""

    start: int
    end: int
    label: str
    text: str
    score: float
    public: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "score": round(self.score, 2),
        }
        if self.public:
            data["public"] = True
        return data


@dataclass(frozen=True, slots=True)
class Citation:
    """A quoted sentence from a guideline or from the law."""

    source: str
    section: str
    quote: str
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"source": self.source, "section": self.section, "quote": self.quote}
        if self.url:
            data["url"] = self.url
        return data


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule's verdict on part of the text."""

    rule: str
    category: str
    severity: Level
    message: str
    advice: str
    spans: tuple[Span, ...]
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity.id,
            "message": self.message,
            "advice": self.advice,
            "spans": [s.to_dict() for s in self.spans],
            "citations": [c.to_dict() for c in self.citations],
        }


@dataclass(frozen=True, slots=True)
class CheckContext:
    """Where and by whom the text is published (or, for inbox items, where it arrived)."""

    municipality: str
    channel: str = "private_profile"
    role: str | None = None
    public_event: bool = False
    kind: str = "post"
    received_at: datetime | None = None  # inbox: when the message arrived (working hours)


@dataclass(frozen=True, slots=True)
class PolicyRef:
    id: str
    version: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version}


@dataclass(frozen=True, slots=True)
class Report:
    """The result of checking one text (the JSON output contract)."""

    verdict: Level
    findings: tuple[Finding, ...]
    entities: tuple[Entity, ...]
    rewrite: str
    policy: PolicyRef

    @property
    def categories(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for finding in self.findings:
            if finding.severity > Level.OK:
                seen.setdefault(finding.category, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.id,
            "findings": [f.to_dict() for f in self.findings],
            "entities": [e.to_dict() for e in self.entities],
            "rewrite": self.rewrite,
            "policy": self.policy.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Action:
    """What the guideline asks of the person who received a message, for one category."""

    id: str
    category: str
    title: str
    steps: str
    citations: tuple[Citation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "title": self.title,
            "steps": self.steps,
            "citations": [c.to_dict() for c in self.citations],
        }


@dataclass(frozen=True, slots=True)
class TriageReport:
    """The result of triaging one citizen message (inbox item)."""

    categories: tuple[str, ...]
    verdict: Level
    actions: tuple[Action, ...]
    reply: str
    entities: tuple[Entity, ...]
    findings: tuple[Finding, ...]
    policy: PolicyRef

    def to_dict(self) -> dict[str, Any]:
        return {
            "categories": list(self.categories),
            "verdict": self.verdict.id,
            "actions": [a.to_dict() for a in self.actions],
            "reply": self.reply,
            "entities": [e.to_dict() for e in self.entities],
            "findings": [f.to_dict() for f in self.findings],
            "policy": self.policy.to_dict(),
        }
