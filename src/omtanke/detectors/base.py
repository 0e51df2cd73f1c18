"""What every detector shares.

A detector looks at a :class:`~omtanke.text.Document` and reports
:class:`~omtanke.model.Detection` objects: a label, code-point offsets into the original
text, a score in ``[0, 1]`` and a short explanation of why (Presidio's model). Detectors never
decide what is allowed; the policy packs' rules do that.

Context words near a match raise its score; bookkeeping words lower it
(:func:`context_adjust`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from ..model import Detection
from ..text import Document

__all__ = ["ContextWords", "Detector", "context_adjust", "resolve_overlaps"]


@runtime_checkable
class Detector(Protocol):
    """A detector: ``name``, the ``labels`` it can report, and ``detect``."""

    name: str
    labels: frozenset[str]

    def detect(self, doc: Document) -> list[Detection]: ...


class ContextWords:
    """A set of context words or phrases, matched on word boundaries in lower-cased text."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(sorted({w.lower() for w in words}, key=len, reverse=True))
        alternatives = "|".join(re.escape(w) for w in self.words)
        self._re = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if self.words else None

    def find(self, text: str) -> str | None:
        """The first context word found in ``text`` (lower-cased), or ``None``."""
        if self._re is None:
            return None
        m = self._re.search(text)
        return m.group() if m else None


def context_adjust(
    doc: Document,
    start: int,
    end: int,
    score: float,
    *,
    positive: ContextWords | None = None,
    negative: ContextWords | None = None,
    window: int = 40,
    boost: float = 0.35,
    penalty: float = 0.4,
) -> tuple[float, list[str]]:
    """Raise or lower ``score`` by context words within ``window`` characters before the
    span (and a shorter stretch after it). Returns the new score and explanation parts."""
    before = doc.lower[max(0, start - window) : start]
    after = doc.lower[end : end + window // 2]
    notes: list[str] = []
    if positive is not None:
        word = positive.find(before) or positive.find(after)
        if word:
            score = min(1.0, score + boost)
            notes.append(f"kontekstord '{word}' hæver scoren")
    if negative is not None:
        word = negative.find(before) or negative.find(after)
        if word:
            score = max(0.0, score - penalty)
            notes.append(f"kontekstord '{word}' sænker scoren")
    return score, notes


def resolve_overlaps(detections: Sequence[Detection]) -> list[Detection]:
    """Among overlapping detections with the same label keep the longest, then the best."""
    ordered = sorted(detections, key=lambda d: (-(d.end - d.start), -d.score, d.start))
    kept: list[Detection] = []
    for det in ordered:
        if not any(k.label == det.label and k.overlaps(det.start, det.end) for k in kept):
            kept.append(det)
    return sorted(kept, key=lambda d: (d.start, d.end))
