"""Guidance: answer employees' questions from the guidelines, and compare them on a topic.

>>> from omtanke.guidance import Guide
>>> guide = Guide()                      # or Guide(engine), Guide(PackLoader([...]))
>>> answer = guide.ask("må jeg være ven med forældrene på Facebook?", municipality="vejle")
>>> answer.covered, [(p.municipality, p.section, p.rules) for p in answer.passages]
>>> guide.compare("billeder").to_dict()  # each municipality: passages, or "silent": true
>>> [t.label for t in guide.topics()]

Passages are quoted verbatim from each pack's ``source.txt`` (with offsets); retrieval is
BM25 over Danish stems and compound parts, with a synonym table and typo tolerance
(``data/vocabulary.yml``); compare topics are declared in ``data/topics.yml``. See
docs/GUIDANCE.md.

The names below are imported on first use, so that ``omtanke --help`` (which imports
:mod:`omtanke.guidance.cli`) does not load the index code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .guide import MAX_LIMIT, MAX_QUESTION_CHARS, Guide, load_topics
    from .model import (
        NOT_COVERED_MESSAGE,
        Answer,
        Comparison,
        MunicipalityPosition,
        Passage,
        QueryTerm,
        Topic,
    )

__all__ = [
    "MAX_LIMIT",
    "MAX_QUESTION_CHARS",
    "NOT_COVERED_MESSAGE",
    "Answer",
    "Comparison",
    "Guide",
    "MunicipalityPosition",
    "Passage",
    "QueryTerm",
    "Topic",
    "load_topics",
]

_HOME = {
    "MAX_LIMIT": "guide",
    "MAX_QUESTION_CHARS": "guide",
    "Guide": "guide",
    "load_topics": "guide",
    "NOT_COVERED_MESSAGE": "model",
    "Answer": "model",
    "Comparison": "model",
    "MunicipalityPosition": "model",
    "Passage": "model",
    "QueryTerm": "model",
    "Topic": "model",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'omtanke.guidance' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
