"""Split a guideline (a pack's ``source.txt``) into passages: readable units, quoted verbatim.

A passage is a paragraph, one item of a list, or a short list with its lead-in line
("Skriv ikke noget:" and its four bullets). Its text is always ``source[start:end]``, never
rewritten. Headings are not passages of their own:

- a heading followed by exactly one paragraph is quoted with it ("2. Beskyt dine private
  oplysninger" and the paragraph under it);
- a heading over several paragraphs or a list ("HUSK", "Gode råd om …") is kept as the
  *context* of each passage under it (searched, shown, but not part of the quote);
- in the law, the first line of a block ("Forvaltningsloven § 27, stk. 1") is the context of
  the paragraph below it.

Each passage carries the sections of the pack (``pack.yml``) whose anchors lie in it, with the
stretch of the passage that belongs to each; a paragraph with no anchor of its own (an
introduction such as "Her kommer 4 ting …") is left out, since it cannot be cited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["SectionSpan", "Segment", "find_anchor", "segment"]

_MARKER_RE = re.compile(r"[ \t]*(?:[-•*]|\d{1,2}\.)[ \t]+")
_NUMBERED_RE = re.compile(r"[ \t]*\d{1,2}\.[ \t]+")
_SENTENCE_END = tuple(".!?…\"'”’)")
_HEADING_MAX = 120


@dataclass(frozen=True, slots=True)
class SectionSpan:
    """The stretch ``[start, end)`` of a passage that belongs to section ``id``."""

    id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """One passage of a guideline. Offsets are code points into the pack's ``source.txt``."""

    pack: str
    index: int
    start: int
    end: int
    text: str
    #: the heading over the passage when it is not part of the quote ("" if none)
    heading: str
    #: the section whose anchor is that heading, if any
    heading_section: str | None
    sections: tuple[SectionSpan, ...]
    #: True for one item of a list (a bullet or a numbered piece of advice)
    list_item: bool = False

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class _Block:
    lines: list[_Line]
    kind: str = "paragraph"  # heading | lead | list | paragraph

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end


def find_anchor(source: str, anchor: str, start: int = 0) -> int:
    """Where ``anchor`` occurs in ``source`` (any run of whitespace matching any other), or -1.

    Searches from ``start`` first, then from the beginning.
    """
    words = anchor.split()
    if not words:
        return -1
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    m = pattern.search(source, start) or pattern.search(source)
    return m.start() if m else -1


def _lines(source: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in source.split("\n"):
        text = raw.rstrip("\r")
        stripped = text.strip()
        if stripped:
            lead = len(text) - len(text.lstrip())
            out.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        else:
            out.append(_Line(pos, pos, ""))
        pos += len(raw) + 1
    return out


def _blocks(source: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[_Line] = []
    for line in _lines(source):
        if line.text:
            current.append(line)
        elif current:
            blocks.append(_Block(current))
            current = []
    if current:
        blocks.append(_Block(current))
    # A sentence broken by a blank line ("… kommenterer på\n\noffentligt tilgængelige sider")
    # is one block.
    merged: list[_Block] = []
    for block in blocks:
        prev = merged[-1] if merged else None
        if prev is not None and _continues(prev, block.lines[0].text):
            prev.lines.extend(block.lines)
        else:
            merged.append(block)
    for block in merged:
        block.kind = _kind(block)
    return merged


def _continues(prev: _Block, first: str) -> bool:
    """True if ``first`` (a block's first line) continues the sentence ending ``prev``."""
    last = prev.lines[-1].text
    return (
        first[:1].islower()
        and not last.endswith((*_SENTENCE_END, ":"))
        and len(last) > _HEADING_MAX // 2
    )


def _kind(block: _Block) -> str:
    first = block.lines[0].text
    if len(block.lines) == 1:
        if first.endswith(":"):
            return "lead"
        if len(first) <= _HEADING_MAX and (
            not first.endswith(_SENTENCE_END) or _NUMBERED_RE.match(first)
        ):
            return "heading"
    if len(block.lines) > 1 and all(_MARKER_RE.match(line.text) for line in block.lines):
        return "list"
    return "paragraph"


def _inline_heading(block: _Block) -> _Line | None:
    """The first line of a paragraph block when it is a heading ("Straffeloven § 152")."""
    if len(block.lines) < 2:
        return None
    first, second = block.lines[0], block.lines[1]
    if (
        len(first.text) <= _HEADING_MAX
        and not first.text.endswith((*_SENTENCE_END, ":", ","))
        and not second.text[:1].islower()
        and not _MARKER_RE.match(first.text)
    ):
        return first
    return None


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    heading: str
    heading_start: int
    heading_end: int
    list_item: bool = False


def _raw_passages(source: str) -> list[_Raw]:
    blocks = _blocks(source)
    out: list[_Raw] = []
    context: list[_Line] = []
    context_closed = False  # a passage has followed the current context headings
    i = 0

    def ctx() -> tuple[str, int, int]:
        if not context:
            return "", -1, -1
        return " – ".join(line.text for line in context), context[0].start, context[-1].end

    while i < len(blocks):
        block = blocks[i]
        if block.kind == "heading":
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            after = blocks[i + 2] if i + 2 < len(blocks) else None
            if (
                nxt is not None
                and nxt.kind == "paragraph"
                and _inline_heading(nxt) is None
                and (after is None or after.kind == "heading")
            ):
                # a heading over exactly one paragraph: quote them together
                context = []
                out.append(_Raw(block.start, nxt.end, "", -1, -1))
                i += 2
                continue
            if context_closed:
                context = []
                context_closed = False
            context.append(block.lines[0])
            i += 1
            continue
        heading, heading_start, heading_end = ctx()
        if block.kind == "lead" and i + 1 < len(blocks) and blocks[i + 1].kind != "heading":
            out.append(_Raw(block.start, blocks[i + 1].end, heading, heading_start, heading_end))
            i += 2
        elif block.kind == "list":
            items: list[list[_Line]] = []
            for line in block.lines:
                if _MARKER_RE.match(line.text) or not items:
                    items.append([line])
                else:
                    items[-1].append(line)
            for item in items:
                out.append(
                    _Raw(item[0].start, item[-1].end, heading, heading_start, heading_end, True)
                )
            i += 1
        else:
            inline = _inline_heading(block)
            if inline is not None:
                rest = block.lines[1:]
                out.append(_Raw(rest[0].start, rest[-1].end, inline.text, inline.start, inline.end))
            else:
                out.append(_Raw(block.start, block.end, heading, heading_start, heading_end))
            i += 1
        context_closed = True
    return out


def segment(pack: str, source: str, anchors: Iterable[tuple[str, str]]) -> list[Segment]:
    """The passages of ``source``. ``anchors`` are ``(section id, anchor text)`` in the pack's
    order; each is looked for after the previous one."""
    positions: list[tuple[int, str]] = []
    pos = 0
    for sid, anchor in anchors:
        at = find_anchor(source, anchor, pos)
        if at >= 0:
            positions.append((at, sid))
            pos = at
    positions.sort()
    out: list[Segment] = []
    for raw in _raw_passages(source):
        inside = [(at, sid) for at, sid in positions if raw.start <= at < raw.end]
        in_heading = [sid for at, sid in positions if raw.heading_start <= at < raw.heading_end]
        heading_section = in_heading[-1] if in_heading else None
        if not inside:  # nothing in it can be cited ("Her kommer 4 ting …")
            continue
        spans = _section_spans(raw.start, raw.end, inside)
        out.append(
            Segment(
                pack=pack,
                index=len(out),
                start=raw.start,
                end=raw.end,
                text=source[raw.start : raw.end],
                heading=raw.heading,
                heading_section=heading_section,
                sections=spans,
                list_item=raw.list_item,
            )
        )
    return out


def _section_spans(
    start: int, end: int, inside: Sequence[tuple[int, str]]
) -> tuple[SectionSpan, ...]:
    spans: list[SectionSpan] = []
    for k, (at, sid) in enumerate(inside):
        s = start if k == 0 else at
        e = inside[k + 1][0] if k + 1 < len(inside) else end
        spans.append(SectionSpan(sid, s, e))
    return tuple(spans)
