"""Term sets: words and phrases matched on tokens with Danish stems.

A term is a word or a phrase. Matching is on Snowball stems by default, so "diagnosen"
matches "diagnose" and "underretningen" matches "underretning". A term may start or end
with ``*``:

``*diagnose``    the token's stem ends with the stem of "diagnose" (compound heads:
                 "autismediagnosen")
``anbring*``     the token starts with "anbring" ("anbringelsessagen")
``*mobb*``       the token contains "mobb"

With ``match: exact`` the lower-cased token must equal the term (no stemming).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..morph import stem
from ..text import Document

__all__ = ["TermSet"]


class TermSet:
    def __init__(self, terms: Iterable[str], mode: str = "stem") -> None:
        if mode not in ("stem", "exact"):
            raise ValueError(mode)
        self.mode = mode
        self.terms: tuple[str, ...] = tuple(dict.fromkeys(t.strip().lower() for t in terms))
        self._single: dict[str, str] = {}
        self._prefix: list[tuple[str, str]] = []
        self._suffix: list[tuple[str, str]] = []
        self._infix: list[tuple[str, str]] = []
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
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
                self._suffix.append((self._key(term[1:]), term))
            else:
                self._single[self._key(term)] = term

    def __len__(self) -> int:
        return len(self.terms)

    def _key(self, word: str) -> str:
        word = word.strip("*")
        return stem(word) if self.mode == "stem" else word

    def _token_keys(self, doc: Document) -> list[str]:
        if self.mode == "exact":
            return [t.lower for t in doc.tokens]
        return doc.stems

    def find(self, doc: Document) -> list[tuple[int, int, str]]:
        """Every ``(start, end, term)`` match in the document, in text order."""
        tokens = doc.tokens
        keys = self._token_keys(doc)
        found: list[tuple[int, int, str]] = []
        i = 0
        while i < len(tokens):
            tok, key = tokens[i], keys[i]
            hit: tuple[int, int, str] | None = None
            for phrase, term in self._phrases.get(key, ()):
                n = len(phrase)
                if tuple(keys[i : i + n]) == phrase:
                    hit = (tok.start, tokens[i + n - 1].end, term)
                    i += n - 1
                    break
            if hit is None:
                term_s = self._single.get(key)
                if term_s is not None:
                    hit = (tok.start, tok.end, term_s)
            if hit is None:
                low = tok.lower
                for prefix, term in self._prefix:
                    if low.startswith(prefix):
                        hit = (tok.start, tok.end, term)
                        break
            if hit is None:
                for suffix, term in self._suffix:
                    if key.endswith(suffix) and len(key) > len(suffix):
                        hit = (tok.start, tok.end, term)
                        break
            if hit is None:
                low = tok.lower
                for infix, term in self._infix:
                    if infix in low:
                        hit = (tok.start, tok.end, term)
                        break
            if hit is not None:
                found.append(hit)
            i += 1
        return found
