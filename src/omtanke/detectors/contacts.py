"""Official contact persons: "Hør mere hos afdelingsleder Jørgen Thaysen, tlf. 27 90 14 55".

A job advert or an announcement names the employee to contact about it, in that role. That
is the municipality's own contact information, not a private person's data, so the name and
the phone number or e-mail address that follows it are marked ``public`` (and
``official_contact``): they are still reported as entities, but the personal-data rules do
not flag them (see ``include_public`` in docs/PACKS.md).

This runs after the other detectors, on their results, because it needs both the names and
the numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..model import Detection
from ..text import Document

__all__ = ["mark_official_contacts"]

_TITLE = (
    r"[\wæøå-]*(?:leder|lederen|chef|chefen|direktør|konsulent|koordinator|rådgiver|"
    r"medarbejder|sekretær|formand|inspektør|plejerske|sagsbehandler|pædagog|lærer|"
    r"assistent|vejleder|terapeut|psykolog|presseansvarlig|læge|jordemoder|bibliotekar|"
    r"ingeniør|planlægger|arkitekt|direktøren)"
)
# The frame must end right before the name. With a title, any contact verb will do
# ("ring til leder NAME", "kontakt sundhedsplejerske NAME"); without one, only the frames
# that announcements use ("hør mere hos NAME", "kontaktperson: NAME") – "ring til Mikkel"
# is a private person.
_VERB = (
    r"(?:\bkontakt(?:e|person(?:en)?)?|\bring(?:e)?\s+(?:gerne\s+)?til|"
    r"\bhør\s+(?:mere|nærmere)\s+(?:hos|fra|ved)|\bspørgsmål\s+(?:kan\s+rettes\s+)?til|"
    r"\bhenvend\s+dig\s+(?:gerne\s+)?til|\bskriv\s+(?:gerne\s+)?til|\boplysninger\s+hos)"
)
_FRAME_RE = re.compile(
    _VERB + r"\s*:?\s+(?:(?:vores|den|vor|vores\s+nye)\s+)?" + _TITLE + r",?\s+$"
    r"|(?:\bhør\s+(?:mere|nærmere)\s+(?:hos|fra|ved)|\bkontaktperson(?:en)?\s*(?:er|:)|"
    r"\bspørgsmål\s+kan\s+rettes\s+til|\boplysninger\s+hos)\s+$",
    re.IGNORECASE,
)
# What may stand between the contact's name and the number: ", tlf.", "på", "på tlf.", "–"
_BRIDGE_RE = re.compile(
    r"^[\s,–—-]*(?:(?:på|via|på\s+tlf\.?|tlf\.?|telefon|mobil|mail|e-?mail|mail:|tlf:)\s*:?\s*)?"
    r"(?:[\s,–—-]*(?:eller|og)\s+(?:på\s+)?(?:tlf\.?|mail|e-?mail)?\s*:?\s*)?$",
    re.IGNORECASE,
)
_LOOKBACK = 90
_CONTACT_LABELS = frozenset({"PHONE", "EMAIL"})


def mark_official_contacts(doc: Document, detections: Sequence[Detection]) -> list[Detection]:
    """``detections`` with official contact persons and their numbers marked public."""
    text = doc.text
    out = list(detections)
    last_contact_end = -1
    for i, det in enumerate(out):
        if det.label == "PERSON" and not det.attributes.get("public"):
            before = text[max(0, det.start - _LOOKBACK) : det.start]
            before = re.split(r"[.!?\n]\s", before)[-1]
            if _FRAME_RE.search(before):
                out[i] = _public(det, "kontaktperson i en officiel meddelelse")
                last_contact_end = det.end
        elif det.label in _CONTACT_LABELS and last_contact_end >= 0:
            between = text[last_contact_end : det.start]
            if len(between) <= 40 and _BRIDGE_RE.match(between):
                out[i] = _public(det, "kontaktpersonens nummer eller adresse")
                last_contact_end = det.end  # "tlf. … eller mail …"
            else:
                last_contact_end = -1
    return out


def _public(det: Detection, why: str) -> Detection:
    attrs = {**det.attributes, "public": True, "official_contact": True}
    explanation = f"{det.explanation}; {why}" if det.explanation else why
    return replace(det, attributes=attrs, explanation=explanation)
