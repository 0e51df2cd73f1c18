"""The labels of image detections, and the carrier text that lets pack rules see them.

An image's detections (faces, GPS position, names in the metadata, …) have no place in the
post's text. To run the packs' rules on them unchanged, each image gets a *carrier*: the
post's text, a blank line, and one OBJECT REPLACEMENT CHARACTER (U+FFFC, "an object embedded
in text") per detection. A detection's span is its own character. Rules then combine image
detections with words in the post (``near:``, ``unless:`` with ``window: text``) exactly as
they combine text detections. The blank line ends the post's last sentence, so
``window: sentence`` around an image detection means "in the same image".

This module imports only the standard library and :mod:`omtanke.model`: the pack loader
uses it to validate labels and to read image examples.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Detection

__all__ = [
    "CARRIER_CHAR",
    "CARRIER_SEP",
    "FACE_LABELS",
    "IMAGE_LABELS",
    "carrier_text",
    "example_detections",
    "parse_image_spec",
]

#: A face large enough to recognise the person, and the face fills much of the picture.
PHOTO_FACE_CLOSEUP = "PHOTO_FACE_CLOSEUP"
#: A face large enough to recognise the person (not a close-up).
PHOTO_FACE = "PHOTO_FACE"
#: A face too small to recognise the person when the photo is shown on social media.
PHOTO_FACE_SMALL = "PHOTO_FACE_SMALL"
#: A GPS position in the metadata (where the photo was taken).
PHOTO_GPS = "PHOTO_GPS"
#: A place name in the metadata (city, location shown).
PHOTO_METADATA_PLACE = "PHOTO_METADATA_PLACE"
#: A person's name in the metadata (photographer, owner, people tagged in the photo).
PHOTO_METADATA_PERSON = "PHOTO_METADATA_PERSON"
#: A timestamp in the metadata (when the photo was taken).
PHOTO_METADATA_TIME = "PHOTO_METADATA_TIME"

FACE_LABELS: tuple[str, ...] = (PHOTO_FACE_CLOSEUP, PHOTO_FACE, PHOTO_FACE_SMALL)
IMAGE_LABELS: frozenset[str] = frozenset(
    {
        *FACE_LABELS,
        PHOTO_GPS,
        PHOTO_METADATA_PLACE,
        PHOTO_METADATA_PERSON,
        PHOTO_METADATA_TIME,
    }
)

CARRIER_CHAR = "\ufffc"
CARRIER_SEP = "\n\n"

_MARKED = re.compile(r"^\[\[(\w+)\]\]$")


def carrier_text(text: str, count: int) -> tuple[str, int]:
    """The carrier for ``count`` image detections after ``text``, and the position of the
    first one (detection ``j`` is the character at ``first + j``)."""
    prefix = text + CARRIER_SEP if text else ""
    return prefix + CARRIER_CHAR * count, len(prefix)


def parse_image_spec(items: Sequence[object]) -> tuple[tuple[str, ...], tuple[int, ...], str]:
    """Read a rule example's ``image:`` list: labels, each optionally marked ``[[LABEL]]``
    when the rule must flag it. Returns (labels, indexes of the marked ones, problem); the
    problem is an empty string when the list is valid, else a Danish explanation."""
    labels: list[str] = []
    marked: list[int] = []
    for i, item in enumerate(items):
        raw = str(item).strip()
        m = _MARKED.match(raw)
        label = m.group(1) if m else raw
        if label not in IMAGE_LABELS:
            known = ", ".join(sorted(IMAGE_LABELS))
            return (), (), f"ukendt billed-label '{label}' i eksemplets image; brug {known}."
        if m:
            marked.append(i)
        labels.append(label)
    if not labels:
        return (), (), "'image' skal være en ikke-tom liste af billed-labels."
    return tuple(labels), tuple(marked), ""


def example_detections(text: str, labels: Sequence[str]) -> list[Detection]:
    """Detections for a rule example with an ``image:`` list: the last ``len(labels)``
    characters of ``text`` (a carrier) are the image's detections, in order."""
    first = len(text) - len(labels)
    return [
        Detection(label, first + j, first + j + 1, 1.0, "example", "billedeksempel")
        for j, label in enumerate(labels)
    ]
