"""Text handling shared by detectors and rules.

A :class:`Document` wraps the original text once per check and offers what every detector
needs: a lower-cased copy with the *same length* (so offsets never shift), word tokens with
code-point offsets, and sentence boundaries. Nothing here changes the text itself.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any, NamedTuple

__all__ = ["Document", "Token", "lower_same_length", "normalise_ws"]

# Words: letters/digits, with inner hyphens or apostrophes ("Anne-Sofie", "Jonas'", "sig'n").
_TOKEN_RE = re.compile(r"\w+(?:[-'’]\w+)*'?", re.UNICODE)
# A sentence ends at . ! ? … followed by space and not by a lower-case letter ("ang. hans"
# is one sentence), at a blank line, or before a bullet line.
_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'”’)]*\s+(?![a-zæøåé])|\n\s*\n|\n(?=\s*[-•*\d])")
_WS_RE = re.compile(r"\s+")
# Links, domains and e-mail addresses: the words inside them ("borger" in "borger.dk") are
# not words of the text.
_LINK_RE = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:dk|com|org|net|eu|de|se|no|nu|io|info|gl|fo)\b(?:/\S*)?",
    re.IGNORECASE,
)
# A full stop after these is an abbreviation, not the end of a sentence ("nr. 7", "kl. 10").
_ABBREVIATIONS = frozenset(
    "nr kl ca fx f.eks bl.a dvs evt mht tlf st sal th tv jf pga osv mv m.fl ang mdr d skt "
    "hr fru frk dr prof stk vedr inkl ekskl max min".split()
)


def lower_same_length(text: str) -> str:
    """Lower-case ``text`` without changing its length (``'İ'.lower()`` has two code points)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(lc := c.lower()) != 1 else lc for c in text)


def normalise_ws(text: str) -> str:
    """Collapse all whitespace to single spaces (used to compare quotes with their source)."""
    return _WS_RE.sub(" ", text).strip()


class Token(NamedTuple):
    """A word with its code-point offsets (a tuple: documents make thousands of them)."""

    start: int
    end: int
    text: str
    lower: str

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


class Document:
    """The text under check, with lazily computed views. Offsets are code points."""

    def __init__(self, text: str, memo: dict[str, Any] | None = None) -> None:
        self.text = text
        #: results detectors may reuse within one check (the rewrite is checked again and
        #: keeps most sentences); shared only between the documents of one check
        self.memo: dict[str, Any] = memo if memo is not None else {}

    @cached_property
    def lower(self) -> str:
        return lower_same_length(self.text)

    @cached_property
    def token_lowers(self) -> list[str]:
        """The lower-cased written form of every token."""
        return [t.lower for t in self.tokens]

    @cached_property
    def tokens(self) -> list[Token]:
        # findall and str.find (both in C) instead of match objects: between two tokens
        # there is no word character, so a token's text is first found where it starts
        text, low = self.text, self.lower
        find, make = text.find, tuple.__new__
        out: list[Token] = []
        end = 0
        for word in _TOKEN_RE.findall(text):
            start = find(word, end)
            end = start + len(word)
            out.append(make(Token, (start, end, word, low[start:end])))
        return out

    @cached_property
    def stems(self) -> list[str]:
        """Snowball Danish stems of the lower-cased tokens."""
        from .morph import stem

        return [stem(t.lower) for t in self.tokens]

    @cached_property
    def link_spans(self) -> list[tuple[int, int]]:
        """Where links, domains and e-mail addresses are (their words are not prose)."""
        if "." not in self.text:
            return []
        return [m.span() for m in _LINK_RE.finditer(self.text)]

    def in_link(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.link_spans)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Sentence boundaries ``(start, end)``; a rough split good enough for windows."""
        bounds: list[tuple[int, int]] = []
        pos = 0
        for m in _SENTENCE_END_RE.finditer(self.text):
            if self.text[m.start()] == "." and m.group().startswith(". "):
                word = self.text[max(0, m.start() - 6) : m.start()].split()
                if word and word[-1].lower().lstrip("(") in _ABBREVIATIONS:
                    continue
            if m.end() > pos:
                bounds.append((pos, m.end()))
                pos = m.end()
        if pos < len(self.text):
            bounds.append((pos, len(self.text)))
        return bounds

    def sentence_of(self, offset: int) -> tuple[int, int]:
        for start, end in self.sentences:
            if start <= offset < end:
                return start, end
        return 0, len(self.text)

    def is_sentence_start(self, offset: int) -> bool:
        """True if only spaces, punctuation or emoji precede ``offset`` in its sentence."""
        start, _ = self.sentence_of(offset)
        return not any(c.isalnum() for c in self.text[start:offset])

    def window(self, start: int, end: int, chars: int) -> str:
        """The lower-cased text within ``chars`` code points on both sides of a span."""
        return self.lower[max(0, start - chars) : end + chars]

    def token_index_at(self, offset: int) -> int | None:
        for i, tok in enumerate(self.tokens):
            if tok.start <= offset < tok.end:
                return i
        return None
