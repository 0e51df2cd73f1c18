"""Images through the policy packs: the engine's side of a check with images.

For every image:

1. :func:`~omtanke.images.analysis.analyse_image` reports typed detections (faces with
   boxes, GPS position, names, places and timestamps in the metadata) and the text read in
   the image by OCR.
2. The pack's *image rules* (rules whose ``if``/``near`` names an image label such as
   ``PHOTO_FACE``) run on a carrier text: the post, a blank line, one character per
   detection (:mod:`omtanke.images.labels`). So ``near:``/``unless:`` combine what the
   photo shows with what the post says ("børnene", "samtykke"), ``adjust:`` softens for a
   public event, and severities per channel work as for text. A finding carries the image's
   index, name, the face boxes and the labels that fired.
3. The text read in the image, and the image's descriptive metadata (captions, comments),
   go through the text checks: checked after the post (a blank line between), so the
   post gives context, and only findings inside the image's text are kept, with spans
   into that text and, for OCR, the boxes of the words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..engine import finding_for
from ..errors import _image_name
from ..model import (
    Box,
    CheckContext,
    Detection,
    Entity,
    Finding,
    ImageFace,
    ImageRef,
    ImageSummary,
    Span,
)
from ..text import Document
from .labels import CARRIER_SEP, IMAGE_LABELS, carrier_text

if TYPE_CHECKING:
    from ..engine import Engine
    from ..packs.schema import Pack, Rule
    from . import ImageInput
    from .analysis import ImageAnalysis

__all__ = ["ImageCheck", "check_images", "is_image_rule", "merge_findings"]


@dataclass(frozen=True, slots=True)
class ImageCheck:
    findings: tuple[Finding, ...]
    images: tuple[ImageSummary, ...]
    notices: tuple[str, ...]


def is_image_rule(rule: Rule) -> bool:
    """A rule that needs an image detection to fire (its ``if`` or a ``near`` names one)."""
    return bool(rule.match.labels & IMAGE_LABELS) or any(m.labels & IMAGE_LABELS for m in rule.near)


def check_images(
    engine: Engine,
    text: str,
    context: CheckContext,
    pack: Pack,
    images: Sequence[ImageInput],
    *,
    ocr: bool = True,
) -> ImageCheck:
    """Findings, summaries and notices for ``images`` posted with ``text``."""
    from .analysis import analyse_image
    from .ocr import TIMEOUT

    rules = [r for r in pack.rules.values() if is_image_rule(r)]
    text_detections = engine.detect(Document(text)) if text.strip() else []
    findings: list[Finding] = []
    summaries: list[ImageSummary] = []
    notices: list[str] = []

    def notice(message: str) -> None:
        if message not in notices:
            notices.append(message)

    for index, image in enumerate(images):
        name = _image_name(image.name)
        analysis = analyse_image(image.data, name=image.name, ocr=ocr)
        findings += _rule_findings(engine, text, context, rules, text_detections, analysis, index)
        if analysis.ocr.notice:
            notice(analysis.ocr.notice)
        if analysis.ocr.status == "timeout":
            notice(
                f"Tekstgenkendelsen i billedet '{name}' tog over {TIMEOUT:g} sekunder og "
                "blev stoppet; teksten i billedet er ikke tjekket."
            )
        elif analysis.ocr.status == "failed":
            notice(
                f"Tekstgenkendelsen i billedet '{name}' mislykkedes; teksten i billedet er "
                "ikke tjekket."
            )
        ocr_found, ocr_entities = _text_findings(
            engine,
            text,
            context,
            analysis.ocr.text,
            ImageRef(index, name, "ocr"),
            analysis.boxes_for,
            notice,
        )
        meta_found, meta_entities = _text_findings(
            engine,
            text,
            context,
            analysis.metadata.text,
            ImageRef(index, name, "metadata"),
            None,
            notice,
        )
        findings += ocr_found + meta_found
        summaries.append(_summary(analysis, index, name, ocr_entities, meta_entities))
    return ImageCheck(tuple(findings), tuple(summaries), tuple(notices))


def merge_findings(
    text_findings: Sequence[Finding], image_findings: Sequence[Finding]
) -> list[Finding]:
    """All findings, most serious first; text before images at the same level, then by
    image and position."""
    return sorted(
        [*text_findings, *image_findings],
        key=lambda f: (
            -f.severity,
            -1 if f.image is None else f.image.index,
            f.spans[0].start if f.spans else -1,
            f.rule,
        ),
    )


def _rule_findings(
    engine: Engine,
    text: str,
    context: CheckContext,
    rules: list[Rule],
    text_detections: list[Detection],
    analysis: ImageAnalysis,
    index: int,
) -> list[Finding]:
    if not rules:
        return []
    count = len(analysis.detections())
    carrier, first = carrier_text(text, count)
    detections = analysis.detections(first)
    doc = Document(carrier)
    every = [*text_detections, *detections]
    name = _image_name(analysis.name)
    out: list[Finding] = []
    for rule in rules:
        severity = rule.severity_for(
            context.channel, context.role, context.kind, context.public_event
        )
        if severity is None:
            continue
        hits = engine.run_rule(rule, doc, every)
        if not hits:
            continue
        spans = tuple(Span(s, e, label, text[s:e]) for s, e, label in hits if e <= len(text))
        objects = [detections[s - first] for s, _e, _label in hits if s >= first]
        boxes: tuple[Box, ...] = tuple(
            d.attributes["box"] for d in objects if "box" in d.attributes
        )
        labels = tuple(dict.fromkeys(d.label for d in objects))
        out.append(
            finding_for(rule, severity, spans, ImageRef(index, name, "image", boxes, labels))
        )
    return out


def _text_findings(
    engine: Engine,
    post: str,
    context: CheckContext,
    image_text: str,
    ref: ImageRef,
    boxes_for: Callable[[int, int], tuple[Box, ...]] | None,
    notice: Callable[[str], None],
) -> tuple[list[Finding], tuple[Entity, ...]]:
    """Findings of the text checks inside ``image_text`` (the post gives context)."""
    if not image_text.strip():
        return [], ()
    prefix = post + CARRIER_SEP if post.strip() else ""
    room = engine.max_chars - len(prefix)
    if room < len(image_text):
        what = "Teksten i billedet" if ref.source == "ocr" else "Billedteksten i metadata"
        notice(
            f"{what} '{ref.name}' er for lang til tjekket; kun de første "
            f"{max(0, room):,} tegn er tjekket.".replace(",", ".")
        )
        image_text = image_text[: max(0, room)]
        if not image_text.strip():
            return [], ()
    report = engine.check(prefix + image_text, context)
    offset = len(prefix)
    out: list[Finding] = []
    for f in report.findings:
        spans = tuple(
            Span(s.start - offset, s.end - offset, s.label, s.text)
            for s in f.spans
            if s.start >= offset
        )
        if not spans:
            continue  # about the post alone: already reported by the text check
        boxes: tuple[Box, ...] = ()
        if boxes_for is not None:
            boxes = tuple(dict.fromkeys(b for s in spans for b in boxes_for(s.start, s.end)))
        out.append(
            Finding(
                rule=f.rule,
                category=f.category,
                severity=f.severity,
                message=f.message,
                advice=f.advice,
                spans=spans,
                citations=f.citations,
                image=ImageRef(ref.index, ref.name, ref.source, boxes),
            )
        )
    entities = tuple(
        Entity(e.start - offset, e.end - offset, e.label, e.text, e.score, e.public)
        for e in report.entities
        if e.start >= offset
    )
    return out, entities


def _summary(
    analysis: ImageAnalysis,
    index: int,
    name: str,
    ocr_entities: tuple[Entity, ...],
    meta_entities: tuple[Entity, ...],
) -> ImageSummary:
    meta = analysis.metadata
    return ImageSummary(
        index=index,
        name=name,
        format=analysis.format,
        width=analysis.width,
        height=analysis.height,
        faces=tuple(
            ImageFace(f.box, f.size, f.identifiable, f.closeup, f.score) for f in analysis.faces
        ),
        gps=meta.gps,
        people=tuple(i.value for i in meta.people),
        places=tuple(i.value for i in meta.places),
        timestamps=tuple(i.value for i in meta.timestamps),
        fields=meta.fields,
        metadata_text=meta.text,
        metadata_entities=meta_entities,
        ocr_status=analysis.ocr.status,
        ocr_language=analysis.ocr.language,
        ocr_text=analysis.ocr.text,
        ocr_entities=ocr_entities,
    )
