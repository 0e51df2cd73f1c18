"""Danish telephone numbers.

Eight digits whose first digit is 2–9, optionally after ``+45``, ``0045`` or ``(+45)``, written
together (``61229017``) or grouped 2-2-2-2 (``30 45 66 12``), 4-4 (``2287 4410``) or 3-3-2
(``228 744 10``) with spaces, dashes or dots (the same separator throughout). Digits next to
the candidate, directly or across one separator, make it part of a longer number (CPR,
account or tracking numbers) and rule it out.

Context words ("tlf", "ring", "sms", "mit nr") raise the score; bookkeeping words ("ordre",
"kr", "cvr", "sagsnr") lower it. The nearest word decides.
"""

from __future__ import annotations

import re

from ..model import Detection
from ..text import Document
from .base import BOOKKEEPING_WORDS, NearestContext, contextual_detection

__all__ = ["PhoneDetector"]

_SEP = "[ \u00a0.\\-]"
_PHONE_RE = re.compile(
    r"(?=[0-9+(])(?<![\w+])(?<![0-9][-./,\u2013])(?<![0-9][ \u00a0])"
    r"(?P<prefix>(?:\+|00)45[ \u00a0.\-]?|\(\+?45\)[ \u00a0]?)?"
    r"(?P<num>"
    rf"(?P<g2>[2-9][0-9](?P<s2>{_SEP})[0-9]{{2}}(?P=s2)[0-9]{{2}}(?P=s2)[0-9]{{2}})"
    rf"|(?P<g4>[2-9][0-9]{{3}}(?P<s4>{_SEP})[0-9]{{4}})"
    rf"|(?P<g3>[2-9][0-9]{{2}}(?P<s3>{_SEP})[0-9]{{3}}(?P=s3)[0-9]{{2}})"
    r"|(?P<plain>[2-9][0-9]{7})"
    r")"
    r"(?!\w)(?![-./,\u2013][0-9])(?![ \u00a0][0-9]{2})"
)

_POSITIVE = NearestContext(
    [
        "tlf",
        "tlf.",
        "tlf.nr",
        "tlf.nr.",
        "tlfnr",
        "telefon",
        "telefonnr",
        "telefonnummer",
        "mobil",
        "mobilnr",
        "mobilnummer",
        "mob",
        "mob.",
        "ring",
        "ringe",
        "ringer",
        "ring på",
        "ring til",
        "sms",
        "sms'e",
        "nr",
        "nr.",
        "nummer",
        "mit nr",
        "mit nr.",
        "kontakt",
        "kontakt mig",
        "whatsapp",
    ]
)
_NEGATIVE = NearestContext(
    [
        *BOOKKEEPING_WORDS,
        "konto nr",
        "konto nr.",
        "bilag nr",
        "bilag nr.",
        "sag nr",
        "sag nr.",
        "sags nr",
        "sags nr.",
        "journal nr",
        "journal nr.",
        "vare nr",
        "vare nr.",
        "pakke nr",
        "pakke nr.",
        "cvr nr",
        "cvr nr.",
        "cvrnr",
        "se-nr",
        "se-nr.",
        "ref. nr",
        "ref. nr.",
        "cpr",
        "cpr-nr",
        "cpr-nr.",
        "personnummer",
    ]
)


def _is_year(digits: str) -> bool:
    return len(digits) == 4 and 1900 <= int(digits) <= 2099


def _looks_like_date(digits: str) -> bool:
    """``20240603`` (YYYYMMDD) or ``23042024`` (DDMMYYYY)."""

    def ok(year: int, month: int, day: int) -> bool:
        return 1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31

    d = digits
    return ok(int(d[0:4]), int(d[4:6]), int(d[6:8])) or ok(int(d[4:8]), int(d[2:4]), int(d[0:2]))


class PhoneDetector:
    """Danish phone numbers, scored by prefix, grouping and context."""

    name = "phone"
    labels = frozenset({"PHONE"})

    def detect(self, doc: Document) -> list[Detection]:
        found: list[Detection] = []
        for m in _PHONE_RE.finditer(doc.text):
            num = m.group("num")
            digits = "".join(c for c in num if "0" <= c <= "9")
            prefix = m.group("prefix")
            notes: list[str] = []
            if m.group("g4") is not None:
                first, second = digits[:4], digits[4:]
                sep = m.group("s4")
                if _is_year(first) and _is_year(second) and sep != " " and not prefix:
                    continue  # a range of years: "2019-2024"
                grouping, score = "4-4", 0.75
                if _is_year(first) and sep in "-." and not prefix:
                    score -= 0.3  # "2024-7731" is more often a case number than a phone
                    notes.append("første gruppe ligner et årstal")
            elif m.group("g2") is not None:
                grouping, score = "2-2-2-2", 0.75
            elif m.group("g3") is not None:
                grouping, score = "3-3-2", 0.7
            else:
                grouping, score = "8", 0.6
                if not prefix and _looks_like_date(digits):
                    score -= 0.2
                    notes.append("ligner en dato")
            if prefix:
                score = 0.95
                notes.insert(0, "dansk telefonnummer med landekode +45")
            elif grouping == "8":
                notes.insert(0, "8 cifre i træk, første ciffer 2-9")
            else:
                notes.insert(0, f"8 cifre grupperet {grouping}")
            det = contextual_detection(
                doc,
                "PHONE",
                m.start(),
                m.end(),
                score,
                notes,
                detector=self.name,
                positive=_POSITIVE,
                negative=_NEGATIVE,
                boost=0.3,
                penalty=0.4,
                attributes={"country_code": bool(prefix), "grouping": grouping},
            )
            if det is not None:
                found.append(det)
        return found
