"""The results of :class:`omtanke.guidance.Guide`: frozen, typed, with ``to_dict()`` for JSON.

``Answer.to_dict()`` is what ``omtanke ask --format json`` prints and ``GET /v1/ask`` returns;
``Comparison.to_dict()`` is the same for ``compare``. See docs/GUIDANCE.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "NOT_COVERED_MESSAGE",
    "Answer",
    "Comparison",
    "MunicipalityPosition",
    "Passage",
    "QueryTerm",
    "Topic",
]

NOT_COVERED_MESSAGE = (
    "Retningslinjerne dækker ikke spørgsmålet: ingen passage i dem handler om det. "
    "Spørg din nærmeste leder, eller prøv med andre ord."
)


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage of a guideline (or of the law), quoted verbatim.

    ``quote == source_text[start:end]`` of the pack's ``source.txt`` (code points, end
    exclusive). ``section`` is the section of the pack the question matched best within the
    passage; ``sections`` are all the sections the passage contains.
    """

    municipality: str
    municipality_name: str
    section: str
    section_title: str
    quote: str
    start: int
    end: int
    score: float
    rules: tuple[str, ...]
    #: why no rule enforces the section (coverage.yml), "" when rules do
    advice_only: str
    #: the heading over the passage when it is not part of the quote
    heading: str
    sections: tuple[str, ...]
    #: True for the base pack (the law), False for a municipality's guideline
    law: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "municipality": self.municipality,
            "municipality_name": self.municipality_name,
            "law": self.law,
            "section": self.section,
            "section_title": self.section_title,
            "heading": self.heading,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 3),
            "rules": list(self.rules),
            "advice_only": self.advice_only,
            "sections": list(self.sections),
        }


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """How one word of the question was searched."""

    word: str
    #: guideline words it was also searched as (synonyms, a correction)
    searched: tuple[str, ...] = ()
    #: the word as corrected for a typo, if it was
    correction: str | None = None
    #: the compound the word is a part of, if the question's word was split
    compound_of: str | None = None
    #: True if the guidelines contain the word or one it stands for
    found: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "word": self.word,
            "searched": list(self.searched),
            "correction": self.correction,
            "compound_of": self.compound_of,
            "found": self.found,
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """The answer to a question: ranked passages, or ``covered=False``."""

    question: str
    #: the municipality searched (pack id), or None for all of them
    municipality: str | None
    covered: bool
    passages: tuple[Passage, ...]
    terms: tuple[QueryTerm, ...]
    #: how well the best passage matches the question, 0–1 (the "not covered" threshold
    #: applies to this)
    confidence: float
    message: str = ""
    #: the display name of ``municipality``
    municipality_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "municipality": self.municipality,
            "municipality_name": self.municipality_name,
            "covered": self.covered,
            "message": self.message,
            "confidence": round(self.confidence, 3),
            "passages": [p.to_dict() for p in self.passages],
            "terms": [t.to_dict() for t in self.terms],
        }


@dataclass(frozen=True, slots=True)
class Topic:
    """A subject to compare across the guidelines (``data/topics.yml``)."""

    id: str
    label: str
    aliases: tuple[str, ...] = ()
    query: str = ""
    #: groups of words; a passage is about the topic when it has a word of every group
    require: tuple[tuple[str, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "aliases": list(self.aliases)}


@dataclass(frozen=True, slots=True)
class MunicipalityPosition:
    """What one guideline says on a topic: passages, or ``silent=True``."""

    municipality: str
    name: str
    passages: tuple[Passage, ...]

    @property
    def silent(self) -> bool:
        return not self.passages

    def to_dict(self) -> dict[str, Any]:
        return {
            "municipality": self.municipality,
            "name": self.name,
            "silent": self.silent,
            "passages": [p.to_dict() for p in self.passages],
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """Each municipality's guideline on one topic, side by side, and the law on it."""

    topic: Topic
    municipalities: tuple[MunicipalityPosition, ...]
    law: tuple[Passage, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic.to_dict(),
            "municipalities": [m.to_dict() for m in self.municipalities],
            "law": [p.to_dict() for p in self.law],
        }
