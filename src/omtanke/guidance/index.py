"""A BM25 index over the passages of every guideline and the law.

Each passage is indexed with three fields: its own text (weight 1), the heading over it when
that is not part of the quote (``W_HEADING``) and the titles the pack gives its sections
(``W_TITLE``). Compound parts count half (see :mod:`.analysis`).

A question is scored word by word: each question word counts once, by its best alternative
(the word itself, a synonym, a correction), so a word with many synonyms does not outweigh
the others. Besides the BM25 score, every passage gets a *confidence*: the share of the
question's information (inverse document frequency) that the passage contains. A word the
guidelines do not contain at all still counts in the denominator, at ``W_UNKNOWN`` of the
highest weight: "hvornår bliver min pension udbetalt?" has nothing to match "pension", and so
no passage reaches the "not covered" threshold, however often "min" or "udbetalt" occur.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .analysis import Analyzer, QueryWord
from .passages import Segment

__all__ = ["Doc", "Index", "Scored"]

K1 = 1.2
B = 0.75
W_HEADING = 0.5
W_TITLE = 0.3
W_UNKNOWN = 0.5


@dataclass(frozen=True, slots=True)
class Doc:
    """One indexed passage."""

    segment: Segment
    #: key → weighted term frequency (text + heading + titles)
    tf: Mapping[str, float]
    #: keys of the quoted text itself (compound parts included)
    own: frozenset[str]
    length: float
    #: per section of the passage: (section id, key → presence 0–1)
    section_keys: tuple[tuple[str, Mapping[str, float]], ...]


@dataclass(frozen=True, slots=True)
class Scored:
    doc: Doc
    score: float
    confidence: float
    section: str
    #: the question's information (idf) the passage contains
    gain: float = 0.0


class Index:
    def __init__(
        self,
        analyzer: Analyzer,
        segments: Iterable[Segment],
        titles: Mapping[tuple[str, str], str],
    ) -> None:
        """``titles`` maps (pack id, section id) → the section's title in the pack."""
        self.analyzer = analyzer
        docs: list[Doc] = []
        for seg in segments:
            docs.append(self._doc(seg, titles))
        self.docs: tuple[Doc, ...] = tuple(docs)
        df: dict[str, int] = defaultdict(int)
        for doc in docs:
            for k in doc.tf:
                df[k] += 1
        self.df: dict[str, int] = dict(df)
        n = len(docs)
        self.n = n
        self.avgdl = sum(d.length for d in docs) / n if n else 1.0
        self.idf: dict[str, float] = {
            k: math.log(1 + (n - f + 0.5) / (f + 0.5)) for k, f in self.df.items()
        }
        self.idf_max = math.log(1 + (n + 0.5) / 0.5)
        # typo candidates: every known written word of 5+ letters under its one-letter
        # deletions (a question word one edit away shares a deletion or is one)
        candidates: dict[str, set[str]] = defaultdict(set)
        for word in analyzer.known_words:
            if len(word) >= 5:
                candidates[word].add(word)
                for i in range(len(word)):
                    candidates[word[:i] + word[i + 1 :]].add(word)
        self.candidates: dict[str, set[str]] = dict(candidates)

    def _doc(self, seg: Segment, titles: Mapping[tuple[str, str], str]) -> Doc:
        a = self.analyzer
        tf: dict[str, float] = defaultdict(float)
        own: set[str] = set()
        words = a.words(seg.text)
        for w in words:
            for k, weight in w.keys:
                tf[k] += weight
                own.add(k)
        for w in a.words(seg.heading):
            for k, weight in w.keys:
                tf[k] += W_HEADING * weight
        title_ids = [*seg.section_ids, *([seg.heading_section] if seg.heading_section else [])]
        title_keys: dict[str, float] = {}
        for sid in title_ids:
            for w in a.words(titles.get((seg.pack, sid), "")):
                for k, weight in w.keys:
                    tf[k] += W_TITLE * weight
                    title_keys[k] = max(title_keys.get(k, 0.0), W_TITLE * weight)
        section_keys: list[tuple[str, Mapping[str, float]]] = []
        for span in seg.sections:
            present: dict[str, float] = {}
            for w in words:
                if span.start <= seg.start + w.start < span.end:
                    for k, weight in w.keys:
                        present[k] = max(present.get(k, 0.0), weight)
            for w in a.words(titles.get((seg.pack, span.id), "")):
                for k, weight in w.keys:
                    present[k] = max(present.get(k, 0.0), W_TITLE * weight)
            section_keys.append((span.id, present))
        return Doc(seg, dict(tf), frozenset(own), float(max(1, len(words))), tuple(section_keys))

    # -- scoring ------------------------------------------------------------------------
    def _bm25(self, k: str, doc: Doc) -> float:
        tf = doc.tf.get(k, 0.0)
        if tf <= 0.0:
            return 0.0
        norm = K1 * (1 - B + B * doc.length / self.avgdl)
        return self.idf[k] * tf * (K1 + 1) / (tf + norm)

    def word_weight(self, word: QueryWord) -> float:
        """The most a passage can gain from ``word``: its best alternative's idf."""
        best = max((w * self.idf[k] for k, w in word.alternatives if k in self.idf), default=0.0)
        return best if best > 0 else W_UNKNOWN * self.idf_max

    def found(self, word: QueryWord) -> bool:
        return any(k in self.idf for k, _w in word.alternatives)

    def score(self, words: Sequence[QueryWord], packs: Iterable[str] | None = None) -> list[Scored]:
        """Every passage (of ``packs``, or all) that matches a word, best first: by
        confidence, then by BM25 score."""
        allowed = set(packs) if packs is not None else None
        if not words:
            return []
        denominator = sum(self.word_weight(w) for w in words)
        out: list[Scored] = []
        for doc in self.docs:
            if allowed is not None and doc.segment.pack not in allowed:
                continue
            score = 0.0
            gain = 0.0
            for word in words:
                best_s = 0.0
                best_g = 0.0
                for k, w in word.alternatives:
                    if k not in doc.tf:
                        continue
                    best_s = max(best_s, w * self._bm25(k, doc))
                    best_g = max(best_g, w * self.idf[k] * min(1.0, doc.tf[k]))
                score += best_s
                gain += best_g
            if score <= 0:
                continue
            out.append(Scored(doc, score, gain / denominator, self.focus(doc, words), gain))
        # Ranked by confidence (how much of the question the passage holds); BM25 (term
        # frequency, passage length) decides between passages that hold the same words.
        out.sort(key=lambda s: (-s.confidence, -s.score, s.doc.segment.pack, s.doc.segment.index))
        return out

    def focus(self, doc: Doc, words: Sequence[QueryWord]) -> str:
        """The section of the passage that matches the words best (the first on a tie)."""
        seg = doc.segment
        if not doc.section_keys:
            return seg.heading_section or ""
        best_id, best = doc.section_keys[0][0], 0.0
        for sid, present in doc.section_keys:
            total = 0.0
            for word in words:
                total += max(
                    (w * self.idf[k] * present[k] for k, w in word.alternatives if k in present),
                    default=0.0,
                )
            if total > best + 1e-9:
                best_id, best = sid, total
        return best_id

    def has_all(self, doc: Doc, groups: Sequence[frozenset[str]]) -> bool:
        """True if the quoted text contains a key of every group."""
        return all(doc.own & group for group in groups)
