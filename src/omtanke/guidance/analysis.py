"""Danish text analysis for guidance retrieval: words → search keys.

A *key* is the Snowball stem of a word (:func:`omtanke.morph.stem`) with a final genitive or
linking ``s`` dropped, so that "arbejdspladsen" and "arbejdsplads" meet. On top of that:

- **compounds**: a word is split into a known first part and a known head ("forældrekontakt" →
  forældre + kontakt, "arbejdstiden" → arbejd + tid; hyphens split too: "arbejds-mail"). Known
  words are every word of the guidelines, of the synonym table and of the topics, plus the
  ``parts`` of ``data/vocabulary.yml``. In the index the parts count half; in a question a
  compound the guidelines do not use is searched as its parts;
- **typos**: a question word of 5 letters or more that the guidelines do not use is corrected
  to a known word one edit away (a letter deleted, inserted, replaced, or two swapped), and
  "ae", "oe", "aa" are read as "æ", "ø", "å";
- **synonyms**: everyday words are matched with :class:`omtanke.lexicon.TermSet` (stems,
  compound heads and first parts) and add the guideline words they stand for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..lexicon import TermSet
from ..morph import stem
from ..text import Document

__all__ = [
    "DATA_DIR",
    "Analyzer",
    "SynonymGroup",
    "Vocabulary",
    "edit_distance_at_most_one",
    "key",
    "load_vocabulary",
]

DATA_DIR = Path(__file__).parent / "data"

_TYPO_MIN = 5  # shortest word that gets typo tolerance
_PART_MIN = 3  # shortest compound part
_APOSTROPHES = "'’"
_FOLD = (("aa", "å"), ("ae", "æ"), ("oe", "ø"))


@lru_cache(maxsize=100_000)
def key(word: str) -> str:
    """The search key of a lower-cased word: its stem, without a final linking ``s``."""
    s = stem(word)
    if len(s) >= 5 and s.endswith("s") and not s.endswith("ss"):
        s = s[:-1]
    return s


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` differ by at most one deletion, insertion, substitution or
    swap of two neighbouring letters."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    id: str
    words: tuple[str, ...]
    means: tuple[str, ...]
    #: the group's words are context, not topic: they count for W_WEAK of a word
    weak: bool = False


@dataclass(frozen=True, slots=True)
class Vocabulary:
    stopwords: frozenset[str]
    synonyms: tuple[SynonymGroup, ...]
    parts: tuple[str, ...]
    weak: frozenset[str] = frozenset()


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise ValueError(f"{where}: forventede en liste af ord")
    return [str(v).strip().lower() for v in value if str(v).strip()]


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Read ``data/vocabulary.yml`` (stop words, synonym groups, compound parts)."""
    file = path or DATA_DIR / "vocabulary.yml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping):
        raise ValueError(f"{file}: forventede en mapping")
    groups: list[SynonymGroup] = []
    for i, raw in enumerate(data.get("synonyms") or []):
        if not isinstance(raw, Mapping) or "id" not in raw:
            raise ValueError(f"{file}: synonymgruppe nr. {i + 1} mangler id")
        groups.append(
            SynonymGroup(
                str(raw["id"]),
                tuple(_strings(raw.get("words"), f"{file}: {raw['id']}.words")),
                tuple(_strings(raw.get("means"), f"{file}: {raw['id']}.means")),
                bool(raw.get("weak", False)),
            )
        )
    return Vocabulary(
        frozenset(_strings(data.get("stopwords") or [], f"{file}: stopwords")),
        tuple(groups),
        tuple(_strings(data.get("parts") or [], f"{file}: parts")),
        frozenset(_strings(data.get("weak") or [], f"{file}: weak")),
    )


_WORD_SPLIT_RE = re.compile(r"[-/]")


@dataclass(frozen=True, slots=True)
class Word:
    """A token of a text: where it is, its lower-cased form, and its keys with weights."""

    start: int
    end: int
    form: str
    keys: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class QueryWord:
    """One word of a question and what it is searched as."""

    form: str
    #: search keys with their weight (1.0 for the word itself)
    alternatives: tuple[tuple[str, float], ...]
    #: readable words the question word was taken to mean (synonyms, parts, a correction)
    searched: tuple[str, ...] = ()
    correction: str | None = None
    compound_of: str | None = None
    synonym_groups: tuple[str, ...] = ()


def _tokens(text: str) -> list[tuple[int, int, str]]:
    doc = Document(text)
    out: list[tuple[int, int, str]] = []
    for tok in doc.tokens:
        form = tok.lower.strip(_APOSTROPHES)
        if form:
            out.append((tok.start, tok.end, form))
    return out


class Analyzer:
    """Turns texts into weighted search keys. Built once per index; read-only afterwards."""

    W_PART_INDEX = 0.5  # a compound part in the index counts half a word
    W_PART_QUERY = 0.8  # a question compound searched as its parts
    W_TYPO = 0.85  # a corrected word
    W_SYNONYM = 0.7  # a word the question's word stands for
    W_WEAK = 0.3  # a common verb or adjective ("lave", "ny")

    def __init__(self, vocabulary: Vocabulary, corpus_words: Iterable[str]) -> None:
        self.vocabulary = vocabulary
        self.stopwords = vocabulary.stopwords
        self.weak = vocabulary.weak
        known: set[str] = set()
        for w in corpus_words:
            known.update(p for p in _WORD_SPLIT_RE.split(w) if p)
            known.add(w.replace("-", ""))
        for group in vocabulary.synonyms:
            for phrase in (*group.words, *group.means):
                known.update(phrase.replace("-", " ").split())
        known.update(vocabulary.parts)
        self.known_words = frozenset(
            w for w in known if len(w) >= _PART_MIN and w not in self.stopwords and w.isalpha()
        )
        self.known_keys = frozenset(key(w) for w in self.known_words)
        self._groups = [
            (g, TermSet([w for w in g.words if w not in self.stopwords]))
            for g in vocabulary.synonyms
        ]
        self._split_cache: dict[str, tuple[str, str] | None] = {}

    # -- words --------------------------------------------------------------------------
    def is_known(self, word: str) -> bool:
        return word in self.known_words or key(word) in self.known_keys

    def _known_part(self, part: str) -> bool:
        if len(part) < _PART_MIN or part in self.stopwords:
            return False
        if self.is_known(part):
            return True
        # a linking letter: "arbejds" → arbejd(e), "børne" → børn, "venne" → ven(ne)
        return len(part) > _PART_MIN and part[-1] in "se" and self.is_known(part[:-1])

    def split(self, word: str) -> tuple[str, str] | None:
        """A compound as (first part, head), or None. The longest known head wins; a known
        first part of 5 letters or more may also stand before an unknown head of 4 or more
        ("beskedfunktionen" → besked + funktionen)."""
        if word in self._split_cache:
            return self._split_cache[word]
        found: tuple[str, str] | None = None
        if len(word) >= 2 * _PART_MIN + 1 and word.isalpha():
            loose: tuple[str, str] | None = None
            for i in range(_PART_MIN, len(word) - _PART_MIN + 1):
                first, head = word[:i], word[i:]
                if not self._known_part(first):
                    continue
                if head not in self.stopwords and self.is_known(head) and len(head) >= _PART_MIN:
                    found = (first, head)
                    break
                if (
                    loose is None
                    and len(first) >= 5
                    and len(head) >= 4
                    and head not in self.stopwords
                    and (first in self.known_words or first[:-1] in self.known_words)
                ):
                    loose = (first, head)
            found = found or loose
        if len(self._split_cache) < 50_000:
            self._split_cache[word] = found
        return found

    def _part_key(self, part: str) -> str:
        if not self.is_known(part) and part[-1:] in ("s", "e") and self.is_known(part[:-1]):
            part = part[:-1]
        return key(part)

    def word_keys(self, form: str) -> tuple[tuple[str, float], ...]:
        """Index keys of one written word: the word itself, and its compound parts at half
        weight."""
        parts = [p for p in _WORD_SPLIT_RE.split(form) if p]
        whole = "".join(parts)
        out: dict[str, float] = {key(whole): 1.0}
        pieces: list[str] = []
        if len(parts) > 1:
            pieces = [p for p in parts if len(p) >= 2]
        else:
            split = self.split(whole)
            if split is not None:
                pieces = list(split)
        for p in pieces:
            k = self._part_key(p)
            if k not in out:
                out[k] = self.W_PART_INDEX
        return tuple(out.items())

    def words(self, text: str) -> list[Word]:
        """Every word of ``text`` with its index keys; stop words are left out."""
        return [
            Word(s, e, f, self.word_keys(f)) for s, e, f in _tokens(text) if f not in self.stopwords
        ]

    # -- typos --------------------------------------------------------------------------
    def correct(
        self, form: str, candidates: Mapping[str, set[str]], df: Mapping[str, int]
    ) -> str | None:
        """A known word for an unknown ``form``: "ae/oe/aa" read as "æ/ø/å", or one edit away."""
        for a, b in _FOLD:
            if a in form:
                folded = form.replace(a, b)
                if self.is_known(folded):
                    return folded
        if len(form) < _TYPO_MIN or not form.isalpha():
            return None
        found: set[str] = set()
        for variant in (form, *(form[:i] + form[i + 1 :] for i in range(len(form)))):
            found.update(candidates.get(variant, ()))
        best = sorted(
            (w for w in found if w != form and edit_distance_at_most_one(form, w)),
            key=lambda w: (-df.get(key(w), 0), w),
        )
        return best[0] if best else None

    # -- questions ----------------------------------------------------------------------
    def synonym_hits(self, text: str) -> list[tuple[int, int, SynonymGroup]]:
        doc = Document(text)
        out: list[tuple[int, int, SynonymGroup]] = []
        for group, terms in self._groups:
            for start, end, _term in terms.find(doc):
                out.append((start, end, group))
        return out

    def question(
        self,
        text: str,
        index_keys: Mapping[str, int],
        candidates: Mapping[str, set[str]],
        skip: Sequence[tuple[int, int]] = (),
    ) -> list[QueryWord]:
        """The words of a question with what each is searched as. ``index_keys`` maps the
        keys of the index to their document frequency; ``skip`` are spans to leave out (a
        municipality named in the question)."""
        tokens = [
            t
            for t in _tokens(text)
            if not any(s <= t[0] < e for s, e in skip) and t[2] not in self.stopwords
        ]
        # 1. correct unknown words, then find synonyms in the corrected question
        corrected: list[tuple[int, int, str, str | None]] = []
        for start, end, form in tokens:
            fix = None
            if not self._searchable(form, index_keys):
                fix = self.correct(form, candidates, index_keys)
            corrected.append((start, end, form, fix))
        rebuilt, positions = _rebuild(text, corrected)
        hits = self.synonym_hits(rebuilt)

        out: list[QueryWord] = []
        seen: set[str] = set()
        for (_start, _end, form, fix), (rs, re_) in zip(corrected, positions, strict=True):
            if form in seen:
                continue
            seen.add(form)
            word = fix or form
            groups = [g for s, e, g in hits if s < re_ and rs < e]
            parts = [p for p in _WORD_SPLIT_RE.split(word) if p]
            whole = "".join(parts)
            weight = self.W_TYPO if fix else 1.0
            if key(whole) not in index_keys and not groups:
                compound: list[str] = []
                if len(parts) > 1:
                    compound = [p for p in parts if len(p) >= 2 and p not in self.stopwords]
                else:
                    split = self.split(whole)
                    compound = list(split) if split else []
                if compound:
                    for part in compound:
                        part_groups = [g for _s, _e, g in self.synonym_hits(part)]
                        out.append(
                            self._word(
                                part,
                                self._part_key(part),
                                None,
                                part_groups,
                                self.W_PART_QUERY * weight,
                                compound_of=form,
                            )
                        )
                    continue
            out.append(self._word(form, key(whole), fix, groups, weight))
        return out

    def _word(
        self,
        form: str,
        own_key: str,
        fix: str | None,
        groups: Sequence[SynonymGroup],
        weight: float,
        compound_of: str | None = None,
    ) -> QueryWord:
        if (
            form in self.weak
            or (fix is not None and fix in self.weak)
            or any(g.weak for g in groups)
        ):
            weight *= self.W_WEAK
        alternatives: dict[str, float] = {own_key: weight}
        searched: list[str] = [fix] if fix else []
        for group in groups:
            for phrase in group.means:
                for w in phrase.replace("-", " ").split():
                    if w in self.stopwords:
                        continue
                    mk = key(w)
                    if alternatives.get(mk, 0.0) < self.W_SYNONYM * weight:
                        alternatives[mk] = self.W_SYNONYM * weight
                        if phrase not in searched and mk != own_key:
                            searched.append(phrase)
        return QueryWord(
            form=form,
            alternatives=tuple(alternatives.items()),
            searched=tuple(searched),
            correction=fix,
            compound_of=compound_of,
            synonym_groups=tuple(dict.fromkeys(g.id for g in groups)),
        )

    def _searchable(self, form: str, index_keys: Mapping[str, int]) -> bool:
        """True if the word needs no correction: the index or the synonyms know it, or it
        is a compound of known parts."""
        parts = [p for p in _WORD_SPLIT_RE.split(form) if p]
        whole = "".join(parts)
        if key(whole) in index_keys or self.is_known(whole):
            return True
        if len(parts) > 1:
            return all(self.is_known(p) or len(p) < 2 for p in parts)
        split = self.split(whole)
        return split is not None and self.is_known(split[1])


def _rebuild(
    text: str, corrected: Sequence[tuple[int, int, str, str | None]]
) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with corrections put in, and each token's new span."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    length = 0
    for start, end, form, fix in corrected:
        before = text[pos:start].lower()
        out.append(before)
        length += len(before)
        word = fix or form
        out.append(word)
        spans.append((length, length + len(word)))
        length += len(word)
        pos = end
    out.append(text[pos:].lower())
    return "".join(out), spans
