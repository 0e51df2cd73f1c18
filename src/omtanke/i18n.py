"""User-facing strings of the CLI chrome, in Danish (default) and English.

Rule messages and advice come from the policy packs, in Danish. Choose English for the
chrome with ``--lang en`` or ``OMTANKE_LANG=en``.
"""

from __future__ import annotations

import os

__all__ = ["set_language", "t"]

_STRINGS: dict[str, dict[str, str]] = {
    "verdict.ok": {"da": "OK – ingen bemærkninger.", "en": "OK – nothing to remark."},
    "verdict.advice": {
        "da": "RÅD – du kan poste, men læs rådene.",
        "en": "ADVICE – fine to post, but read the tips.",
    },
    "verdict.warning": {
        "da": "ADVARSEL – overvej at rette opslaget, før du poster.",
        "en": "WARNING – reconsider or change the post before publishing.",
    },
    "verdict.stop": {
        "da": "STOP – opslaget må ikke offentliggøres, som det står.",
        "en": "STOP – the post must not be published as written.",
    },
    "level.ok": {"da": "ok", "en": "ok"},
    "level.advice": {"da": "råd", "en": "advice"},
    "level.warning": {"da": "advarsel", "en": "warning"},
    "level.stop": {"da": "stop", "en": "stop"},
    "advice": {"da": "råd", "en": "advice"},
    "source": {"da": "kilde", "en": "source"},
    "law": {"da": "lov", "en": "law"},
    "rewrite": {"da": "Forslag til omskrivning:", "en": "Suggested rewrite:"},
    "verdict": {"da": "Samlet vurdering", "en": "Verdict"},
    "findings": {"da": "fund", "en": "findings"},
    "policy": {"da": "Regelpakke", "en": "Policy pack"},
    "error": {"da": "fejl", "en": "error"},
    "what": {"da": "Hvad reglen gør", "en": "What it does"},
    "why": {"da": "Hvorfor", "en": "Why it matters"},
    "example": {"da": "Eksempel", "en": "Example"},
    "instead": {"da": "Skriv i stedet", "en": "Write instead"},
    "citation": {"da": "Kilde", "en": "Citation"},
    "severity": {"da": "Alvor pr. kanal", "en": "Severity by channel"},
}

_lang = "en" if os.environ.get("OMTANKE_LANG", "da").lower().startswith("en") else "da"


def set_language(lang: str) -> None:
    global _lang
    _lang = "en" if lang.lower().startswith("en") else "da"


def t(key: str) -> str:
    entry = _STRINGS.get(key)
    if entry is None:
        return key
    return entry.get(_lang) or entry["da"]
