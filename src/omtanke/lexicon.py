"""Term sets: words and phrases matched on tokens with Danish morphology.

A term is a word or a phrase. Matching is on Snowball stems by default (``match: stem``),
so "diagnosen" matches "diagnose" and "underretningen" matches "underretning". On top of
that:

- **compounds**: a term whose stem has at least 5 letters also matches as the head of a
  compound ("autismediagnosen" → "diagnose"), and one of 6 or more as its first part
  ("demensramte" → "demens", "anbringelsessagen" → "anbringelse");
- **typos** (``typos=True``, used for the health and other sensitive word lists): a term
  whose stem has at least 8 letters also matches a token one deleted, inserted or swapped
  letter away ("depresion" → "depression"), via a deletion index;
- explicit wildcards: ``*diagnose`` (head of a compound, any length), ``anbring*``
  (prefix), ``*mobb*`` (inside a word).

With ``match: exact`` the lower-cased token must equal the term (no stems, no compounds,
no typos). Phrases ("på arbejdet") match word by word.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from .morph import stem
from .text import Document

__all__ = ["TermSet"]

_COMPOUND_MIN = 5  # shortest stem that may be a compound head
_COMPOUND_MODIFIER_MIN = 3  # shortest first part of a compound
_TYPO_MIN = 8  # shortest stem with typo tolerance


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


_MISS: Any = object()
# Second parts that make a compound the name of a unit, a role, a season or an event, not
# something about a person: "demensafsnittet", "influenzasæsonen", "demenskoordinatoren",
# "diabetesforeningen". The term (or a prefix term, "demen*") as first part of such a word is
# not a match.
_ORG_HEADS = (
    "team", "afsnit", "afdeling", "center", "centre", "enhed", "område", "sektion",
    "koordinator", "sygeplejerske", "konsulent", "vejleder", "ambassadør", "forening",
    "fond", "sæson", "politik", "tilbud", "indsats", "strategi", "netværk", "café", "cafe",
    "projekt", "pulje", "konference", "temadag", "venlig", "forskning",
    "kursus", "kurser", "uddannelse", "hus", "klinik", "ambulatori", "model", "system",
    "reform",
)  # fmt: skip
# endings an inflection may add after a compound head: "-erne" in "underretningerne"
_INFLECTIONS = frozenset(
    ("", "e", "en", "et", "er", "ne", "s", "es", "ens", "ets", "ers", "ere", "erne", "ernes",
     "r", "n", "t", "rne", "ns", "ts", "nes")
)  # fmt: skip


def _org_head(rest: str) -> bool:
    """Whether the rest of a compound (after a linking -s- or hyphen) is a unit's name."""
    return rest.startswith(_ORG_HEADS) or (
        rest[:1] in ("s", "-") and rest[1:].startswith(_ORG_HEADS)
    )


class TermSet:
    def __init__(self, terms: Iterable[str], mode: str = "stem", *, typos: bool = False) -> None:
        if mode not in ("stem", "exact"):
            raise ValueError(mode)
        self.mode = mode
        self._cache: dict[str, str | None] = {}
        self.terms: tuple[str, ...] = tuple(dict.fromkeys(t.strip().lower() for t in terms))
        self._single: dict[str, str] = {}
        self._prefix: list[tuple[str, str]] = []
        self._suffix: list[tuple[str, str]] = []
        self._infix: list[tuple[str, str]] = []
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._word_prefix: list[tuple[str, str]] = []
        self._heads: dict[str, str] = {}
        self._head_lengths: tuple[int, ...] = ()
        self._typos: dict[str, str] = {}
        for term in self.terms:
            words = term.split()
            if len(words) > 1:
                keys = tuple(self._key(w) for w in words)
                self._phrases.setdefault(keys[0], []).append((keys, term))
            elif term.startswith("*") and term.endswith("*") and len(term) > 2:
                self._infix.append((term.strip("*"), term))
            elif term.endswith("*"):
                self._prefix.append((term[:-1], term))
            elif term.startswith("*"):
                # compound heads by the written word: the stem of "*leder" is "led", and
                # "cyklede" and "billede" end with that too
                self._suffix.append((term[1:], term))
            elif mode == "stem" and len(term) >= 5 and len(stem(term)) <= 3:
                # "demens" stems to "dem" (= "them"): match the written word and its
                # inflections ("demensen") instead of the stem.
                self._word_prefix.append((term, term))
            else:
                key = self._key(term)
                self._single[key] = term
                if mode == "stem" and len(key) >= _COMPOUND_MIN:
                    self._heads[key] = term
                if typos and mode == "stem" and len(key) >= _TYPO_MIN:
                    for variant in _deletions(key):
                        self._typos.setdefault(variant, term)
        self._head_lengths = tuple(sorted({len(k) for k in self._heads}))
        # first parts of compounds, by the written word: "demens" in "demensramte"
        self._modifiers: dict[str, str] = {
            t: t
            for t in (*self._single.values(), *(w for w, _ in self._word_prefix))
            if len(t) >= _COMPOUND_MIN + 1
        }
        self._modifier_lengths = tuple(sorted({len(t) for t in self._modifiers}))

    def __len__(self) -> int:
        return len(self.terms)

    def _key(self, word: str) -> str:
        word = word.strip("*")
        return stem(word) if self.mode == "stem" else word

    def _lookup(self, key: str, low: str) -> str | None:
        """The term a token matches (memoised per written form: words repeat a lot)."""
        try:
            return self._cache[low]
        except KeyError:
            pass
        term = self._lookup_uncached(key, low)
        if len(self._cache) < 100_000:
            self._cache[low] = term
        return term

    def _lookup_uncached(self, key: str, low: str) -> str | None:
        term = self._single.get(key)
        if term is not None:
            return term
        for word, t in self._word_prefix:
            if low.startswith(word) and len(low) - len(word) <= 4:
                return t
        for prefix, t in self._prefix:
            if low.startswith(prefix) and not _org_head(low[len(prefix) :]):
                return t
        for suffix, t in self._suffix:
            at = low.rfind(suffix)
            if at > 0 and low[at + len(suffix) :] in _INFLECTIONS:
                return t
        for infix, t in self._infix:
            if infix in low:
                return t
        if self.mode != "stem":
            return None
        n = len(key)
        for length in self._head_lengths:
            if length > n - _COMPOUND_MODIFIER_MIN:
                break
            term = self._heads.get(key[n - length :])
            if term is not None:
                return term
        for length in self._modifier_lengths:  # the term as first part: "demensramte"
            if length > len(low) - _COMPOUND_MODIFIER_MIN:
                break
            term = self._modifiers.get(low[:length])
            if term is not None and not _org_head(low[length:]):
                return term
        if n >= _TYPO_MIN - 1 and self._typos:
            term = self._typos.get(key)  # the token lacks a letter
            if term is not None:
                return term
            if n >= _TYPO_MIN:
                for variant in _deletions(key):  # an extra or a swapped letter
                    term = self._single.get(variant) if len(variant) >= _TYPO_MIN else None
                    term = term or self._typos.get(variant)
                    if term is not None:
                        return term
        return None

    def find(self, doc: Document) -> list[tuple[int, int, str]]:
        """Every ``(start, end, term)`` match in the document, in text order; words inside
        a link or an e-mail address ("borger" in "borger.dk") do not count."""
        found = self._find(doc)
        if found and doc.link_spans:
            return [f for f in found if not doc.in_link(f[0])]
        return found

    def _find(self, doc: Document) -> list[tuple[int, int, str]]:
        tokens = doc.tokens
        keys = doc.stems if self.mode == "stem" else doc.token_lowers
        cache, miss, phrases = self._cache, _MISS, self._phrases
        if not phrases or phrases.keys().isdisjoint(keys):
            # the common case, in C loops: one memo lookup per written form
            lows = doc.token_lowers
            got = list(map(cache.get, lows, itertools.repeat(miss)))
            if miss in got:  # the sentinel equals nothing else
                got = [
                    self._lookup(key, low) if t is miss else t
                    for t, key, low in zip(got, keys, lows, strict=True)
                ]
            if got.count(None) == len(got):  # no term in the text: the common case
                return []
            return [(tokens[i].start, tokens[i].end, t) for i, t in enumerate(got) if t is not None]
        found: list[tuple[int, int, str]] = []
        i, count = 0, len(tokens)
        while i < count:  # kept tight: one memo lookup per token in the common case
            tok = tokens[i]
            if phrases:
                candidates = phrases.get(keys[i])
                if candidates:
                    matched = False
                    for phrase, term in candidates:
                        n = len(phrase)
                        if tuple(keys[i : i + n]) == phrase:
                            found.append((tok.start, tokens[i + n - 1].end, term))
                            i += n
                            matched = True
                            break
                    if matched:
                        continue
            low = tok.lower
            word = cache.get(low, miss)
            if word is miss:
                word = self._lookup(keys[i], low)
            if word is not None:
                found.append((tok.start, tok.end, word))
            i += 1
        return found
