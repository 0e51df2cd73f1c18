"""Pure helpers for the web UI: highlighted segments, guideline sections, Danish labels.

Nothing here knows about HTTP. Offsets are Unicode code points, as in the engine: Python
``str`` indices are code points, so ``text[start:end]`` is exactly the flagged stretch, also
when emoji outside the Basic Multilingual Plane (😀, 👩‍👧) come before it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Finding, Level
from ..packs.schema import Pack, Rule, Section

__all__ = [
    "CATEGORY_NAMES",
    "CHANNEL_NAMES",
    "ENTITY_NAMES",
    "INBOX_CATEGORY_NAMES",
    "LEVEL_NAMES",
    "ROLE_NAMES",
    "STATUS_NAMES",
    "TRIAGE_VERDICT_TEXTS",
    "VERDICT_TEXTS",
    "GuidelineSection",
    "Segment",
    "SpanRef",
    "guideline_sections",
    "highlight_segments",
    "marked_example",
    "section_anchor",
    "severity_rows",
]

#: Verdict / severity level → the word shown on the banner and on finding cards.
LEVEL_NAMES: dict[str, str] = {
    "ok": "OK",
    "advice": "RÅD",
    "warning": "ADVARSEL",
    "stop": "STOP",
}

#: Verdict → the sentence under the banner (the colour never carries the meaning alone).
VERDICT_TEXTS: dict[str, str] = {
    "ok": "Ingen bemærkninger. Opslaget følger retningslinjen, så vidt Omtanke kan se.",
    "advice": "Du kan godt poste, men læs rådene nedenfor først.",
    "warning": "Overvej at rette opslaget, før du poster det.",
    "stop": "Opslaget må ikke offentliggøres, som det står.",
}

#: Triage verdicts, worded for the person who runs a page.
TRIAGE_VERDICT_TEXTS: dict[str, str] = {
    "ok": "Beskeden kræver ingen særlig handling.",
    "advice": "Læs rådene, før du svarer.",
    "warning": "Beskeden kræver handling – se nedenfor.",
    "stop": "Handl nu – se handlingerne nedenfor.",
}

CHANNEL_NAMES: dict[str, str] = {
    "private_profile": "Privat profil",
    "work_profile": "Arbejdsprofil",
    "official_page": "Officiel side (kommunens eller institutionens)",
}

ROLE_NAMES: dict[str, str] = {
    "paedagog": "Pædagog",
    "laerer": "Lærer",
    "sagsbehandler": "Sagsbehandler / socialrådgiver",
    "sosu": "SOSU-medarbejder",
    "leder": "Leder",
    "kommunikation": "Kommunikationsmedarbejder",
    "folkevalgt": "Folkevalgt",
    "it": "IT-medarbejder",
    "andet": "Andet",
}

#: Post categories (shared/eval/SCHEMA.md) in Danish.
CATEGORY_NAMES: dict[str, str] = {
    "personal_data": "Personoplysninger",
    "special_category": "Følsomme oplysninger",
    "confidentiality": "Tavshedspligt",
    "photo_consent": "Samtykke til billeder",
    "offensive": "Krænkende sprog",
    "threat": "Trusler",
    "discrimination": "Diskrimination",
    "disloyalty": "Illoyalitet",
    "capacity_unclear": "Uklart, om du skriver privat eller for kommunen",
    "security": "IT-sikkerhed",
    "boundaries": "Grænser mellem arbejde og privatliv",
}

#: Inbox (triage) categories in Danish.
INBOX_CATEGORY_NAMES: dict[str, str] = {
    "complaint": "Klage",
    "personal_data": "Personoplysninger",
    "case_request": "Sagshenvendelse",
    "harassment": "Chikane",
    "threat": "Trussel",
    "child_welfare": "Bekymring for et barn",
    "question": "Spørgsmål",
}

ENTITY_NAMES: dict[str, str] = {
    "PERSON": "Navn",
    "CPR": "CPR-nummer",
    "PHONE": "Telefonnummer",
    "EMAIL": "E-mail",
    "ADDRESS": "Adresse",
    "URL": "Link",
    "HEALTH": "Helbred",
    "SPECIAL_CATEGORY": "Følsom oplysning",
    "CRIMINAL": "Strafbare forhold",
}

#: Register statuses (the register's own Danish words), capitalised for display.
STATUS_NAMES: dict[str, str] = {
    "modtaget": "Modtaget",
    "under behandling": "Under behandling",
    "besvaret": "Besvaret",
    "videresendt": "Videresendt",
    "lukket": "Lukket",
}


@dataclass(frozen=True, slots=True)
class SpanRef:
    """One finding's span as it touches a segment."""

    finding: int  # index into the report's findings (0-based)
    rule: str
    severity: Level
    label: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch ``text[start:end]`` and the findings whose spans cover all of it."""

    start: int
    end: int
    text: str
    refs: tuple[SpanRef, ...] = ()

    @property
    def marked(self) -> bool:
        return bool(self.refs)

    @property
    def severity(self) -> str:
        """The most serious covering finding's level id (``stop``, ``warning`` …)."""
        return max((r.severity for r in self.refs), default=Level.OK).id

    @property
    def rules(self) -> str:
        """Space-separated rule ids, each once, in finding order."""
        return " ".join(dict.fromkeys(r.rule for r in self.refs))

    @property
    def labels(self) -> str:
        return " ".join(dict.fromkeys(r.label for r in self.refs if r.label))

    @property
    def findings(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(r.finding for r in self.refs))


def highlight_segments(text: str, findings: Sequence[Finding]) -> list[Segment]:
    """Cut ``text`` at every span boundary of every finding.

    The result covers the whole text in order. A segment is either plain or covered by one
    or more findings' spans (overlapping spans give several segments, each with every
    finding that covers it), so nested and overlapping spans render as flat, non-nested
    ``<mark>`` elements. Spans outside the text are clipped; empty spans are ignored, and so
    are the findings about a photo (their spans point into the text read in the photo).
    """
    n = len(text)
    spans: list[tuple[int, int, SpanRef]] = []
    for index, finding in enumerate(findings):
        if finding.image is not None:  # its spans point into the text read in a photo
            continue
        for span in finding.spans:
            start, end = max(0, span.start), min(n, span.end)
            if end > start:
                spans.append(
                    (start, end, SpanRef(index, finding.rule, finding.severity, span.label))
                )
    cuts = sorted({0, n, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        if b <= a:
            continue
        refs = tuple(ref for s, e, ref in spans if s <= a and b <= e)
        segments.append(Segment(a, b, text[a:b], refs))
    return segments


@dataclass(frozen=True, slots=True)
class GuidelineSection:
    """One section of a guideline, its verbatim text, and how it is enforced."""

    id: str
    title: str
    text: str
    rules: tuple[str, ...]
    advice_only: str


def _anchor_pattern(anchor: str) -> re.Pattern[str]:
    # pack anchors match the source with whitespace normalised (see packs/loader.py)
    return re.compile(r"\s+".join(re.escape(word) for word in anchor.split()))


_LIST_MARKER = re.compile(r"[ \t]*(?:\d{1,3}[.)]|[-–•*])[ \t]*")


def _with_marker(source: str, start: int) -> int:
    """Move a section's start back over a list marker (``3. ``, ``- ``) on its line, so the
    number belongs to its own section and not to the end of the one before."""
    line_start = source.rfind("\n", 0, start) + 1
    if _LIST_MARKER.fullmatch(source, line_start, start):
        return line_start
    return start


def guideline_sections(pack: Pack) -> tuple[str, list[GuidelineSection]]:
    """The guideline text cut into its sections, in document order.

    Each section runs from its anchor (the sentence ``pack.yml`` names) to the next
    section's anchor, so together the sections hold the source text verbatim. Returns the
    text before the first anchor (a preamble, often empty) and the sections.
    """
    source = pack.source_text
    located: list[tuple[int, Section]] = []
    unlocated: list[Section] = []
    pos = 0
    for section in pack.sections.values():
        match = None
        if section.anchor and source:
            pattern = _anchor_pattern(section.anchor)
            match = pattern.search(source, pos) or pattern.search(source)
        if match is None:
            unlocated.append(section)
            continue
        located.append((_with_marker(source, match.start()), section))
        pos = match.start() + 1
    located.sort(key=lambda item: item[0])
    out: list[GuidelineSection] = []
    for i, (start, section) in enumerate(located):
        end = located[i + 1][0] if i + 1 < len(located) else len(source)
        out.append(_section(pack, section, source[start:end].strip()))
    out.extend(_section(pack, section, section.anchor) for section in unlocated)
    preamble = source[: located[0][0]].strip() if located else source.strip()
    return preamble, out


def _section(pack: Pack, section: Section, text: str) -> GuidelineSection:
    entry = pack.coverage.get(section.id)
    return GuidelineSection(
        id=section.id,
        title=section.title,
        text=text,
        rules=entry.rules if entry else (),
        advice_only=entry.advice_only if entry else "",
    )


def marked_example(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """A rule example as (piece, marked) pairs: the ``[[…]]`` stretches are marked."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def severity_rows(rule: Rule) -> list[tuple[str, str]]:
    """(channel name, level word) for each channel; ``Slået fra`` where the rule is off."""
    rows: list[tuple[str, str]] = []
    for channel, name in CHANNEL_NAMES.items():
        level = rule.severity.get(channel)
        on = level is not None and (not rule.when.channels or channel in rule.when.channels)
        rows.append((name, LEVEL_NAMES[level.id] if on and level is not None else "Slået fra"))
    return rows


_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "§": ""})


def section_anchor(section_id: str) -> str:
    """The HTML id of a guideline section: ``HUSK-1`` → ``afsnit-husk-1``,
    ``straffeloven § 266 b`` → ``afsnit-straffeloven-266-b``."""
    slug = re.sub(r"[^a-z0-9]+", "-", section_id.lower().translate(_FOLD)).strip("-")
    return f"afsnit-{slug or 'x'}"
