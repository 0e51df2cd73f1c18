"""Special categories of personal data (GDPR art. 9 and 10): words about health,
ethnicity, religion, sexual orientation, union membership, politics and criminal matters.

Matching uses Danish morphology (stems, compound heads and first parts, one-letter typos),
so "autismediagnosen", "demensramte" and "depresion" are found. The detector only says what
a word is about; the policy packs' rules decide whether it concerns another identifiable or
described person (and not the author's own life).
"""

from __future__ import annotations

from importlib import resources

import yaml

from ..lexicon import TermSet
from ..model import Detection
from ..text import Document

__all__ = ["SENSITIVE_LABELS", "SensitiveDetector"]

SENSITIVE_LABELS: tuple[str, ...] = (
    "HEALTH",
    "ETHNICITY",
    "RELIGION",
    "SEXUAL_ORIENTATION",
    "UNION",
    "POLITICS",
    "CRIMINAL",
)

_EXPLAIN = {
    "HEALTH": "helbredsord",
    "ETHNICITY": "ord om etnisk oprindelse",
    "RELIGION": "ord om religion",
    "SEXUAL_ORIENTATION": "ord om seksuel orientering",
    "UNION": "ord om fagforeningsmedlemskab",
    "POLITICS": "ord om politisk tilhørsforhold",
    "CRIMINAL": "ord om strafbare forhold",
}
_SCORE = {"HEALTH": 0.8, "CRIMINAL": 0.75}


class SensitiveDetector:
    name = "sensitive"
    labels = frozenset(SENSITIVE_LABELS)

    def __init__(self) -> None:
        data = resources.files("omtanke.detectors") / "data"
        lists = yaml.safe_load((data / "sensitive.yml").read_text(encoding="utf-8"))
        health = [
            line.strip()
            for line in (data / "health_terms.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        nots = [str(w).lower() for w in lists.get("NOT") or []]
        # "fødselsdags*": every word that begins so ("fødselsdagssang", "fødselsdagskronen")
        self._not = frozenset(w for w in nots if not w.endswith("*"))
        self._not_prefixes = tuple(w[:-1] for w in nots if w.endswith("*"))
        self._sets: list[tuple[str, TermSet]] = []
        for label in SENSITIVE_LABELS:
            terms = [str(t) for t in lists.get(label) or []]
            if label == "HEALTH":
                terms += health
            self._sets.append((label, TermSet(terms, typos=True)))

    def detect(self, doc: Document) -> list[Detection]:
        out: list[Detection] = []
        for label, terms in self._sets:
            for start, end, _term in terms.find(doc):
                word = doc.lower[start:end]
                if word in self._not or word.startswith(self._not_prefixes):
                    continue
                out.append(
                    Detection(
                        label=label,
                        start=start,
                        end=end,
                        score=_SCORE.get(label, 0.7),
                        detector=self.name,
                        explanation=_EXPLAIN[label],
                    )
                )
        out.sort(key=lambda d: (d.start, d.end))
        return out
