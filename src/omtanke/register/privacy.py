"""What the register may store about a message: masked text and a salted fingerprint.

The register never stores the raw text of a complaint or an escalation. The caller (triage)
passes

- the **masked text**: the original with every detected piece of personal data replaced by a
  Danish placeholder — :func:`mask` does it from the detector's spans; and
- a **fingerprint** of the original: HMAC-SHA-256 of the NFC-normalised UTF-8 text, keyed with
  the register's own secret salt (:meth:`Register.fingerprint`). It proves later that a given
  text is the one that arrived (evidence), without the register holding the text; and because
  of the salt, nobody who only has the hash (for instance from a CSV export) can find a short
  text such as a CPR number by trying every candidate.

As a safety net, :func:`find_unmasked` spots a CPR number or e-mail address left in text that
is about to be stored, and the register refuses it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Protocol, runtime_checkable

from .errors import RegisterInputError

__all__ = [
    "DEFAULT_PLACEHOLDER",
    "PLACEHOLDERS",
    "SpanLike",
    "find_unmasked",
    "fingerprint",
    "mask",
    "placeholder",
]

#: Danish placeholders by entity label (the labels of shared/eval/SCHEMA.md and a few more).
PLACEHOLDERS: dict[str, str] = {
    "CPR": "[cpr-nummer]",
    "PHONE": "[telefonnummer]",
    "EMAIL": "[e-mail]",
    "ADDRESS": "[adresse]",
    "PERSON": "[navn]",
    "URL": "[link]",
    "HEALTH": "[helbred]",
    "SPECIAL_CATEGORY": "[følsom oplysning]",
    "CRIMINAL": "[strafbare forhold]",
    "CASE": "[sagsoplysning]",
    "CONFIDENTIAL": "[fortrolig oplysning]",
    "CREDENTIAL": "[adgangskode]",
}
DEFAULT_PLACEHOLDER = "[personoplysning]"

# Danish and lower-case spellings a caller may use for the same labels.
_ALIASES: dict[str, str] = {
    "CPR-NUMMER": "CPR",
    "CPRNR": "CPR",
    "TELEFON": "PHONE",
    "TELEFONNUMMER": "PHONE",
    "TLF": "PHONE",
    "E-MAIL": "EMAIL",
    "MAIL": "EMAIL",
    "ADRESSE": "ADDRESS",
    "NAVN": "PERSON",
    "PER": "PERSON",
    "LINK": "URL",
    "HELBRED": "HEALTH",
    "HEALTH_DATA": "HEALTH",
    "FØLSOM": "SPECIAL_CATEGORY",
    "SAG": "CASE",
    "ADGANGSKODE": "CREDENTIAL",
    "PASSWORD": "CREDENTIAL",
}


@runtime_checkable
class SpanLike(Protocol):
    """Anything with ``start``, ``end`` (code points, end exclusive) and ``label``."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def label(self) -> str: ...


def placeholder(label: str) -> str:
    """The Danish placeholder for an entity label (``"CPR"`` → ``"[cpr-nummer]"``)."""
    key = label.strip().upper().replace(" ", "_")
    key = _ALIASES.get(key, key)
    return PLACEHOLDERS.get(key, DEFAULT_PLACEHOLDER)


def _as_triple(span: tuple[int, int, str] | SpanLike) -> tuple[int, int, str]:
    if isinstance(span, tuple):
        if len(span) != 3:
            raise RegisterInputError("Et spænd skal være (start, slut, etiket).")
        start, end, label = span
    else:
        start, end, label = span.start, span.end, span.label
    if not isinstance(start, int) or not isinstance(end, int) or not isinstance(label, str):
        raise RegisterInputError("Et spænd skal være (start, slut, etiket) med hele tal.")
    return start, end, label


def mask(text: str, spans: Iterable[tuple[int, int, str] | SpanLike]) -> str:
    """Replace each span with the Danish placeholder for its label.

    Spans are ``(start, end, label)`` tuples or objects with those attributes (such as
    :class:`omtanke.model.Entity`), in code points of ``text``, end exclusive. Overlapping
    spans are merged into one placeholder, keeping the label of the one that starts first (the longest
    if they start together).
    """
    triples = sorted((_as_triple(s) for s in spans), key=lambda t: (t[0], -(t[1] - t[0])))
    merged: list[tuple[int, int, str]] = []
    for start, end, label in triples:
        if not 0 <= start < end <= len(text):
            raise RegisterInputError(
                f"Spændet {start}–{end} ligger uden for teksten ({len(text)} tegn)."
            )
        if merged and start < merged[-1][1]:
            first_start, first_end, first_label = merged[-1]
            merged[-1] = (first_start, max(first_end, end), first_label)
            continue
        merged.append((start, end, label))
    out: list[str] = []
    pos = 0
    for start, end, label in merged:
        out.append(text[pos:start])
        out.append(placeholder(label))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def fingerprint(text: str, salt: str) -> str:
    """HMAC-SHA-256 (hex) of the NFC-normalised UTF-8 text, keyed with the register's salt."""
    if not salt:
        raise RegisterInputError("Fingeraftrykket kræver registrets hemmelige salt.")
    data = unicodedata.normalize("NFC", text).encode("utf-8")
    return hmac.new(salt.encode("utf-8"), data, hashlib.sha256).hexdigest()


_CPR_RE = re.compile(r"(?<![\d])(\d{2})(\d{2})(\d{2})[-\s]?\d{4}(?![\d])")
_EMAIL_RE = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_OBFUSCATED_EMAIL_RE = re.compile(
    r"[\w.+\-]+\s*[(\[{]\s*(?:at|snabel-a)\s*[)\]}]\s*[\w\-]+"
    r"(?:\s*(?:\.|[(\[{]\s*dot\s*[)\]}])\s*[\w\-]+)+",
    re.IGNORECASE,
)


def _is_cpr_date(day: int, month: int, yy: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + yy, month, day)
        except ValueError:
            continue
        return True
    return False


def find_unmasked(text: str) -> str | None:
    """What personal data the register must not store is still in ``text`` (None if none).

    Looks for a CPR number (ten digits, optionally ``DDMMÅÅ-XXXX``, whose first six form a
    valid date, so that long case or order numbers pass) and an e-mail address (also written
    ``navn (at) domæne.dk``).
    """
    for m in _CPR_RE.finditer(text):
        if _is_cpr_date(int(m.group(1)), int(m.group(2)), int(m.group(3))):
            return "et CPR-nummer"
    if _EMAIL_RE.search(text) or _OBFUSCATED_EMAIL_RE.search(text):
        return "en e-mailadresse"
    return None
