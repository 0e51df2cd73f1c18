"""Terminal output in the style of ruff: the text with each span marked, then advice and
citations. Colours only on a terminal, and never when ``NO_COLOR`` is set."""

from __future__ import annotations

import os
import textwrap
import unicodedata
from collections.abc import Iterable

from ..i18n import t
from ..model import Finding, ImageSummary, Level, Report, TriageReport

__all__ = ["display_width", "render_report", "render_triage", "use_colour"]

_COLOURS = {
    Level.OK: "\x1b[32m",
    Level.ADVICE: "\x1b[36m",
    Level.WARNING: "\x1b[33m",
    Level.STOP: "\x1b[1;31m",
}
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


def use_colour(stream_isatty: bool) -> bool:
    return stream_isatty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _char_width(ch: str) -> int:
    if ch in "\u200d\ufe0f\ufe0e" or unicodedata.combining(ch):
        return 0
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (emoji are two wide, joiners zero)."""
    return sum(_char_width(c) for c in text)


class _Painter:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.colour else text


def _line_col(text: str, offset: int) -> tuple[int, int, int]:
    """(line number, column, line start offset), 1-based line and column."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1, line_start


def _render_finding(text: str, finding: Finding, paint: _Painter, source_name: str) -> list[str]:
    colour = _COLOURS[finding.severity]
    out = [
        paint(colour, t(f"level.{finding.severity.id}").upper())
        + "  "
        + paint(_BOLD, finding.rule)
        + "  "
        + finding.message
    ]
    for span in finding.spans:
        line_no, col, line_start = _line_col(text, span.start)
        line_end = text.find("\n", line_start)
        line = text[line_start : line_end if line_end != -1 else len(text)]
        gutter = " " * len(str(line_no))
        out.append(f"{gutter}--> {source_name}:{line_no}:{col}")
        out.append(f"{gutter} |")
        out.append(f"{line_no} | {line}")
        pad = display_width(line[: span.start - line_start])
        end = min(span.end, line_start + len(line))
        width = max(1, display_width(text[span.start : end]))
        out.append(f"{gutter} | " + " " * pad + paint(colour, "^" * width + f" {span.label}"))
    out.append(f"  = {t('advice')}: {finding.advice}")
    for c in finding.citations:
        kind = t("law") if c.source == "law" else t("source")
        quote = textwrap.shorten(c.quote, width=220, placeholder=" …")
        out.append(paint(_DIM, f"  = {kind}: {c.source} {c.section}: »{quote}«"))
    return out


def render_report(
    text: str,
    report: Report,
    *,
    colour: bool = False,
    source_name: str = "tekst",
    policy_name: str | None = None,
) -> str:
    paint = _Painter(colour)
    lines: list[str] = []
    for finding in report.findings:
        if finding.image is None:
            lines.extend(_render_finding(text, finding, paint, source_name))
        else:
            lines.extend(_render_image_finding(text, finding, report, paint, source_name))
        lines.append("")
    for summary in report.images:
        lines.append(paint(_DIM, _image_line(summary)))
    for notice in report.notices:
        lines.append(paint(_BOLD, "Bemærk: ") + notice)
    if report.images or report.notices:
        lines.append("")
    colour_code = _COLOURS[report.verdict]
    lines.append(
        paint(_BOLD, f"{t('verdict')}: ") + paint(colour_code, t(f"verdict.{report.verdict.id}"))
    )
    n = len(report.findings)
    lines.append(
        paint(
            _DIM,
            f"{n} {t('findings')} · {t('policy')}: {policy_name or report.policy.id} "
            f"({report.policy.id} {report.policy.version})",
        )
    )
    if report.verdict > Level.OK and report.rewrite != text:
        lines.append("")
        lines.append(paint(_BOLD, t("rewrite")))
        lines.extend("  " + ln for ln in report.rewrite.splitlines() or [""])
    return "\n".join(lines)


def _render_image_finding(
    text: str, finding: Finding, report: Report, paint: _Painter, source_name: str
) -> list[str]:
    """A finding about an image: the face boxes, or the marked text read in the image."""
    ref = finding.image
    assert ref is not None
    where = f"{ref.name} (billede {ref.index + 1})"
    summary = next((i for i in report.images if i.index == ref.index), None)
    if ref.source in ("ocr", "metadata") and summary is not None:
        image_text = summary.ocr_text if ref.source == "ocr" else summary.metadata_text
        what = "tekst i billedet" if ref.source == "ocr" else "billedtekst i metadata"
        out = _render_finding(image_text, finding, paint, f"{where}, {what}")
        if ref.boxes:
            x0 = min(b[0] for b in ref.boxes)
            y0 = min(b[1] for b in ref.boxes)
            x1 = max(b[0] + b[2] for b in ref.boxes)
            y1 = max(b[1] + b[3] for b in ref.boxes)
            at = next((i for i, ln in enumerate(out) if ln.startswith("  = ")), len(out))
            out.insert(at, f"  = i billedet: x={x0}, y={y0} ({x1 - x0}×{y1 - y0} px)")
        return out
    out = _render_finding(text, finding, paint, source_name)
    extra: list[str] = []
    for x, y, w, h in ref.boxes:
        extra.append(f"   --> {where}: ansigt ved x={x}, y={y} ({w}×{h} px)")
    if not ref.boxes:
        extra.append(f"   --> {where}: billedets metadata")
    return [out[0], *extra, *out[1:]]


def _image_line(summary: ImageSummary) -> str:
    """One line about a checked image: size, faces, GPS, text."""
    parts = [f"{summary.format} {summary.width}×{summary.height} px"]
    faces = [f for f in summary.faces if f.identifiable]
    if summary.faces:
        close = sum(1 for f in faces if f.closeup)
        small = len(summary.faces) - len(faces)
        face = f"{len(summary.faces)} ansigt{'er' if len(summary.faces) != 1 else ''}"
        notes = [f"{close} nærbillede"] if close else []
        if small:
            notes.append(f"{small} for små til at genkende")
        parts.append(face + (f" ({', '.join(notes)})" if notes else ""))
    else:
        parts.append("ingen ansigter fundet")
    if summary.gps is not None:
        parts.append(f"GPS {summary.gps[0]:.5f}, {summary.gps[1]:.5f}")
    if summary.people or summary.places or summary.timestamps:
        parts.append(
            "metadata: "
            + ", ".join(
                f"{n} {label}"
                for n, label in (
                    (len(summary.people), "navn(e)"),
                    (len(summary.places), "sted(er)"),
                    (len(summary.timestamps), "tidspunkt(er)"),
                )
                if n
            )
        )
    ocr = {
        "ok": f"tekst i billedet: {len(summary.ocr_text.split())} ord"
        if summary.ocr_text.strip()
        else "ingen tekst i billedet",
        "off": "tekst i billedet ikke læst (--no-ocr)",
        "unavailable": "tekst i billedet ikke læst (Tesseract mangler)",
        "failed": "tekstgenkendelsen mislykkedes",
        "timeout": "tekstgenkendelsen tog for lang tid",
    }.get(summary.ocr_status, summary.ocr_status)
    parts.append(ocr)
    return f"Billede {summary.index + 1}: {summary.name} – " + " · ".join(parts)


def render_lines(lines: Iterable[str]) -> str:
    return "\n".join(lines)


_CATEGORY_DA = {
    "complaint": "klage",
    "personal_data": "personoplysninger",
    "case_request": "egen sag",
    "harassment": "chikane",
    "threat": "trussel",
    "child_welfare": "bekymring for et barn",
    "question": "spørgsmål",
}


def render_triage(report: TriageReport, *, colour: bool = False) -> str:
    """A triage result: categories, what to do (with citations), and the suggested reply."""
    paint = _Painter(colour)
    code = _COLOURS[report.verdict]
    cats = ", ".join(_CATEGORY_DA.get(c, c) for c in report.categories) or "intet at gøre"
    lines = [paint(_BOLD, "Kategorier: ") + paint(code, cats)]
    for i, action in enumerate(report.actions, start=1):
        lines.append("")
        lines.append(paint(_BOLD, f"{i}. {action.title}"))
        lines.extend("   " + ln for ln in textwrap.wrap(action.steps, width=88))
        for c in action.citations:
            quote = textwrap.shorten(c.quote, width=200, placeholder=" …")
            lines.append(paint(_DIM, f"   = {c.source} {c.section}: »{quote}«"))
    if report.reply:
        lines.append("")
        lines.append(paint(_BOLD, "Forslag til svar:"))
        lines.extend("  " + ln for ln in report.reply.splitlines())
    lines.append("")
    lines.append(
        paint(
            _DIM,
            f"{t('policy')}: {report.policy.id} {report.policy.version} · "
            f"{t('verdict')}: {t(f'level.{report.verdict.id}')}",
        )
    )
    return "\n".join(lines)
