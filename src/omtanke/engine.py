"""The check engine: text + context → :class:`~omtanke.model.Report`.

A post flows through four steps:

1. **validate** the text (not empty, not over the limit) and the context (known municipality,
   channel, role);
2. **detect**: the detectors the pack needs run once on a :class:`~omtanke.text.Document`
   and report labelled spans with scores;
3. **rules**: every rule of the municipality's pack that applies in this channel turns
   detections, words and patterns into findings with spans, severity and citations;
4. **report**: the verdict is the most serious finding; personal-data entities are listed,
   and a rewrite replaces them with neutral words.

The engine imports no front end (CLI, HTTP API, web UI, audit).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .detectors import DETECTORS, get_detector
from .detectors.contacts import mark_official_contacts
from .errors import ContextError, EmptyTextError, TextTooLongError
from .model import (
    CHANNELS,
    ENTITY_LABELS,
    ROLES,
    CheckContext,
    Detection,
    Entity,
    Finding,
    ImageRef,
    Level,
    PolicyRef,
    Report,
    Span,
    TriageReport,
)
from .packs.gate import GATES, gate_text
from .packs.loader import PackLoader
from .packs.schema import Matcher, Pack, Rule
from .rewrite import rewrite
from .text import Document

if TYPE_CHECKING:
    from .images import ImageInput

__all__ = ["DEFAULT_MAX_CHARS", "Engine"]

DEFAULT_MAX_CHARS = 50_000

_CHANNEL_ALIASES = {
    "private_profile": "private_profile",
    "privat": "private_profile",
    "privat_profil": "private_profile",
    "private": "private_profile",
    "work_profile": "work_profile",
    "arbejde": "work_profile",
    "arbejdsprofil": "work_profile",
    "work": "work_profile",
    "official_page": "official_page",
    "officiel": "official_page",
    "officiel_side": "official_page",
    "official": "official_page",
    "side": "official_page",
}

# When spans of different labels overlap, the first label in this order wins.
_LABEL_PRIORITY = ("EMAIL", "URL", "CPR", "PHONE", "ADDRESS", "PERSON")

_Hit = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one evaluation runs for a pack and a context: the rules that apply, with their
    severity, and the detectors whose labels some of those rules read."""

    pack: Pack  # kept so the cache key (the pack's id) is never reused
    rules: tuple[tuple[Rule, Level], ...]
    detectors: tuple[str, ...]


class Engine:
    """Checks texts against policy packs. Thread-safe; load once, check many.

    >>> engine = Engine()
    >>> report = engine.check("Ring til mig på 40 12 88 93", municipality="vejle")
    """

    def __init__(
        self,
        pack_paths: Iterable[Path] = (),
        *,
        max_chars: int = DEFAULT_MAX_CHARS,
    ) -> None:
        self.loader = PackLoader(list(pack_paths))
        self.max_chars = max_chars
        self._lock = threading.Lock()
        self._packs: dict[str, Pack] = {}
        self._plans: dict[tuple[Any, ...], _Plan] = {}

    # -- context -------------------------------------------------------------------------
    def municipalities(self) -> dict[str, str]:
        """Pack id → display name, for every pack except ``base``."""
        out: dict[str, str] = {}
        for pid in sorted(self.loader.available()):
            if pid != "base":
                out[pid] = self.pack(pid).name
        return out

    def resolve_municipality(self, name: str) -> str:
        key = name.strip().lower().removesuffix(" kommune")
        aliases = self.loader.aliases()
        pid = aliases.get(key)
        if pid is None or pid == "base":
            known = ", ".join(p for p in sorted(self.loader.available()) if p != "base")
            raise ContextError(f"Ukendt kommune '{name}'. Kendte kommuner: {known}.")
        return pid

    def pack(self, municipality: str) -> Pack:
        pid = self.resolve_municipality(municipality) if municipality != "base" else "base"
        pack = self._packs.get(pid)
        if pack is None:
            with self._lock:
                pack = self._packs.get(pid) or self.loader.load(pid)
                self._packs[pid] = pack
        return pack

    @staticmethod
    def resolve_channel(channel: str) -> str:
        key = channel.strip().lower().replace("-", "_").replace(" ", "_")
        resolved = _CHANNEL_ALIASES.get(key)
        if resolved is None:
            raise ContextError(f"Ukendt kanal '{channel}'. Brug {', '.join(CHANNELS)}.")
        return resolved

    @staticmethod
    def resolve_role(role: str | None) -> str | None:
        if role is None or role == "":
            return None
        key = role.strip().lower().replace("æ", "ae")
        if key not in ROLES:
            raise ContextError(f"Ukendt rolle '{role}'. Brug {', '.join(ROLES)}.")
        return key

    def make_context(
        self,
        municipality: str,
        channel: str = "private_profile",
        role: str | None = None,
        public_event: bool = False,
        kind: str = "post",
    ) -> CheckContext:
        if kind not in ("post", "inbox"):
            raise ContextError(f"Ukendt tekstart '{kind}'. Brug post eller inbox.")
        return CheckContext(
            municipality=self.resolve_municipality(municipality),
            channel=self.resolve_channel(channel),
            role=self.resolve_role(role),
            public_event=public_event,
            kind=kind,
        )

    # -- checking ------------------------------------------------------------------------
    def validate_text(self, text: str) -> None:
        if not text or not text.strip():
            raise EmptyTextError()
        if len(text) > self.max_chars:
            raise TextTooLongError(len(text), self.max_chars)

    def check(
        self,
        text: str,
        context: CheckContext | None = None,
        *,
        municipality: str | None = None,
        channel: str = "private_profile",
        role: str | None = None,
        public_event: bool = False,
        images: Sequence[ImageInput] = (),
        ocr: bool = True,
    ) -> Report:
        """Check one text. Give either a :class:`CheckContext` or the keyword arguments.

        With ``images`` (JPEG or PNG; see docs/IMAGES.md) the text may be empty, and ``ocr``
        says whether the text in the images is read."""
        if context is None:
            if municipality is None:
                raise ContextError("Angiv kommune (municipality).")
            context = self.make_context(municipality, channel, role, public_event)
        if not images or text.strip():
            self.validate_text(text)
        elif len(text) > self.max_chars:
            raise TextTooLongError(len(text), self.max_chars)
        pack = self.pack(context.municipality)
        memo: dict[str, Any] = {}  # detector results the re-check of the rewrite reuses
        findings, entities = self._evaluate(text, context, pack, memo) if text.strip() else ([], ())
        rewritten = self._rewrite(text, context, pack, findings, entities, memo)
        checked = None
        if images:
            from .images.check import check_images, merge_findings

            checked = check_images(self, text, context, pack, images, ocr=ocr)
            findings = merge_findings(findings, checked.findings)
        verdict = max((f.severity for f in findings), default=Level.OK)
        return Report(
            verdict=verdict,
            findings=tuple(findings),
            entities=entities,
            rewrite=rewritten,
            policy=PolicyRef(pack.id, pack.version),
            images=checked.images if checked else (),
            notices=checked.notices if checked else (),
        )

    def _plan(self, pack: Pack, context: CheckContext, minimum: Level = Level.ADVICE) -> _Plan:
        """The rules that apply in ``context`` at ``minimum`` severity or above, and the
        detectors they need (cached per pack and context).

        Every detector that reports entities always runs: the report lists them and the
        rewrite replaces them. A rule below ``minimum`` still runs when its finding could
        drop one at or above it (a fallback rule of its category, or a rule its category
        supersedes), so findings are dropped exactly as in a full evaluation.
        """
        key = (
            id(pack),
            context.channel,
            context.role,
            context.kind,
            context.public_event,
            int(minimum),
        )
        plan = self._plans.get(key)
        if plan is not None:
            return plan
        applying = [
            (rule, severity)
            for rule in pack.rules.values()
            if (
                severity := rule.severity_for(
                    context.channel, context.role, context.kind, context.public_event
                )
            )
            is not None
        ]
        companions = {r.category for r, sev in applying if r.fallback and sev >= minimum}
        for r, sev in applying:
            if sev >= minimum:
                companions |= r.superseded_by
        rules = tuple((r, sev) for r, sev in applying if sev >= minimum or r.category in companions)
        read: set[str] = set(ENTITY_LABELS)
        for rule, _ in rules:
            for m in (rule.match, *rule.near, *rule.unless):
                read.update(m.labels)
        detectors = tuple(name for name, spec in DETECTORS.items() if spec.labels & read)
        plan = _Plan(pack, rules, detectors)
        with self._lock:
            self._plans[key] = plan
        return plan

    def _evaluate(
        self,
        text: str,
        context: CheckContext,
        pack: Pack,
        memo: dict[str, Any] | None = None,
        minimum: Level = Level.ADVICE,
    ) -> tuple[list[Finding], tuple[Entity, ...]]:
        """Findings (at ``minimum`` severity or above) and entities of one text."""
        memo = {} if memo is None else memo
        memo["channel"] = context.channel  # the text model weighs the channel and role too
        memo["kind"] = context.kind
        memo["role"] = context.role
        plan = self._plan(pack, context, minimum)
        doc = Document(text, memo)
        detections = self._detect(doc, plan.detectors)
        findings: list[Finding] = []
        for rule, severity in plan.rules:
            hits = self.run_rule(rule, doc, detections)
            if not hits:
                continue
            spans = tuple(Span(s, e, label, text[s:e]) for s, e, label in hits)
            findings.append(finding_for(rule, severity, spans))
        findings = _drop_redundant(findings, pack)
        findings.sort(key=lambda f: (-f.severity, f.spans[0].start if f.spans else 0, f.rule))
        entities = tuple(
            Entity(
                d.start,
                d.end,
                d.label,
                text[d.start : d.end],
                d.score,
                bool(d.attributes.get("public", False)),
            )
            for d in detections
            if d.label in ENTITY_LABELS and d.score >= 0.5
        )
        return findings, entities

    def _rewrite(
        self,
        text: str,
        context: CheckContext,
        pack: Pack,
        findings: list[Finding],
        entities: tuple[Entity, ...],
        memo: dict[str, Any] | None = None,
    ) -> str:
        """Replace what the findings flagged, re-check, and repeat (at most three rounds).

        The first round replaces what every finding flagged; the re-check asks only whether
        the suggestion still needs a change (a warning or a stop), so it runs only the rules
        that can say so and the detectors they read."""
        current = text
        for _ in range(3):
            if not any(f.severity >= Level.WARNING for f in findings):
                break
            new = rewrite(current, entities, findings)
            if new == current:
                break
            current = new
            findings, entities = self._evaluate(current, context, pack, memo, Level.WARNING)
        return current

    def triage(
        self,
        text: str,
        context: CheckContext | None = None,
        *,
        municipality: str | None = None,
        channel: str = "official_page",
        received_at: datetime | None = None,
    ) -> TriageReport:
        """Triage a citizen message: categories, actions, a reply (see :mod:`omtanke.triage`)."""
        from .triage import triage

        if context is None:
            if municipality is None:
                raise ContextError("Angiv kommune (municipality).")
            ctx = self.make_context(municipality, channel, kind="inbox")
            context = CheckContext(
                ctx.municipality, ctx.channel, ctx.role, False, "inbox", received_at
            )
        return triage(self, text, context)

    def check_many(self, items: Sequence[tuple[str, CheckContext]]) -> list[Report]:
        return [self.check(text, ctx) for text, ctx in items]

    # -- detection -----------------------------------------------------------------------
    def detect(self, doc: Document, pack: Pack | None = None) -> list[Detection]:
        """Run every detector (all of them report entities) and resolve overlaps."""
        del pack  # every detector runs: entities are reported whatever the pack uses
        return self._detect(doc, tuple(DETECTORS))

    @staticmethod
    def _detect(doc: Document, names: Sequence[str]) -> list[Detection]:
        raw: list[Detection] = []
        for name in names:
            raw.extend(get_detector(name).detect(doc))
        return mark_official_contacts(doc, _resolve_cross_label(raw))

    # -- rules ---------------------------------------------------------------------------
    def run_rule(self, rule: Rule, doc: Document, detections: list[Detection]) -> list[_Hit]:
        """The spans rule ``rule`` flags in ``doc`` (empty if it does not fire)."""
        state = doc.__dict__.get("_rule_state")
        if state is None or state.detections is not detections:
            state = doc.__dict__["_rule_state"] = _RuleState(doc, detections)
        cache = state.cache

        def hits(m: Matcher, label: str) -> list[_Hit]:
            key = (id(m), label)
            found = cache.get(key)
            if found is None:
                found = cache[key] = _match(m, doc, state, label)
            return found

        label = rule.category.upper()
        candidates = hits(rule.match, label)
        if not candidates:
            return []
        if rule.near:
            candidates = [
                c
                for c in candidates
                if all(
                    _near(doc, c, hits(n, label), rule.window if n.window is None else n.window)
                    for n in rule.near
                )
            ]
        if rule.unless:
            candidates = [
                c
                for c in candidates
                if not any(
                    _near(
                        doc,
                        c,
                        hits(u, label),
                        rule.unless_window if u.window is None else u.window,
                    )
                    for u in rule.unless
                )
            ]
        return _merge(candidates)


class _RuleState:
    """What the rules of one evaluation share: matcher results, detections by label, and
    which gate literals occur in the text (one Aho–Corasick pass, on first use)."""

    __slots__ = ("_lower", "_present", "by_label", "cache", "detections")

    def __init__(self, doc: Document, detections: list[Detection]) -> None:
        self.detections = detections
        self.cache: dict[tuple[int, str], list[_Hit]] = {}
        self.by_label: dict[str, list[Detection]] = {}
        for d in detections:
            self.by_label.setdefault(d.label, []).append(d)
        self._lower = doc.lower
        self._present: set[str] | None = None

    @property
    def present(self) -> set[str]:
        if self._present is None:
            self._present = GATES.present(gate_text(self._lower))
        return self._present


def _drop_redundant(findings: list[Finding], pack: Pack) -> list[Finding]:
    """Drop the findings another finding makes redundant: a fallback (the text model) when
    a rule already found its category, and a rule's finding when a category in its
    ``superseded_by`` was found."""
    rules = pack.rules
    if not any(rules[f.rule].fallback or rules[f.rule].superseded_by for f in findings):
        return findings
    covered = {f.category for f in findings if not rules[f.rule].fallback}
    findings = [f for f in findings if not rules[f.rule].fallback or f.category not in covered]
    found = {f.category for f in findings}
    return [f for f in findings if rules[f.rule].superseded_by.isdisjoint(found - {f.category})]


def finding_for(
    rule: Rule, severity: Level, spans: tuple[Span, ...], image: ImageRef | None = None
) -> Finding:
    """The finding rule ``rule`` makes at ``spans`` (shared with the photo checks)."""
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=severity,
        message=rule.message,
        advice=rule.advice,
        spans=spans,
        citations=rule.citations,
        image=image,
    )


def _match(m: Matcher, doc: Document, state: _RuleState, label: str) -> list[_Hit]:
    out: list[_Hit] = []
    for wanted in m.labels:
        for d in state.by_label.get(wanted, ()):
            if d.score >= m.min_score and (
                m.include_public
                or not (d.attributes.get("public", False) or d.attributes.get("self", False))
            ):
                out.append((d.start, d.end, d.label))
    if m.terms is not None:
        key = (id(m.terms), "")
        term_hits = state.cache.get(key)
        if term_hits is None:
            term_hits = state.cache[key] = [(s, e, "") for s, e, _term in m.terms.find(doc)]
        out.extend((s, e, label) for s, e, _ in term_hits)
    if m.gate is not None and not GATES.passes(m.gate, state.present):
        return out
    if not m.guards and m.prefilter is not None and m.prefilter.search(doc.lower) is None:
        return out  # (with guards, each pattern's own core is cheaper than the union)
    for i, pattern in enumerate(m.patterns):
        if m.guards:
            gate, core = m.guards[i]
            if gate is not None and not GATES.passes(gate, state.present):
                continue
            if core is not None and core.search(doc.lower) is None:
                continue
        for mt in pattern.finditer(doc.text):
            if "span" in pattern.groupindex and mt.group("span") is not None:
                s, e = mt.span("span")
            else:
                s, e = mt.span()
            if e > s:
                out.append((s, e, label))
    return out


def _merge(hits: list[_Hit]) -> list[_Hit]:
    """Sorted hits with overlapping ones merged (one rule never reports nested spans)."""
    out: list[_Hit] = []
    for start, end, label in sorted(set(hits)):
        if out and start < out[-1][1]:
            prev = out[-1]
            out[-1] = (prev[0], max(prev[1], end), prev[2])
        else:
            out.append((start, end, label))
    return out


def _near(doc: Document, hit: _Hit, others: list[_Hit], window: str | int) -> bool:
    if not others:
        return False
    if window == "text":
        return True
    start, end = hit[0], hit[1]
    if window == "sentence":
        s0, s1 = doc.sentence_of(start)
        return any(o[0] < s1 and o[1] > s0 for o in others)
    w = int(window)
    return any(o[0] < end + w and o[1] > start - w for o in others)


def _resolve_cross_label(detections: list[Detection]) -> list[Detection]:
    """Drop a detection that overlaps a higher-priority label (an e-mail is not a URL)."""
    rank = {label: i for i, label in enumerate(_LABEL_PRIORITY)}
    # only the identifiers compete; a sentence-wide OFFENSIVE or TEXT_* detection must not
    # swallow the HEALTH word inside it
    others = [d for d in detections if d.label not in rank]
    ordered = sorted(
        (d for d in detections if d.label in rank),
        key=lambda d: (rank[d.label], -(d.end - d.start), -d.score),
    )
    kept: list[Detection] = []
    for det in ordered:
        clash = next((k for k in kept if k.overlaps(det.start, det.end)), None)
        if clash is None:
            kept.append(det)
    return sorted([*kept, *others], key=lambda d: (d.start, d.end))
