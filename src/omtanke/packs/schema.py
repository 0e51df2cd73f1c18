"""The typed form of a loaded policy pack.

A pack is YAML on disk (see ``docs/PACKS.md``); :mod:`omtanke.packs.loader` validates it
and builds these objects. Rules come in a small closed set of kinds, like Vale's:

``detector``     fires on spans a detector reports (``labels: [CPR]``)
``lexicon``      fires on words or phrases, matched on Danish stems (``terms:`` / ``lexicon:``)
``pattern``      fires on regular expressions (``patterns:``)
``conditional``  fires on a match (``if:``) only when other matches are ``near:`` it

Every kind also accepts ``unless:`` (matches that suppress the rule nearby), ``when:``
(channels, roles, kinds of text it applies to) and ``adjust:`` (severity changes under a
condition, e.g. a public municipal event).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..lexicon import TermSet
from ..model import Citation, Level

__all__ = [
    "KINDS",
    "ActionSpec",
    "Adjustment",
    "Condition",
    "CoverageEntry",
    "Example",
    "Matcher",
    "Pack",
    "Rule",
    "Section",
]

KINDS: tuple[str, ...] = ("detector", "lexicon", "pattern", "conditional")


@dataclass(frozen=True, slots=True)
class Section:
    """A section or numbered piece of advice of a guideline (or a paragraph of the law)."""

    id: str
    title: str
    anchor: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Matcher:
    """Something that yields spans: detector labels, a term set or regular expressions."""

    labels: frozenset[str] = frozenset()
    #: as a ``near`` or ``unless`` condition: its own window (else the rule's)
    window: str | int | None = None
    min_score: float = 0.5
    include_public: bool = False
    terms: TermSet | None = None
    patterns: tuple[re.Pattern[str], ...] = ()
    #: one expression, searched in the lower-cased text, that matches wherever any of
    #: ``patterns`` does: most texts match none of a rule's patterns, and one cheap scan
    #: (no IGNORECASE, no sentence-stretching filler) is much cheaper than many
    prefilter: re.Pattern[str] | None = None
    #: literals (lower-case) one of which every match of ``patterns`` contains; checked
    #: before the prefilter (see :mod:`omtanke.packs.gate`), None when there are none
    gate: tuple[frozenset[str], ...] | None = None
    #: per pattern, the same two checks (literals, then a cheap core expression): once the
    #: matcher's prefilter passes, only the patterns whose own words occur are run
    guards: tuple[tuple[tuple[frozenset[str], ...] | None, re.Pattern[str] | None], ...] = ()

    def describe(self) -> str:
        if self.labels:
            return "detektor: " + ", ".join(sorted(self.labels))
        if self.terms is not None:
            return f"ordliste ({len(self.terms)} ord)"
        return f"mønstre ({len(self.patterns)})"


@dataclass(frozen=True, slots=True)
class Condition:
    """When a rule applies, or when an adjustment kicks in. Empty means always."""

    channels: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    public_event: bool | None = None

    def holds(self, channel: str, role: str | None, kind: str, public_event: bool) -> bool:
        if self.channels and channel not in self.channels:
            return False
        if self.roles and (role or "") not in self.roles:
            return False
        if self.kinds and kind not in self.kinds:
            return False
        return self.public_event is None or self.public_event == public_event


@dataclass(frozen=True, slots=True)
class Adjustment:
    when: Condition
    severity: Mapping[str, Level | None]


@dataclass(frozen=True, slots=True)
class Example:
    """A rule's own example. ``spans`` are the marked ``[[…]]`` stretches of a bad one.

    An example with ``image`` (labels of an image's detections) has a carrier ``text``:
    the post, then one character per detection (see :mod:`omtanke.images.labels`)."""

    text: str
    spans: tuple[tuple[int, int], ...]
    channel: str | None = None
    role: str | None = None
    public_event: bool = False
    line: int = 0
    image: tuple[str, ...] = ()


@dataclass(slots=True)
class Rule:
    id: str
    pack: str
    name: str
    category: str
    kind: str
    severity: Mapping[str, Level | None]
    message: str
    advice: str
    citations: tuple[Citation, ...]
    match: Matcher
    near: tuple[Matcher, ...] = ()
    window: str | int = "sentence"
    unless: tuple[Matcher, ...] = ()
    unless_window: str | int = "text"
    when: Condition = field(default_factory=Condition)
    adjust: tuple[Adjustment, ...] = ()
    why: str = ""
    instead: str = ""
    description: str = ""
    replaces: str | None = None
    #: a safety net (the text model): its finding is dropped when another rule already
    #: found the same category
    fallback: bool = False
    #: categories that make this finding redundant: it is dropped when another finding in
    #: the same text has one of them (a general question inside a threat is no question)
    superseded_by: frozenset[str] = frozenset()
    bad: tuple[Example, ...] = ()
    good: tuple[Example, ...] = ()
    file: str = ""
    line: int = 0

    def severity_for(
        self, channel: str, role: str | None = None, kind: str = "post", public_event: bool = False
    ) -> Level | None:
        """The severity in this context, or ``None`` if the rule does not apply."""
        if not self.when.holds(channel, role, kind, public_event):
            return None
        level = self.severity.get(channel)
        for adj in self.adjust:
            if adj.when.holds(channel, role, kind, public_event) and channel in adj.severity:
                level = adj.severity[channel]
        return level

    def first_channel(self) -> str:
        """A channel where the rule is on (used to run examples that name none)."""
        for channel, level in self.severity.items():
            if level is not None and (not self.when.channels or channel in self.when.channels):
                return channel
        return "private_profile"


@dataclass(frozen=True, slots=True)
class CoverageEntry:
    section: str
    rules: tuple[str, ...] = ()
    advice_only: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """What to do with an inbox message of one category, and the reply to send."""

    id: str
    category: str
    title: str
    steps: str
    reply: str
    citations: tuple[Citation, ...] = ()


@dataclass(slots=True)
class Pack:
    """A loaded pack with its inherited rules resolved."""

    id: str
    name: str
    version: str
    path: Path
    extends: str | None
    cite_as: str
    source_text: str
    sections: dict[str, Section]
    rules: dict[str, Rule]
    own_rules: tuple[str, ...]
    coverage: dict[str, CoverageEntry]
    aliases: tuple[str, ...] = ()
    url: str | None = None
    parents: tuple[Pack, ...] = ()
    lexicons: dict[str, list[str]] = field(default_factory=dict)
    pattern_sets: dict[str, list[str]] = field(default_factory=dict)
    #: inbox category (or "private_channel", "after_hours") → action; inherited, overridable
    actions: dict[str, ActionSpec] = field(default_factory=dict)
    #: reply parts: greeting, guidance, closing; inherited, overridable
    reply_texts: dict[str, str] = field(default_factory=dict)

    def lineage(self) -> list[Pack]:
        """This pack and every pack it extends, nearest first."""
        out: list[Pack] = [self]
        for parent in self.parents:
            out.extend(p for p in parent.lineage() if p not in out)
        return out
