"""``Guide``: answer questions from the guidelines, and compare them on a topic.

>>> guide = Guide()
>>> answer = guide.ask("må jeg være ven med forældrene på Facebook?")
>>> [(p.municipality, p.section) for p in answer.passages]
>>> guide.compare("kodeord").to_dict()

The index is built on first use, once, under a lock; afterwards a ``Guide`` is read-only and
can be shared between threads (the HTTP API keeps one).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..errors import ContextError, QuestionError
from ..packs.loader import PackLoader
from ..packs.schema import Pack
from .analysis import DATA_DIR, Analyzer, QueryWord, Vocabulary, key, load_vocabulary
from .index import Index, Scored
from .model import (
    NOT_COVERED_MESSAGE,
    Answer,
    Comparison,
    MunicipalityPosition,
    Passage,
    QueryTerm,
    Topic,
)
from .passages import Segment, segment

if TYPE_CHECKING:
    from ..engine import Engine

__all__ = [
    "MAX_LIMIT",
    "MAX_QUESTION_CHARS",
    "MIN_CONFIDENCE",
    "MIN_CONFIDENCE_LONG",
    "MIN_GAIN",
    "Guide",
    "load_topics",
]

MAX_QUESTION_CHARS = 1_000
MAX_LIMIT = 20
#: A question is covered when its best passage holds at least MIN_CONFIDENCE of the
#: question's information (the idf of its words, see index.py), or, for a long question,
#: at least MIN_CONFIDENCE_LONG of it and MIN_GAIN in absolute terms (about one word found
#: in a single passage plus a common one). Calibrated on the tuning questions.
MIN_CONFIDENCE = 0.5
MIN_CONFIDENCE_LONG = 0.3
MIN_GAIN = 4.0
#: passages after the first are shown down to this share of the best confidence
RELATIVE_CUTOFF = 0.5
#: passages per municipality in a comparison
COMPARE_LIMIT = 3
LAW_PACK = "base"


def load_topics(path: Path | None = None) -> list[Topic]:
    """Read the compare topics (``data/topics.yml``)."""
    file = path or DATA_DIR / "topics.yml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or not isinstance(data.get("topics"), list):
        raise ValueError(f"{file}: forventede 'topics:' som en liste")
    out: list[Topic] = []
    for i, raw in enumerate(data["topics"]):
        if not isinstance(raw, Mapping) or not raw.get("id") or not raw.get("label"):
            raise ValueError(f"{file}: emne nr. {i + 1} mangler id eller label")
        require = raw.get("require") or []
        if not isinstance(require, list) or not all(isinstance(g, list) and g for g in require):
            raise ValueError(f"{file}: {raw['id']}: 'require' skal være en liste af ordlister")
        out.append(
            Topic(
                id=str(raw["id"]),
                label=str(raw["label"]),
                aliases=tuple(str(a) for a in raw.get("aliases") or []),
                query=str(raw.get("query") or raw["label"]),
                require=tuple(tuple(str(w).lower() for w in g) for g in require),
            )
        )
    ids = [t.id for t in out]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{file}: to emner har samme id")
    return out


@dataclass(frozen=True, slots=True)
class _PackInfo:
    id: str
    name: str
    law: bool
    titles: Mapping[str, str]
    rules: Mapping[str, tuple[str, ...]]
    advice_only: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class _State:
    index: Index
    packs: Mapping[str, _PackInfo]
    #: municipality names as they may appear in a question → pack id
    mentions: tuple[tuple[re.Pattern[str], str], ...]
    topics: tuple[Topic, ...]
    topic_groups: Mapping[str, tuple[frozenset[str], ...]]


class Guide:
    """Answers questions from the guidelines and the base law pack; compares guidelines.

    Build it from an :class:`~omtanke.engine.Engine` (its loaded packs are reused) or a
    :class:`~omtanke.packs.loader.PackLoader`; with neither, the built-in packs are used.
    Every pack the loader can find takes part: a municipality's own pack is searchable as
    soon as it has a ``source.txt`` and sections.
    """

    def __init__(
        self,
        source: PackLoader | Engine | None = None,
        *,
        vocabulary: Vocabulary | None = None,
        topics: Sequence[Topic] | None = None,
    ) -> None:
        from ..engine import Engine

        self._engine: Engine | None = source if isinstance(source, Engine) else None
        if isinstance(source, PackLoader):
            self._loader = source
        elif self._engine is not None:
            self._loader = self._engine.loader
        else:
            self._loader = PackLoader()
        self._vocabulary = vocabulary
        self._topics = tuple(topics) if topics is not None else None
        self._lock = threading.Lock()
        self._state: _State | None = None

    # -- set-up -------------------------------------------------------------------------
    def _pack(self, pid: str) -> Pack:
        if self._engine is not None:
            return self._engine.pack(pid)
        return self._loader.load(pid)

    def _get(self) -> _State:
        state = self._state
        if state is None:
            with self._lock:
                if self._state is None:
                    self._state = self._build()
                state = self._state
        return state

    def _build(self) -> _State:
        vocabulary = self._vocabulary or load_vocabulary()
        topics = self._topics if self._topics is not None else tuple(load_topics())
        packs: dict[str, _PackInfo] = {}
        segments = []
        titles: dict[tuple[str, str], str] = {}
        for pid in sorted(self._loader.available()):
            pack = self._pack(pid)
            if not pack.source_text.strip() or not pack.sections:
                continue
            law = pid == LAW_PACK
            packs[pid] = _PackInfo(
                id=pid,
                name=pack.name,
                law=law,
                titles={sid: s.title for sid, s in pack.sections.items()},
                rules={sid: c.rules for sid, c in pack.coverage.items()},
                advice_only={sid: c.advice_only for sid, c in pack.coverage.items()},
            )
            for sid, s in pack.sections.items():
                titles[(pid, sid)] = s.title
            segments.extend(
                segment(pid, pack.source_text, [(s.id, s.anchor) for s in pack.sections.values()])
            )
        corpus_words: list[str] = []
        for seg in segments:
            corpus_words.extend(m.group().lower() for m in _WORD_RE.finditer(seg.text))
        for t in topics:
            corpus_words.extend(w for g in t.require for w in g)
        analyzer = Analyzer(vocabulary, corpus_words)
        index = Index(analyzer, segments, titles)
        mentions: list[tuple[re.Pattern[str], str]] = []
        for alias, pid in sorted(self._loader.aliases().items(), key=lambda a: -len(a[0])):
            if pid in packs and not packs[pid].law:
                mentions.append(
                    (re.compile(rf"(?<!\w){re.escape(alias)}s?(?!\w)", re.IGNORECASE), pid)
                )
        topic_groups = {
            t.id: tuple(frozenset(_require_keys(analyzer, g)) for g in t.require) for t in topics
        }
        return _State(index, packs, tuple(mentions), tuple(topics), topic_groups)

    # -- public -------------------------------------------------------------------------
    def municipalities(self) -> dict[str, str]:
        """Pack id → display name of every guideline that can be searched (not the law)."""
        return {pid: p.name for pid, p in self._get().packs.items() if not p.law}

    def resolve_municipality(self, name: str) -> str:
        """A pack id from an id, alias or Danish spelling; unknown → :class:`ContextError`."""
        if self._engine is not None:
            return self._engine.resolve_municipality(name)
        keyname = name.strip().lower().removesuffix(" kommune")
        pid = self._loader.aliases().get(keyname)
        if pid is None or pid == LAW_PACK:
            known = ", ".join(p for p in sorted(self._loader.available()) if p != LAW_PACK)
            raise ContextError(f"Ukendt kommune '{name}'. Kendte kommuner: {known}.")
        return pid

    def topics(self) -> list[Topic]:
        """The topics ``compare`` knows, with their Danish labels."""
        return list(self._get().topics)

    def passages(self, municipality: str) -> list[Passage]:
        """Every passage of one guideline (or ``"base"`` for the law), in document order."""
        state = self._get()
        pid = LAW_PACK if municipality == LAW_PACK else self.resolve_municipality(municipality)
        out: list[Passage] = []
        for doc in state.index.docs:
            seg = doc.segment
            if seg.pack == pid:
                first = seg.section_ids[0] if seg.sections else seg.heading_section or ""
                out.append(self._passage(state, seg.pack, seg, first, 0.0))
        return out

    def ask(self, question: str, municipality: str | None = None, limit: int = 5) -> Answer:
        """The passages that answer ``question``, best first, or ``covered=False``.

        With ``municipality`` only that guideline and the law are searched; without it a
        municipality named in the question ("hvad siger Vejle om …") narrows the search.
        """
        text = _check_question(question)
        if not 1 <= limit <= MAX_LIMIT:
            raise QuestionError(
                "limit", f"Antallet af svar skal være mellem 1 og {MAX_LIMIT} (fik {limit})."
            )
        state = self._get()
        skip: list[tuple[int, int]] = []
        chosen: list[str] = []
        if municipality is not None and municipality.strip():
            chosen = [self.resolve_municipality(municipality)]
        else:
            for pattern, pid in state.mentions:
                for m in pattern.finditer(text):
                    if not any(s <= m.start() < e for s, e in skip):
                        skip.append((m.start(), m.end()))
                        if pid not in chosen:
                            chosen.append(pid)
        words = state.index.analyzer.question(text, state.index.df, state.index.candidates, skip)
        terms = tuple(self._term(state, w) for w in words)
        allowed = [*chosen, LAW_PACK] if chosen else None
        scored = state.index.score(words, allowed)
        scope = chosen[0] if len(chosen) == 1 else None
        name = state.packs[scope].name if scope else None
        if not scored or not any(_answers(s) for s in scored):
            best = max((s.confidence for s in scored), default=0.0)
            return Answer(text, scope, False, (), terms, best, NOT_COVERED_MESSAGE, name)
        best_conf = scored[0].confidence
        floor = max(MIN_CONFIDENCE_LONG, RELATIVE_CUTOFF * best_conf)
        kept = [s for s in scored if s.confidence >= floor][:limit]
        passages = tuple(self._scored(state, s) for s in kept)
        return Answer(text, scope, True, passages, terms, best_conf, "", name)

    def compare(self, topic: str) -> Comparison:
        """What each guideline says on ``topic`` (an id, label or alias of :meth:`topics`)."""
        state = self._get()
        found = self._resolve_topic(state, topic)
        analyzer = state.index.analyzer
        words = analyzer.question(found.query, state.index.df, state.index.candidates)
        groups = state.topic_groups[found.id]
        scored = state.index.score(words)

        def relevant(pid: str) -> tuple[Passage, ...]:
            hits = [
                s
                for s in scored
                if s.doc.segment.pack == pid and state.index.has_all(s.doc, groups)
            ]
            return tuple(self._scored(state, s) for s in hits[:COMPARE_LIMIT])

        positions = tuple(
            MunicipalityPosition(pid, info.name, relevant(pid))
            for pid, info in state.packs.items()
            if not info.law
        )
        law = relevant(LAW_PACK) if LAW_PACK in state.packs else ()
        return Comparison(found, positions, law)

    # -- helpers ------------------------------------------------------------------------
    def _resolve_topic(self, state: _State, topic: str) -> Topic:
        raw = " ".join(topic.split()).lower()
        if not raw:
            raise QuestionError("empty", "Skriv et emne, fx 'billeder' eller 'kodeord'.")
        if len(raw) > 200:
            raise QuestionError("too_long", "Emnet er for langt; skriv et eller to ord.")
        for t in state.topics:
            if raw in (t.id, t.label.lower(), *(a.lower() for a in t.aliases)):
                return t
        # by words: the topic whose id, label and aliases share most keys with the text
        analyzer = state.index.analyzer
        wanted = {k for w in analyzer.words(raw) for k, _ in w.keys}
        best: tuple[int, Topic] | None = None
        for t in state.topics:
            names = " ".join([t.id.replace("-", " "), t.label, *t.aliases])
            have = {k for w in analyzer.words(names.lower()) for k, _ in w.keys}
            n = len(wanted & have)
            if n and (best is None or n > best[0]):
                best = (n, t)
        if best is not None:
            return best[1]
        known = ", ".join(t.id for t in state.topics)
        raise QuestionError(
            "unknown_topic",
            f"Ukendt emne '{topic.strip()[:40]}'. Kendte emner: {known}. "
            "Stil et frit spørgsmål med 'omtanke ask'.",
        )

    def _term(self, state: _State, word: QueryWord) -> QueryTerm:
        return QueryTerm(
            word=word.form,
            searched=word.searched,
            correction=word.correction,
            compound_of=word.compound_of,
            found=state.index.found(word),
        )

    def _scored(self, state: _State, s: Scored) -> Passage:
        return self._passage(state, s.doc.segment.pack, s.doc.segment, s.section, s.confidence)

    def _passage(
        self, state: _State, pid: str, seg: Segment, section: str, score: float
    ) -> Passage:
        info = state.packs[pid]
        rules = info.rules.get(section, ())
        reason = info.advice_only.get(section, "") if not rules else ""
        return Passage(
            municipality=pid,
            municipality_name=info.name,
            section=section,
            section_title=info.titles.get(section, ""),
            quote=seg.text,
            start=seg.start,
            end=seg.end,
            score=min(1.0, score),
            rules=rules,
            advice_only=reason,
            heading=seg.heading,
            sections=seg.section_ids,
            law=info.law,
        )


_WORD_RE = re.compile(r"\w+(?:-\w+)*", re.UNICODE)


def _answers(s: Scored) -> bool:
    """True if the passage matches enough of the question to count as an answer."""
    return s.confidence >= MIN_CONFIDENCE or (
        s.confidence >= MIN_CONFIDENCE_LONG and s.gain >= MIN_GAIN
    )


def _require_keys(analyzer: Analyzer, words: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for w in words:
        out.update(k for k, weight in analyzer.word_keys(w.lower()) if weight == 1.0)
        out.add(key(w.lower().replace("-", "")))
    return out


def _check_question(question: str) -> str:
    text = " ".join(question.split())
    if not text:
        raise QuestionError(
            "empty",
            "Spørgsmålet er tomt. Skriv, hvad du vil vide, fx "
            "'må jeg være ven med forældrene på Facebook?'.",
        )
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            "too_long",
            f"Spørgsmålet er for langt ({len(text):,} tegn; grænsen er "
            f"{MAX_QUESTION_CHARS:,}). Skriv det kortere.".replace(",", "."),
        )
    return text
