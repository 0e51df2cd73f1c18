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
    "ImageFace",
    "ImageRef",
    "ImageSummary",
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


#: A box in an image: x, y, width, height in pixels of the image as displayed (EXIF
#: orientation applied), origin top left.
Box = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class ImageRef:
    """Which image a finding is about (see docs/IMAGES.md).

    ``source`` tells what the finding's spans point into: ``"image"`` (faces or metadata;
    no spans, ``boxes`` are face boxes), ``"ocr"`` (spans into the text read in the image;
    ``boxes`` are the words' boxes) or ``"metadata"`` (spans into the image's descriptive
    metadata text).
    """

    index: int
    name: str
    source: str = "image"
    boxes: tuple[Box, ...] = ()
    labels: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "index": self.index,
            "name": self.name,
            "source": self.source,
            "boxes": [list(b) for b in self.boxes],
        }
        if self.labels:
            data["labels"] = list(self.labels)
        return data


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule's verdict on part of the text (or on an image: then ``image`` is set)."""

    rule: str
    category: str
    severity: Level
    message: str
    advice: str
    spans: tuple[Span, ...]
    citations: tuple[Citation, ...]
    image: ImageRef | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity.id,
            "message": self.message,
            "advice": self.advice,
            "spans": [s.to_dict() for s in self.spans],
            "citations": [c.to_dict() for c in self.citations],
        }
        if self.image is not None:
            data["image"] = self.image.to_dict()
        return data


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
class ImageFace:
    """A face found in an image."""

    box: Box
    #: face width as a share of the image's shorter side
    size: float
    #: large enough to recognise the person when the photo is shown on social media
    identifiable: bool
    #: a close-up: the face fills a large part of the picture
    closeup: bool
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "box": list(self.box),
            "size": round(self.size, 3),
            "identifiable": self.identifiable,
            "closeup": self.closeup,
            "score": round(self.score, 2),
        }


@dataclass(frozen=True, slots=True)
class ImageSummary:
    """What was found in one checked image (``Report.images``; see docs/IMAGES.md)."""

    index: int
    name: str
    format: str
    width: int
    height: int
    faces: tuple[ImageFace, ...] = ()
    #: (latitude, longitude) in decimal degrees, from EXIF or XMP
    gps: tuple[float, float] | None = None
    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    timestamps: tuple[str, ...] = ()
    #: names of the metadata fields present (EXIF tags, XMP properties, PNG text keys)
    fields: tuple[str, ...] = ()
    #: descriptive metadata text (captions, comments, titles), checked like the post text
    metadata_text: str = ""
    metadata_entities: tuple[Entity, ...] = ()
    #: ok, off, unavailable, failed or timeout
    ocr_status: str = "off"
    ocr_language: str | None = None
    ocr_text: str = ""
    ocr_entities: tuple[Entity, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        gps = (
            {"latitude": round(self.gps[0], 6), "longitude": round(self.gps[1], 6)}
            if self.gps is not None
            else None
        )
        return {
            "index": self.index,
            "name": self.name,
            "format": self.format,
            "width": self.width,
            "height": self.height,
            "faces": [f.to_dict() for f in self.faces],
            "gps": gps,
            "metadata": {
                "people": list(self.people),
                "places": list(self.places),
                "timestamps": list(self.timestamps),
                "fields": list(self.fields),
                "text": self.metadata_text,
                "entities": [e.to_dict() for e in self.metadata_entities],
            },
            "ocr": {
                "status": self.ocr_status,
                "language": self.ocr_language,
                "text": self.ocr_text,
                "entities": [e.to_dict() for e in self.ocr_entities],
            },
        }


@dataclass(frozen=True, slots=True)
class Report:
    """The result of checking one text (the JSON output contract).

    ``images`` and ``notices`` are only filled (and only in the JSON) when images were
    checked: a text-only report is unchanged.
    """

    verdict: Level
    findings: tuple[Finding, ...]
    entities: tuple[Entity, ...]
    rewrite: str
    policy: PolicyRef
    images: tuple[ImageSummary, ...] = ()
    #: things the user should know about the check itself (e.g. OCR not installed)
    notices: tuple[str, ...] = ()

    @property
    def categories(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for finding in self.findings:
            if finding.severity > Level.OK:
                seen.setdefault(finding.category, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "verdict": self.verdict.id,
            "findings": [f.to_dict() for f in self.findings],
            "entities": [e.to_dict() for e in self.entities],
            "rewrite": self.rewrite,
            "policy": self.policy.to_dict(),
        }
        if self.images:
            data["images"] = [i.to_dict() for i in self.images]
        if self.notices:
            data["notices"] = list(self.notices)
        return data


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
