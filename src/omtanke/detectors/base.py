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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from ..model import Detection
from ..text import Document

__all__ = [
    "BOOKKEEPING_WORDS",
    "ContextWords",
    "Detector",
    "NearestContext",
    "context_adjust",
    "contextual_detection",
    "nearest_context",
    "resolve_overlaps",
]


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


#: Words that make a nearby number an order, invoice, account or similar reference (they
#: lower the score of CPR and phone candidates).
BOOKKEEPING_WORDS: tuple[str, ...] = (
    "faktura",
    "fakturanr",
    "fakturanr.",
    "fakturanummer",
    "faktura nr",
    "faktura nr.",
    "ordre",
    "ordrenr",
    "ordrenr.",
    "ordrenummer",
    "ordre nr",
    "ordre nr.",
    "kundenr",
    "kundenr.",
    "kundenummer",
    "kunde nr",
    "kunde nr.",
    "konto",
    "kontonr",
    "kontonr.",
    "kontonummer",
    "reg.nr",
    "reg.nr.",
    "regnr",
    "regnr.",
    "reg nr",
    "reg. nr",
    "reg. nr.",
    "bilag",
    "bilagsnr",
    "sagsnr",
    "sagsnr.",
    "sagsnummer",
    "journalnr",
    "journalnr.",
    "varenr",
    "varenr.",
    "varenummer",
    "pakke",
    "pakkenr",
    "tracking",
    "ean",
    "cvr",
    "cvr-nr",
    "cvr-nr.",
    "kr",
    "kr.",
    "kroner",
    "beløb",
    "ref",
    "ref.",
    "reference",
)

_WORD_LEFT = r"(?<![^\W\d_])"
_WORD_RIGHT = r"(?![^\W\d_])"


class NearestContext:
    """Context words, where the occurrence nearest a span counts.

    Unlike :class:`~omtanke.detectors.base.ContextWords` this finds the *last* word before a
    span and the *first* after it, so that two competing context classes (positive and
    negative) can be ranked by distance.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(sorted({w.lower() for w in words}, key=len, reverse=True))
        alternatives = "|".join(re.escape(w) for w in self.words)
        # The first-letter lookahead lets most positions fail at once (speed).
        first = "".join(sorted({re.escape(w[0]) for w in self.words}))
        self._re = re.compile(rf"(?=[{first}]){_WORD_LEFT}(?:{alternatives}){_WORD_RIGHT}")

    def nearest(self, before: str, after: str) -> tuple[str, int] | None:
        """The nearest word and its distance in code points (words after a span count as
        a little further away: labels usually precede the number)."""
        best: tuple[str, int] | None = None
        for m in self._re.finditer(before):
            best = (m.group(), len(before) - m.end())
        nxt = self._re.search(after)
        if nxt is not None:
            dist = nxt.start() + 5
            if best is None or dist < best[1]:
                best = (nxt.group(), dist)
        return best


def nearest_context(
    doc: Document,
    start: int,
    end: int,
    score: float,
    positive: NearestContext,
    negative: NearestContext,
    *,
    boost: float,
    penalty: float,
    window: int = 40,
) -> tuple[float, list[str]]:
    """Adjust ``score`` by the nearest context word within ``window`` code points before the
    span (half as far after it). On a tie the negative word wins."""
    before = doc.lower[max(0, start - window) : start]
    after = doc.lower[end : end + window // 2]
    pos = positive.nearest(before, after)
    neg = negative.nearest(before, after)
    if neg is not None and (pos is None or neg[1] <= pos[1]):
        return max(0.0, score - penalty), [f"kontekstord '{neg[0].strip()}' sænker scoren"]
    if pos is not None:
        return min(1.0, score + boost), [f"kontekstord '{pos[0].strip()}' hæver scoren"]
    return score, []


def contextual_detection(
    doc: Document,
    label: str,
    start: int,
    end: int,
    score: float,
    notes: list[str],
    *,
    detector: str,
    positive: NearestContext,
    negative: NearestContext,
    boost: float,
    penalty: float,
    attributes: Mapping[str, Any],
    threshold: float = 0.5,
) -> Detection | None:
    """Adjust ``score`` by the nearest context word and build the detection, or ``None``
    when the score ends below ``threshold`` (shared by the CPR and phone detectors)."""
    score, ctx = nearest_context(
        doc, start, end, score, positive, negative, boost=boost, penalty=penalty
    )
    score = round(min(score, 1.0), 2)
    if score < threshold:
        return None
    return Detection(
        label=label,
        start=start,
        end=end,
        score=score,
        detector=detector,
        explanation="; ".join([*notes, *ctx]),
        attributes=attributes,
    )
