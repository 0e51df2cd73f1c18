"""CPR numbers (Danish personal identification numbers) in every written form.

A CPR number is ``DDMMYY-SSSS``: a birth date and a four-digit serial whose first digit,
together with the year, gives the century. We accept the number with or without a separator
(``120379-3649``, ``120379 3649``, ``1203793649``), with a dotted date (``12.03.79-3649``)
and spelled out digit by digit (``1 2 0 3 7 9 - 3 6 4 9``). The date must be a real calendar
day that is not in the future. Modulus 11 is extra evidence only: numbers issued since 2007
may fail it.

Context words such as "cpr" or "personnummer" raise the score; bookkeeping words ("ordrenr",
"faktura", "konto") lower it. Where both occur, the word nearest the number decides
(:class:`NearestContext`, also used by the phone detector).
"""

from __future__ import annotations

import datetime as _dt
import re

from ..model import Detection
from ..text import Document
from .base import BOOKKEEPING_WORDS, NearestContext, contextual_detection

__all__ = ["CprDetector", "cpr_birth_date", "cpr_mod11"]

# Letters only (not digits): "5000kr" still counts as the word "kr", "ordrenr" is not "nr".
_SP = "[ \u00a0]"
_DASHES = "-\u2010\u2011\u2013"
_DASH = f"[{_DASHES}]"
# Digits around the candidate, directly or across a single separator, make it part of a
# longer number (account numbers, tracking numbers, IBAN): no match then.
# (the leading lookahead is for speed: most positions are not digits)
_LEFT = r"(?=[0-9])(?<!\w)(?<![0-9][-./,\u2013])(?<![0-9][ \u00a0])"
_RIGHT = r"(?!\w)(?![-./,\u2013][0-9])(?![ \u00a0][0-9]{3})"

_CPR_RE = re.compile(
    _LEFT
    + "(?:"
    # 120379-3649, 1203793649, 120379 3649, 120379 - 3649, 12.03.79-3649, 12-03-79 3649
    + r"(?P<dd>[0-9]{2})(?P<s1>[./-]|[ \u00a0])?(?P<mm>[0-9]{2})(?(s1)(?P=s1))(?P<yy>[0-9]{2})"
    + rf"(?P<s2>{_SP}?{_DASH}{_SP}?|[./ \u00a0])?"
    + r"(?P<serial>[0-9]{4})"
    + "|"
    # 1 2 0 3 7 9 - 3 6 4 9
    + rf"(?P<spaced>[0-9](?:{_SP}[0-9]){{5}}(?:{_SP}?{_DASH})?{_SP}[0-9](?:{_SP}[0-9]){{3}})"
    + ")"
    + _RIGHT
)

_POSITIVE = NearestContext(
    [
        "cpr",
        "cpr-nr",
        "cpr-nr.",
        "cpr.nr",
        "cpr.nr.",
        "cpr nr",
        "cpr nr.",
        "cprnr",
        "cprnr.",
        "cpr-nummer",
        "cpr nummer",
        "cprnummer",
        "personnummer",
        "personnr",
        "personnr.",
        "pers.nr",
        "pers.nr.",
        "født",
        "fødselsdato",
        "fødselsnummer",
    ]
)
_NEGATIVE = NearestContext([*BOOKKEEPING_WORDS, "tlf", "tlf."])

_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def cpr_mod11(digits: str) -> bool:
    """True if the ten ``digits`` pass the (pre-2007) modulus 11 check."""
    return sum(int(c) * w for c, w in zip(digits, _WEIGHTS, strict=True)) % 11 == 0


def cpr_birth_date(digits: str, today: _dt.date | None = None) -> _dt.date | None:
    """The birth date encoded by ten CPR ``digits``, or ``None`` if it is no real past date.

    The 7th digit with the two-digit year gives the century: 0–3 → 1900s; 4 and 9 → 2000s
    for years 00–36, else 1900s; 5–8 → 2000s for 00–57, else 1800s.
    """
    dd, mm, yy, d7 = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    if d7 <= 3:
        century = 1900
    elif d7 in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    try:
        born = _dt.date(century + yy, mm, dd)
    except ValueError:
        return None
    if born > (today or _dt.date.today()):
        return None
    return born


class CprDetector:
    """CPR numbers: a valid birth date and century, scored by form, modulus 11 and context."""

    name = "cpr"
    labels = frozenset({"CPR"})

    def detect(self, doc: Document) -> list[Detection]:
        text = doc.text
        found: list[Detection] = []
        today: _dt.date | None = None
        for m in _CPR_RE.finditer(text):
            span = m.group()
            digits = "".join(c for c in span if "0" <= c <= "9")
            if today is None:
                today = _dt.date.today()
            if cpr_birth_date(digits, today) is None:
                continue
            if m.group("spaced") is not None:
                form, score, why = "spaced", 0.75, "cifre skrevet med mellemrum"
            else:
                s1, s2 = m.group("s1"), m.group("s2") or ""
                dash = any(c in _DASHES for c in s2)
                if s1:
                    form, why = "dotted", "dato med skilletegn"
                    score = 0.8 if dash else 0.6
                elif dash or (s2 and not s2.strip()):
                    form, score, why = "separator", 0.8, "skrevet som dato og løbenummer"
                elif s2:
                    form, score, why = "separator", 0.7, "skrevet som dato og løbenummer"
                else:
                    form, score, why = "compact", 0.55, "10 cifre i træk"
            mod11 = cpr_mod11(digits)
            notes = [f"gyldig dato og århundrede, {why}"]
            if mod11:
                score += 0.1
                notes.append("modulus 11 opfyldt")
            else:
                notes.append("modulus 11 ikke opfyldt (tilladt efter 2007)")
            det = contextual_detection(
                doc,
                "CPR",
                m.start(),
                m.end(),
                score,
                notes,
                detector=self.name,
                positive=_POSITIVE,
                negative=_NEGATIVE,
                boost=0.4,
                penalty=0.45,
                attributes={"mod11": mod11, "form": form},
            )
            if det is not None:
                found.append(det)
        return found
