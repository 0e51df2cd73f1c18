"""Detectors: patterns, lexicons and models that report labelled spans with scores.

Detectors are loaded lazily by name, so ``omtanke --help`` stays fast and a check only loads
what its policy pack uses. Each entry names the module, the class and the labels the
detector can report; policy packs refer to labels (``detect: [CPR]``), and validation uses
this table to reject unknown ones.
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass

from ..model import INBOX_CATEGORIES, POST_CATEGORIES
from .base import ContextWords, Detector, context_adjust, resolve_overlaps

__all__ = [
    "DETECTORS",
    "ContextWords",
    "Detector",
    "DetectorSpec",
    "context_adjust",
    "detector_for_label",
    "get_detector",
    "known_labels",
    "resolve_overlaps",
]


@dataclass(frozen=True, slots=True)
class DetectorSpec:
    name: str
    module: str
    cls: str
    labels: frozenset[str]
    description: str


DETECTORS: dict[str, DetectorSpec] = {
    spec.name: spec
    for spec in (
        DetectorSpec(
            "cpr",
            "omtanke.detectors.cpr",
            "CprDetector",
            frozenset({"CPR"}),
            "CPR-numre i alle skriveformer, valideret på dato og århundrede",
        ),
        DetectorSpec(
            "phone",
            "omtanke.detectors.phone",
            "PhoneDetector",
            frozenset({"PHONE"}),
            "Danske telefonnumre (+45/0045, 8 cifre i grupper)",
        ),
        DetectorSpec(
            "email",
            "omtanke.detectors.email",
            "EmailDetector",
            frozenset({"EMAIL"}),
            "E-mailadresser, også skrevet som '(at)' eller 'snabel-a'",
        ),
        DetectorSpec(
            "url",
            "omtanke.detectors.url",
            "UrlDetector",
            frozenset({"URL"}),
            "Links og domæner",
        ),
        DetectorSpec(
            "address",
            "omtanke.detectors.address",
            "AddressDetector",
            frozenset({"ADDRESS"}),
            "Gadeadresser: gadenavn, husnummer, evt. etage/side, postnummer og by",
        ),
        DetectorSpec(
            "names",
            "omtanke.detectors.names",
            "NameDetector",
            frozenset({"PERSON"}),
            "Personnavne (fornavne og efternavne fra Danmarks Statistik, med kontekst)",
        ),
        DetectorSpec(
            "tone",
            "omtanke.detectors.tone",
            "ToneDetector",
            frozenset({"OFFENSIVE", "THREAT"}),
            "Krænkende og truende sprog (sproglig model trænet på DKhate, ordlister og mønstre)",
        ),
        DetectorSpec(
            "sensitive",
            "omtanke.detectors.sensitive",
            "SensitiveDetector",
            frozenset(
                {
                    "HEALTH",
                    "ETHNICITY",
                    "RELIGION",
                    "SEXUAL_ORIENTATION",
                    "UNION",
                    "POLITICS",
                    "CRIMINAL",
                }
            ),
            "Særlige kategorier: helbred, etnicitet, religion, seksualitet, fagforening, "
            "politik, strafbare forhold",
        ),
        DetectorSpec(
            "categories",
            "omtanke.detectors.categories",
            "CategoryDetector",
            frozenset(
                {f"TEXT_{c.upper()}" for c in POST_CATEGORIES}
                | {f"MSG_{c.upper()}" for c in INBOX_CATEGORIES}
            ),
            "Tekstmodel for hele opslaget eller beskeden (fanger det, mønstrene ikke kender)",
        ),
    )
}

_instances: dict[str, Detector] = {}
_lock = threading.Lock()


def known_labels() -> frozenset[str]:
    """Every label some detector can report."""
    return frozenset().union(*(spec.labels for spec in DETECTORS.values()))


def detector_for_label(label: str) -> str | None:
    for spec in DETECTORS.values():
        if label in spec.labels:
            return spec.name
    return None


def get_detector(name: str) -> Detector:
    """The shared instance of detector ``name`` (loaded on first use)."""
    inst = _instances.get(name)
    if inst is not None:
        return inst
    with _lock:
        inst = _instances.get(name)
        if inst is None:
            spec = DETECTORS[name]
            module = importlib.import_module(spec.module)
            inst = getattr(module, spec.cls)()
            _instances[name] = inst
    return inst
