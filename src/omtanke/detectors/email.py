"""E-mail addresses, plain and obfuscated.

Plain addresses (``jytte.k52@gmail.com``, Danish letters allowed in the local part) score
0.99. Obfuscated ones need an explicit marker: ``anne (at) mail.dk``, ``anne[at]mail.dk``,
``anne{at}mail.dk`` or ``anne snabel-a mail punktum dk``; they score 0.85. A bare ``@domain``
without a local part (``min @vejle.dk mail``) and social-media handles (``@anne_k``) are not
addresses. Trailing sentence punctuation is never part of the match.
"""

from __future__ import annotations

import re

from ..model import Detection
from ..text import Document

__all__ = ["EmailDetector", "email_spans"]

_LOCAL = r"[\w%+\-](?:[\w.%+\-]*[\w%+\-])?"
_LABEL = r"[^\W_](?:[\w\-]*[^\W_])?"
_LEFT = r"(?<![\w.%+\-@])"
_RIGHT = r"(?![\w\-@])"

# The top-level domain is ASCII and written in one case, so "a@b.dk.Hej" stops at ".dk".
_PLAIN_RE = re.compile(
    rf"{_LEFT}(?P<local>{_LOCAL})@(?P<domain>(?:{_LABEL}\.)+(?:[a-z]{{2,24}}|[A-Z]{{2,24}})){_RIGHT}"
)

# Obfuscated forms are matched on the lower-cased text (same length, same offsets).
_OPEN, _CLOSE = r"[\(\[\{]", r"[\)\]\}]"
_AT = (
    rf"[ \u00a0]*{_OPEN} ?(?:at|snabel-?a) ?{_CLOSE}[ \u00a0]*"
    r"|[ \u00a0]+snabel[- ]?a[ \u00a0]+"
)
_DOT_WORD = (
    rf"[ \u00a0]*{_OPEN} ?(?:dot|punktum|prik) ?{_CLOSE}[ \u00a0]*"
    r"|[ \u00a0]+(?:dot|punktum|prik)[ \u00a0]+"
)
_DOT = rf"\.|{_DOT_WORD}"
_OBFUSCATED_RE = re.compile(
    rf"{_LEFT}(?P<local>{_LOCAL})(?:{_AT})(?P<domain>(?:{_LABEL}(?:{_DOT}))+[a-z]{{2,24}}){_RIGHT}"
)
_OBFUSCATION_HINT = re.compile(r"[\(\[\{] ?(?:at|snabel)|snabel")
_DOT_WORD_RE = re.compile(_DOT_WORD)


def email_spans(doc: Document) -> list[tuple[int, int, str, bool]]:
    """``(start, end, domain, obfuscated)`` for every e-mail address in ``doc``."""
    spans: list[tuple[int, int, str, bool]] = []
    text = doc.text
    if "@" in text:
        for m in _PLAIN_RE.finditer(text):
            spans.append((m.start(), m.end(), m.group("domain").lower(), False))
    low = doc.lower
    if _OBFUSCATION_HINT.search(low):
        for m in _OBFUSCATED_RE.finditer(low):
            if any(s < m.end() and m.start() < e for s, e, _, _ in spans):
                continue
            domain = _DOT_WORD_RE.sub(".", m.group("domain"))
            spans.append((m.start(), m.end(), domain, True))
        spans.sort()
    return spans


class EmailDetector:
    """E-mail addresses: plain (0.99) or obfuscated with (at)/[at]/snabel-a (0.85)."""

    name = "email"
    labels = frozenset({"EMAIL"})

    def detect(self, doc: Document) -> list[Detection]:
        found: list[Detection] = []
        for start, end, domain, obfuscated in email_spans(doc):
            if obfuscated:
                score, why = 0.85, "e-mailadresse skrevet med '(at)' eller 'snabel-a'"
            else:
                score, why = 0.99, "e-mailadresse"
            found.append(
                Detection(
                    label="EMAIL",
                    start=start,
                    end=end,
                    score=score,
                    detector=self.name,
                    explanation=why,
                    attributes={"domain": domain, "obfuscated": obfuscated},
                )
            )
        return found
