"""Load and validate policy packs.

A pack is a folder::

    pack.yml        id, name, version, extends, source, sections, lexicons, disable
    coverage.yml    every section → the rules that enforce it, or advice_only: reason
    source.txt      the guideline text, verbatim (quotes are checked against it)
    rules/*.yml     one rule per file; the rule id is ``<pack id>.<file stem>``

Every problem found is collected with ``file:line`` and what to do, and raised together as
:class:`~omtanke.errors.PackValidationError`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..detectors import known_labels
from ..errors import PackProblem, PackValidationError
from ..images.labels import IMAGE_LABELS, carrier_text, parse_image_spec
from ..lexicon import TermSet
from ..model import CHANNELS, INBOX_CATEGORIES, POST_CATEGORIES, ROLES, Citation, Level
from ..text import normalise_ws
from .gate import GATES, literal_gate, union_gate
from .schema import (
    KINDS,
    ActionSpec,
    Adjustment,
    Condition,
    CoverageEntry,
    Example,
    Matcher,
    Pack,
    Rule,
    Section,
)
from .yamlio import LineDict, YamlSyntaxError, line_of, load_yaml

__all__ = ["BUILTIN_DIR", "PackLoader", "parse_example"]

BUILTIN_DIR = Path(__file__).parent / "builtin"

_PACK_KEYS = {
    "id",
    "name",
    "version",
    "extends",
    "source",
    "cite_as",
    "url",
    "aliases",
    "sections",
    "lexicons",
    "patterns",
    "disable",
    "description",
}
_RULE_COMMON = {
    "name",
    "category",
    "kind",
    "severity",
    "message",
    "advice",
    "why",
    "instead",
    "description",
    "cite",
    "when",
    "adjust",
    "unless",
    "unless_window",
    "replaces",
    "fallback",
    "superseded_by",
    "examples",
}
_RULE_KIND_KEYS: dict[str, set[str]] = {
    "detector": {"labels", "min_score", "include_public"},
    "lexicon": {"terms", "lexicon", "match"},
    "pattern": {"patterns", "pattern_set"},
    "conditional": {"if", "near", "window"},
}
_MATCHER_KEYS = {
    "window",
    "labels",
    "min_score",
    "include_public",
    "terms",
    "lexicon",
    "match",
    "patterns",
    "pattern_set",
}
_VS_IN_CLASS_RE = re.compile("\\[[^\\]]*\ufe0f[^\\]]*\\]")
_NAMED_GROUP_RE = re.compile(r"\(\?P<\w+>")
_REPLY_KEYS = {"greeting", "guidance", "closing"}
_MARK_RE = re.compile(r"\[\[(.+?)\]\]", re.S)


_LEADING_FILLER_RE = re.compile(r"\[\^(?:\\.|[^\]\\])*\](?:\*|\+|\{\d*,\d*\})\??")


def _structure(pattern: str) -> list[tuple[int, str, int]] | None:
    """``(position, character, depth after it)`` for every bracket and ``|`` outside
    escapes and character classes; None if the brackets do not balance."""
    out: list[tuple[int, str, int]] = []
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern.startswith("[]", i) or pattern.startswith("[^]", i):
                i += 2 if pattern[i + 1] == "]" else 3
                continue
        elif ch in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[ch]
            if depth < 0:
                return None
            out.append((i, ch, depth))
        i += 1
    return None if depth != 0 or in_class else out


def _top_level_branches(pattern: str) -> list[str] | None:
    """``a|(?:b|c)|d`` → ``["a", "(?:b|c)", "d"]``; None if the brackets do not balance."""
    marks = _structure(pattern)
    if marks is None:
        return None
    cuts = [i for i, ch, depth in marks if ch == "|" and depth == 0]
    starts = [0, *(c + 1 for c in cuts)]
    return [pattern[s:e] for s, e in zip(starts, [*cuts, len(pattern)], strict=True)]


def _core(pattern: str) -> str:
    """A cheaper expression that matches wherever ``pattern`` does (a prefilter).

    Patterns that stretch a hit to the start of its sentence begin with a filler such as
    ``[^.!?\\n]*`` or ``[^.!?\\n,]{0,40}``. Searching for them costs a scan from every
    position of the text; the rest of the pattern is a necessary condition that is found in
    one pass, so the filler is dropped from each top-level alternative.
    """
    branches = _top_level_branches(pattern)
    if branches is None:
        return pattern
    cores: list[str] = []
    for branch in branches:
        inner = branch
        # unwrap a group that spans the whole branch (its closing bracket is the last
        # character, so no quantifier follows it)
        if inner.startswith("(?:") and _balanced_prefix(inner):
            inner = inner[3:-1]
            if (_top_level_branches(inner) or [inner]) != [inner]:
                cores.append(_core(inner))
                continue
        m = _LEADING_FILLER_RE.match(inner)
        rest = inner[m.end() :] if m else inner
        cores.append(f"(?:{rest})" if rest else inner)
    return "|".join(cores)


def _balanced_prefix(group: str) -> bool:
    """True if the ``(`` at position 0 closes at the last character."""
    marks = _structure(group)
    if not marks or marks[0][0] != 0:
        return False
    first_close = next(i for i, ch, depth in marks if ch == ")" and depth == 0)
    return first_close == len(group) - 1


def _lowered(pattern: str) -> str | None:
    """``pattern`` for lower-cased text, to be compiled without IGNORECASE (a third faster).

    Letters outside escapes are lower-cased; None when that could change the meaning (a
    named Unicode escape, an inline flag, an upper-case group name).
    """
    if "\\N{" in pattern or "(?i" in pattern or re.search(r"\(\?P[<=]\w*[A-Z]", pattern):
        return None
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
        i += 1
    return "".join(out)


def _lowered_core(pattern: re.Pattern[str]) -> str | None:
    return _lowered(_core(_NAMED_GROUP_RE.sub("(?:", pattern.pattern)))


def _prefilter(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One expression to search in the lower-cased text before any of ``patterns`` is run."""
    if not patterns:
        return None
    cores = [_lowered_core(p) for p in patterns]
    if any(c is None for c in cores):
        return None
    try:
        return re.compile("|".join(f"(?:{c})" for c in cores))
    except re.error:
        return None


_Guard = tuple[tuple[frozenset[str], ...] | None, re.Pattern[str] | None]


@functools.lru_cache(maxsize=4096)
def _guard(pattern: re.Pattern[str]) -> _Guard:
    """For one pattern: literals one of which a match contains, and its cheap core."""
    core = _lowered_core(pattern)
    if core is None:
        return None, None
    try:
        compiled = re.compile(core)
    except re.error:
        return None, None
    gate = literal_gate(core)
    return (GATES.register(gate) if gate is not None else None), compiled


def _gate(patterns: list[re.Pattern[str]]) -> tuple[frozenset[str], ...] | None:
    """The matcher's gate: its one pattern's gate, or for several patterns the union of
    each one's most selective literal set (a text must pass one of them)."""
    gates = [_guard(p)[0] for p in patterns]
    if not gates or any(g is None for g in gates):
        return None
    if len(gates) == 1:
        return gates[0]
    return GATES.register((union_gate([g[0] for g in gates if g]),))


def _guards(patterns: list[re.Pattern[str]]) -> tuple[_Guard, ...]:
    """Per-pattern guards; none for a single pattern (the matcher's prefilter is its own)."""
    if len(patterns) < 2:
        return ()
    return tuple(_guard(p) for p in patterns)


@functools.lru_cache(maxsize=4096)
def _compile(pattern: str) -> re.Pattern[str]:
    """Compiled once: packs that share a pattern set share the compiled expressions."""
    return re.compile(pattern, re.IGNORECASE)


_TERMSETS: dict[tuple[tuple[str, ...], str], TermSet] = {}


def _termset(terms: tuple[str, ...], mode: str) -> TermSet:
    """Rules that use the same word list share one TermSet (matched once per text)."""
    key = (terms, mode)
    ts = _TERMSETS.get(key)
    if ts is None:
        ts = _TERMSETS[key] = TermSet(terms, mode)
    return ts


def parse_example(raw: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Strip ``[[…]]`` markers; return the clean text and the marked spans (code points)."""
    spans: list[tuple[int, int]] = []
    out: list[str] = []
    pos = 0
    length = 0
    for m in _MARK_RE.finditer(raw):
        before = raw[pos : m.start()]
        out.append(before)
        length += len(before)
        inner = m.group(1)
        spans.append((length, length + len(inner)))
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(raw[pos:])
    return "".join(out), tuple(spans)


def _suggest(word: str, options: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, sorted(options), n=1)
    return f" Mente du '{close[0]}'?" if close else ""


class _Ctx:
    """Collects problems for one file."""

    def __init__(self, file: Path, problems: list[PackProblem]) -> None:
        self.file = str(file)
        self.problems = problems

    def add(self, line: int, message: str) -> None:
        self.problems.append(PackProblem(self.file, line, message))

    def read_mapping(self, shape: str) -> LineDict | None:
        """The file as a YAML mapping, or None with the problem recorded (``shape`` says
        what the file should look like)."""
        try:
            data = load_yaml(Path(self.file))
        except YamlSyntaxError as exc:
            self.add(exc.line, exc.message)
            return None
        if not isinstance(data, LineDict):
            self.add(1, shape)
            return None
        return data


class PackLoader:
    """Finds packs by id in search folders (built-in packs last) and loads them."""

    def __init__(self, extra_paths: list[Path] | None = None) -> None:
        self.search: list[Path] = []
        self._explicit: dict[str, Path] = {}
        for p in extra_paths or []:
            self.add_path(p)
        self._cache: dict[str, Pack] = {}
        self._available: dict[str, Path] | None = None
        self._aliases: dict[str, str] | None = None

    def add_path(self, path: Path) -> None:
        """Add a pack folder, or a folder of pack folders."""
        self._available = None
        self._aliases = None
        path = Path(path)
        if (path / "pack.yml").is_file():
            self._explicit[path.name] = path
            pid = self._peek_id(path)
            if pid:
                self._explicit[pid] = path
        else:
            self.search.append(path)

    @staticmethod
    def _peek_id(path: Path) -> str | None:
        try:
            data = load_yaml(path / "pack.yml")
        except (YamlSyntaxError, OSError):
            return None
        if isinstance(data, Mapping) and isinstance(data.get("id"), str):
            return str(data["id"])
        return None

    def available(self) -> dict[str, Path]:
        """Pack id → folder, for every pack that can be found (cached)."""
        if self._available is not None:
            return self._available
        found: dict[str, Path] = {}
        for folder in [BUILTIN_DIR, *reversed(self.search)]:
            if folder.is_dir():
                for sub in sorted(folder.iterdir()):
                    if (sub / "pack.yml").is_file():
                        found[self._peek_id(sub) or sub.name] = sub
        found.update(self._explicit)
        self._available = found
        return found

    def aliases(self) -> dict[str, str]:
        """Every accepted name (id, aliases, Danish spellings) → pack id (cached)."""
        if self._aliases is not None:
            return self._aliases
        out: dict[str, str] = {}
        for pid, path in self.available().items():
            out[pid.lower()] = pid
            try:
                data = load_yaml(path / "pack.yml")
            except (YamlSyntaxError, OSError):
                continue
            if isinstance(data, Mapping):
                for alias in data.get("aliases") or []:
                    out[str(alias).lower()] = pid
        self._aliases = out
        return out

    def load(self, pack_id: str) -> Pack:
        if pack_id in self._cache:
            return self._cache[pack_id]
        path = self.available().get(pack_id)
        if path is None:
            raise PackValidationError(
                [PackProblem("<pakker>", 0, f"ukendt regelpakke '{pack_id}'.")]
            )
        pack = self.load_path(path, _stack=())
        self._cache[pack_id] = pack
        return pack

    def load_path(self, path: Path, _stack: tuple[str, ...] = ()) -> Pack:
        """Load and validate the pack in folder ``path`` (with its parents)."""
        problems: list[PackProblem] = []
        pack = _PackBuilder(self, Path(path), problems, _stack).build()
        if problems or pack is None:
            raise PackValidationError(
                problems or [PackProblem(str(path), 0, "kunne ikke indlæses")]
            )
        return pack


class _PackBuilder:
    def __init__(
        self, loader: PackLoader, path: Path, problems: list[PackProblem], stack: tuple[str, ...]
    ) -> None:
        self.loader = loader
        self.path = path
        self.problems = problems
        self.stack = stack

    # -- pack.yml ---------------------------------------------------------------------
    def build(self) -> Pack | None:
        pack_file = self.path / "pack.yml"
        ctx = _Ctx(pack_file, self.problems)
        if not pack_file.is_file():
            ctx.add(0, f"mappen {self.path} har ingen pack.yml.")
            return None
        data = ctx.read_mapping(
            "pack.yml skal være en YAML-mapping med id, name, version og sections."
        )
        if data is None:
            return None
        for key in data:
            if key not in _PACK_KEYS:
                ctx.add(
                    data.key_lines[key],
                    f"ukendt nøgle '{key}' i pack.yml.{_suggest(key, _PACK_KEYS)}",
                )
        for key in ("id", "name", "version"):
            if not isinstance(data.get(key), str) or not data.get(key):
                ctx.add(data.line, f"pack.yml mangler '{key}' (tekst).")
        pack_id = str(data.get("id") or self.path.name)
        if pack_id in self.stack:
            ctx.add(data.line, f"pakken arver fra sig selv: {' → '.join((*self.stack, pack_id))}")
            return None

        parents: list[Pack] = []
        extends = data.get("extends")
        if extends is not None:
            names = [extends] if isinstance(extends, str) else list(extends)
            for name in names:
                parent_path = self.loader.available().get(str(name))
                if parent_path is None:
                    ctx.add(
                        data.key_lines.get("extends", data.line),
                        f"'extends: {name}' henviser til en ukendt pakke."
                        f"{_suggest(str(name), list(self.loader.available()))}",
                    )
                    continue
                try:
                    parents.append(
                        self.loader.load_path(parent_path, _stack=(*self.stack, pack_id))
                    )
                except PackValidationError as exc:
                    self.problems.extend(exc.problems)

        source_text = ""
        source = data.get("source")
        if source is not None:
            src_path = self.path / str(source)
            try:
                source_text = src_path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                ctx.add(data.key_lines.get("source", 1), f"kildeteksten '{source}' kan ikke læses.")
        self.source_norm = normalise_ws(source_text)
        cite_as = str(data.get("cite_as") or pack_id)

        sections: dict[str, Section] = {}
        raw_sections = data.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            ctx.add(data.line, "pack.yml skal have 'sections': retningslinjens afsnit.")
        else:
            for item in raw_sections:
                if not isinstance(item, LineDict) or "id" not in item:
                    ctx.add(line_of(item), "hvert afsnit skal have id, title og anchor.")
                    continue
                sid = str(item["id"])
                anchor = str(item.get("anchor") or "")
                if sid in sections:
                    ctx.add(item.line, f"afsnittet '{sid}' står to gange.")
                if anchor and source_text and normalise_ws(anchor) not in self.source_norm:
                    ctx.add(
                        item.key_lines.get("anchor", item.line),
                        f"afsnit '{sid}': anchor-teksten findes ikke ordret i {source}.",
                    )
                sections[sid] = Section(sid, str(item.get("title") or sid), anchor, item.line)

        # the citable sources visible from this pack: own + every ancestor's
        self.citable: dict[str, tuple[dict[str, Section], str]] = {}
        for parent in parents:
            for anc in parent.lineage():
                self.citable.setdefault(anc.cite_as, (anc.sections, normalise_ws(anc.source_text)))
        self.citable[cite_as] = (sections, self.source_norm)

        self.lexicons: dict[str, list[str]] = {}
        for parent in parents:
            for anc in parent.lineage():
                for name, terms in anc.lexicons.items():
                    self.lexicons.setdefault(name, terms)
        self.pattern_sets: dict[str, list[str]] = {}
        for parent in parents:
            for anc in parent.lineage():
                for name, pats in anc.pattern_sets.items():
                    self.pattern_sets.setdefault(name, pats)
        raw_sets = data.get("patterns")
        if raw_sets is not None:
            if not isinstance(raw_sets, LineDict):
                ctx.add(
                    line_of(raw_sets), "'patterns' skal være en mapping: navn → liste af mønstre."
                )
            else:
                for name, pats in raw_sets.items():
                    if not isinstance(pats, list) or not all(isinstance(p, str) for p in pats):
                        ctx.add(
                            raw_sets.key_lines[name], f"mønstersættet '{name}' skal være en liste."
                        )
                        continue
                    self.pattern_sets[name] = list(pats)
        raw_lex = data.get("lexicons")
        if raw_lex is None:
            pass
        elif not isinstance(raw_lex, LineDict):
            ctx.add(line_of(raw_lex), "'lexicons' skal være en mapping: navn → liste af ord.")
        else:
            for name, terms in raw_lex.items():
                if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                    ctx.add(
                        raw_lex.key_lines[name], f"ordlisten '{name}' skal være en liste af ord."
                    )
                    continue
                self.lexicons[name] = [str(t) for t in terms]

        # inherited rules, minus disabled ones
        rules: dict[str, Rule] = {}
        for parent in parents:
            for rid, rule in parent.rules.items():
                rules.setdefault(rid, rule)
        for rid in data.get("disable") or []:
            if str(rid) not in rules:
                ctx.add(line_of(rid, data.line), f"'disable: {rid}': ingen arvet regel med det id.")
            rules.pop(str(rid), None)

        own: list[str] = []
        rules_dir = self.path / "rules"
        if rules_dir.is_dir():
            for rule_file in sorted(rules_dir.glob("*.yml")):
                loaded = self._rule(rule_file, pack_id, rules)
                if loaded is None:
                    continue
                rule = loaded
                if rule.replaces:
                    if rule.replaces not in rules:
                        self.problems.append(
                            PackProblem(
                                str(rule_file),
                                rule.line,
                                f"'replaces: {rule.replaces}': ingen arvet regel med det id.",
                            )
                        )
                    rules.pop(rule.replaces, None)
                rules[rule.id] = rule
                own.append(rule.id)

        coverage = self._coverage(sections, rules)
        actions: dict[str, ActionSpec] = {}
        reply_texts: dict[str, str] = {}
        for parent in reversed(parents):
            actions.update(parent.actions)
            reply_texts.update(parent.reply_texts)
        self._triage(actions, reply_texts)
        pack = Pack(
            id=pack_id,
            name=str(data.get("name") or pack_id),
            version=str(data.get("version") or "0"),
            path=self.path,
            extends=str(extends) if isinstance(extends, str) else None,
            cite_as=cite_as,
            source_text=source_text,
            sections=sections,
            rules=rules,
            own_rules=tuple(own),
            coverage=coverage,
            aliases=tuple(str(a) for a in data.get("aliases") or []),
            url=str(data["url"]) if data.get("url") else None,
            parents=tuple(parents),
            lexicons=self.lexicons,
            pattern_sets=self.pattern_sets,
            actions=actions,
            reply_texts=reply_texts,
        )
        return pack

    # -- triage.yml -------------------------------------------------------------------
    def _triage(self, actions: dict[str, ActionSpec], reply_texts: dict[str, str]) -> None:
        """Optional triage.yml: actions per inbox category and the parts of the reply."""
        file = self.path / "triage.yml"
        if not file.is_file():
            return
        ctx = _Ctx(file, self.problems)
        data = ctx.read_mapping("triage.yml skal have 'actions:' og evt. 'reply:'.")
        if data is None:
            return
        for key in data:
            if key not in ("actions", "reply"):
                ctx.add(data.key_lines[key], f"ukendt nøgle '{key}'; brug actions eller reply.")
        raw_reply = data.get("reply") or LineDict()
        if isinstance(raw_reply, LineDict):
            for key, value in raw_reply.items():
                if key not in _REPLY_KEYS:
                    ctx.add(
                        raw_reply.key_lines[key],
                        f"ukendt svardel '{key}'.{_suggest(key, _REPLY_KEYS)}",
                    )
                reply_texts[key] = str(value).strip()
        raw = data.get("actions") or LineDict()
        if not isinstance(raw, LineDict):
            ctx.add(line_of(raw), "'actions' skal være en mapping: kategori → handling.")
            return
        targets = {*INBOX_CATEGORIES, "private_channel", "after_hours"}
        for category, item in raw.items():
            line = raw.key_lines[category]
            if category not in targets:
                ctx.add(line, f"ukendt kategori '{category}'.{_suggest(category, targets)}")
                continue
            if not isinstance(item, LineDict):
                ctx.add(line, f"'{category}' skal have id, title, steps, reply og cite.")
                continue
            for key in item:
                if key not in ("id", "title", "steps", "reply", "cite"):
                    ctx.add(item.key_lines[key], f"ukendt nøgle '{key}' i handlingen.")
            base = actions.get(category)
            missing = [k for k in ("id", "title", "steps") if not item.get(k) and base is None]
            if missing:
                ctx.add(line, f"'{category}' mangler {', '.join(missing)}.")
                continue
            cites = (
                self._citations(ctx, item["cite"], item)
                if "cite" in item
                else (base.citations if base else ())
            )
            actions[category] = ActionSpec(
                id=str(item.get("id") or (base.id if base else category)),
                category=category,
                title=str(item.get("title") or (base.title if base else "")).strip(),
                steps=str(item.get("steps") or (base.steps if base else "")).strip(),
                reply=str(item.get("reply", base.reply if base else "") or "").strip(),
                citations=cites,
            )

    # -- coverage.yml -----------------------------------------------------------------
    def _coverage(
        self, sections: dict[str, Section], rules: dict[str, Rule]
    ) -> dict[str, CoverageEntry]:
        cov_file = self.path / "coverage.yml"
        ctx = _Ctx(cov_file, self.problems)
        out: dict[str, CoverageEntry] = {}
        if not cov_file.is_file():
            ctx.add(0, "coverage.yml mangler: angiv for hvert afsnit reglerne eller advice_only.")
            return out
        shape = "coverage.yml skal have 'sections:' som mapping: afsnit-id → regler."
        data = ctx.read_mapping(shape)
        if data is None:
            return out
        if not isinstance(data.get("sections"), LineDict):
            ctx.add(1, shape)
            return out
        raw = data["sections"]
        for sid, entry in raw.items():
            line = raw.key_lines[sid]
            if sid not in sections:
                ctx.add(line, f"ukendt afsnit '{sid}'.{_suggest(sid, list(sections))}")
                continue
            if not isinstance(entry, LineDict):
                ctx.add(line, f"afsnit '{sid}': skriv 'rules: [...]' eller 'advice_only: grund'.")
                continue
            rule_ids = [str(r) for r in entry.get("rules") or []]
            reason = str(entry.get("advice_only") or "")
            if not rule_ids and not reason:
                ctx.add(line, f"afsnit '{sid}': angiv regler (rules) eller en grund (advice_only).")
            for rid in rule_ids:
                if rid not in rules:
                    ctx.add(
                        line, f"afsnit '{sid}': ukendt regel '{rid}'.{_suggest(rid, list(rules))}"
                    )
            out[sid] = CoverageEntry(sid, tuple(rule_ids), reason, line)
        for sid, section in sections.items():
            if sid not in out:
                ctx.add(data.line, f"afsnit '{sid}' ('{section.title}') mangler i coverage.yml.")
        return out

    # -- rules/*.yml ------------------------------------------------------------------
    def _rule(self, file: Path, pack_id: str, inherited: Mapping[str, Rule]) -> Rule | None:
        ctx = _Ctx(file, self.problems)
        data = ctx.read_mapping("en regel skal være en YAML-mapping (kind, category, severity, …).")
        if data is None:
            return None
        before = len(self.problems)
        rid = f"{pack_id}.{file.stem}"
        base: Rule | None = None
        replaces = data.get("replaces")
        if replaces is not None:
            base = inherited.get(str(replaces))

        kind = str(data.get("kind") or (base.kind if base else ""))
        if kind not in KINDS:
            ctx.add(
                data.key_lines.get("kind", data.line),
                f"ukendt kind '{kind}'; gyldige er {', '.join(KINDS)}.{_suggest(kind, KINDS)}",
            )
            return None
        allowed = _RULE_COMMON | _RULE_KIND_KEYS[kind]
        for key in data:
            if key not in allowed:
                ctx.add(
                    data.key_lines[key],
                    f"ukendt nøgle '{key}' for kind '{kind}'.{_suggest(key, allowed)}",
                )

        category = str(data.get("category") or (base.category if base else ""))
        if category not in POST_CATEGORIES and category not in INBOX_CATEGORIES:
            ctx.add(
                data.key_lines.get("category", data.line),
                f"ukendt kategori '{category}'.{_suggest(category, [*POST_CATEGORIES, *INBOX_CATEGORIES])}",
            )
        superseded_by = base.superseded_by if base else frozenset()
        if "superseded_by" in data:
            raw_sup = data["superseded_by"]
            line = data.key_lines["superseded_by"]
            if not isinstance(raw_sup, list) or not all(isinstance(c, str) for c in raw_sup):
                ctx.add(line, "'superseded_by' skal være en liste af kategorier.")
            else:
                same_kind = tuple(
                    {*INBOX_CATEGORIES, *POST_CATEGORIES}
                    if category in INBOX_CATEGORIES and category in POST_CATEGORIES
                    else INBOX_CATEGORIES
                    if category in INBOX_CATEGORIES
                    else POST_CATEGORIES
                )
                for c in raw_sup:
                    if c not in same_kind or c == category:
                        ctx.add(
                            line,
                            f"ukendt kategori '{c}' i 'superseded_by'.{_suggest(c, same_kind)}",
                        )
                superseded_by = frozenset(raw_sup)
        for key in ("name", "message", "advice"):
            if not data.get(key) and not (base and getattr(base, key)):
                ctx.add(data.line, f"reglen mangler '{key}'.")

        severity = (
            self._severity(ctx, data.get("severity"), data.key_lines.get("severity", data.line))
            if "severity" in data
            else (base.severity if base else None)
        )
        if severity is None:
            ctx.add(
                data.line, "reglen mangler 'severity' (ok/advice/warning/stop, evt. pr. kanal)."
            )
            severity = {}

        when = (
            self._condition(ctx, data.get("when"), data.key_lines.get("when", data.line))
            if "when" in data
            else (base.when if base else Condition())
        )
        if not when.kinds:  # a rule is about posts unless it says otherwise
            when = Condition(when.channels, when.roles, frozenset({"post"}), when.public_event)
        adjust: list[Adjustment] = []
        for item in data.get("adjust") or []:
            if not isinstance(item, LineDict) or "when" not in item or "severity" not in item:
                ctx.add(line_of(item), "hver 'adjust' skal have 'when' og 'severity'.")
                continue
            adjust.append(
                Adjustment(
                    self._condition(ctx, item["when"], item.line),
                    self._severity(ctx, item["severity"], item.line, fill=False) or {},
                )
            )

        citations = (
            self._citations(ctx, data.get("cite"), data)
            if "cite" in data
            else (base.citations if base else ())
        )
        if not citations:
            ctx.add(data.line, "reglen skal citere mindst én kilde (cite).")

        match: Matcher | None
        near: tuple[Matcher, ...] = ()
        window: str | int = "sentence"
        if kind == "detector" or kind == "lexicon" or kind == "pattern":
            has_own = any(k in data for k in _RULE_KIND_KEYS[kind])
            match = self._matcher(ctx, data, kind) if has_own or not base else base.match
        else:
            if "if" not in data and base is None:
                ctx.add(data.line, "en conditional-regel skal have 'if:' og 'near:'.")
                match = None
            else:
                match = (
                    self._matcher(ctx, data["if"], None)
                    if "if" in data
                    else (base.match if base else None)
                )
            raw_near = data.get("near")
            if raw_near is None and base is not None:
                near = base.near
            elif not isinstance(raw_near, list) or not raw_near:
                ctx.add(
                    data.key_lines.get("near", data.line), "'near' skal være en liste af matchere."
                )
            else:
                near = tuple(m for m in (self._matcher(ctx, n, None) for n in raw_near) if m)
            window = self._window(
                ctx, data.get("window", base.window if base else "sentence"), data
            )
        unless: tuple[Matcher, ...] = base.unless if base else ()
        if "unless" in data:
            raw_unless = data["unless"]
            if not isinstance(raw_unless, list):
                ctx.add(data.key_lines["unless"], "'unless' skal være en liste af matchere.")
            else:
                unless = tuple(m for m in (self._matcher(ctx, u, None) for u in raw_unless) if m)
        unless_window = self._window(
            ctx, data.get("unless_window", base.unless_window if base else "text"), data
        )

        bad, good = self._examples(ctx, data.get("examples"), data)
        if base is not None and not bad:
            bad, good = base.bad, base.good

        if match is None or len(self.problems) > before:
            return None

        def text(key: str) -> str:
            value = data.get(key)
            return str(value).strip() if value else (str(getattr(base, key)) if base else "")

        return Rule(
            id=rid,
            pack=pack_id,
            name=text("name"),
            category=category,
            kind=kind,
            severity=severity,
            message=text("message"),
            advice=text("advice"),
            citations=citations,
            match=match,
            near=near,
            window=window,
            unless=unless,
            unless_window=unless_window,
            when=when,
            adjust=tuple(adjust) if adjust or base is None else base.adjust,
            why=text("why"),
            instead=text("instead"),
            description=text("description"),
            replaces=str(replaces) if replaces else None,
            fallback=bool(data.get("fallback", base.fallback if base else False)),
            superseded_by=superseded_by,
            bad=bad,
            good=good,
            file=str(file),
            line=data.line,
        )

    def _severity(
        self, ctx: _Ctx, raw: Any, line: int, fill: bool = True
    ) -> dict[str, Level | None] | None:
        """A level per channel. With ``fill=False`` (adjustments) unnamed channels are left
        out, so they keep their normal severity."""

        def level(value: Any, at: int) -> Level | None:
            if str(value).lower() in ("off", "none", "false"):
                return None
            try:
                return Level.parse(str(value))
            except ValueError:
                ctx.add(at, f"ukendt niveau '{value}'; brug ok, advice, warning, stop eller off.")
                return None

        if isinstance(raw, str):
            lv = level(raw, line_of(raw, line))
            return dict.fromkeys(CHANNELS, lv)
        if isinstance(raw, LineDict):
            out: dict[str, Level | None] = {}
            default = raw.get("default")
            for channel in CHANNELS:
                if fill or default is not None:
                    out[channel] = level(default, raw.line) if default is not None else None
            for key, value in raw.items():
                if key == "default":
                    continue
                if key not in CHANNELS:
                    ctx.add(raw.key_lines[key], f"ukendt kanal '{key}'.{_suggest(key, CHANNELS)}")
                    continue
                out[key] = level(value, raw.key_lines[key])
            return out
        ctx.add(line, "'severity' skal være et niveau eller en mapping kanal → niveau.")
        return None

    def _condition(self, ctx: _Ctx, raw: Any, line: int) -> Condition:
        if raw is None:
            return Condition()
        if not isinstance(raw, LineDict):
            ctx.add(line, "'when' skal være en mapping (channels, roles, kinds, public_event).")
            return Condition()
        known = {"channels", "roles", "kinds", "public_event"}
        for key in raw:
            if key not in known:
                ctx.add(raw.key_lines[key], f"ukendt betingelse '{key}'.{_suggest(key, known)}")
        channels = frozenset(str(c) for c in raw.get("channels") or [])
        roles = frozenset(str(r) for r in raw.get("roles") or [])
        kinds = frozenset(str(k) for k in raw.get("kinds") or [])
        for c in channels - set(CHANNELS):
            ctx.add(raw.line, f"ukendt kanal '{c}'.{_suggest(c, CHANNELS)}")
        for r in roles - set(ROLES):
            ctx.add(raw.line, f"ukendt rolle '{r}'.{_suggest(r, ROLES)}")
        for k in kinds - {"post", "inbox"}:
            ctx.add(raw.line, f"ukendt tekstart '{k}'; brug post eller inbox.")
        pe = raw.get("public_event")
        return Condition(channels, roles, kinds, bool(pe) if pe is not None else None)

    def _window(self, ctx: _Ctx, raw: Any, data: LineDict) -> str | int:
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
            return raw
        if str(raw) in ("sentence", "text"):
            return str(raw)
        ctx.add(data.line, f"ugyldigt vindue '{raw}'; brug sentence, text eller et antal tegn.")
        return "sentence"

    def _matcher(self, ctx: _Ctx, raw: Any, kind: str | None) -> Matcher | None:
        """A matcher from ``labels``, ``terms``/``lexicon`` and/or ``patterns`` (any of them)."""
        if not isinstance(raw, LineDict):
            ctx.add(
                line_of(raw),
                "en matcher skal være en mapping: labels, terms, lexicon eller patterns.",
            )
            return None
        if kind is None:
            for key in raw:
                if key not in _MATCHER_KEYS:
                    ctx.add(
                        raw.key_lines[key],
                        f"ukendt nøgle '{key}' i matcher.{_suggest(key, _MATCHER_KEYS)}",
                    )
        labels: frozenset[str] = frozenset()
        if "labels" in raw:
            labels = frozenset(str(x) for x in raw.get("labels") or [])
            every_label = known_labels() | IMAGE_LABELS  # image labels: docs/IMAGES.md
            for lab in sorted(labels - every_label):
                ctx.add(
                    raw.key_lines["labels"],
                    f"ukendt detektor-label '{lab}'.{_suggest(lab, every_label)}",
                )
            if not labels:
                ctx.add(raw.key_lines["labels"], "'labels' må ikke være tom.")
        score = raw.get("min_score", 0.5)
        if not isinstance(score, (int, float)) or not 0 <= score <= 1:
            ctx.add(raw.line, "'min_score' skal være et tal mellem 0 og 1.")
            score = 0.5
        terms: list[str] = []
        if "terms" in raw:
            if not isinstance(raw["terms"], list) or not raw["terms"]:
                ctx.add(raw.key_lines["terms"], "'terms' skal være en ikke-tom liste af ord.")
            else:
                terms.extend(str(t) for t in raw["terms"])
        if "lexicon" in raw:
            names = raw["lexicon"] if isinstance(raw["lexicon"], list) else [raw["lexicon"]]
            for name in names:
                if str(name) not in self.lexicons:
                    ctx.add(
                        raw.key_lines["lexicon"],
                        f"ukendt ordliste '{name}'.{_suggest(str(name), list(self.lexicons))}",
                    )
                else:
                    terms.extend(self.lexicons[str(name)])
        mode = str(raw.get("match", "stem"))
        if mode not in ("stem", "exact"):
            ctx.add(raw.key_lines.get("match", raw.line), "'match' skal være stem eller exact.")
            mode = "stem"
        pats: list[re.Pattern[str]] = []
        raw_pats: list[Any] = []
        if "patterns" in raw:
            if not isinstance(raw["patterns"], list) or not raw["patterns"]:
                ctx.add(raw.key_lines["patterns"], "'patterns' skal være en ikke-tom liste.")
            else:
                raw_pats.extend(raw["patterns"])
        if "pattern_set" in raw:
            names = (
                raw["pattern_set"] if isinstance(raw["pattern_set"], list) else [raw["pattern_set"]]
            )
            for name in names:
                if str(name) not in self.pattern_sets:
                    ctx.add(
                        raw.key_lines["pattern_set"],
                        f"ukendt mønstersæt '{name}'.{_suggest(str(name), list(self.pattern_sets))}",
                    )
                else:
                    raw_pats.extend(self.pattern_sets[str(name)])
        for p in raw_pats:
            if _VS_IN_CLASS_RE.search(str(p)):
                ctx.add(
                    line_of(p, raw.line),
                    "en tegnklasse [...] indeholder en variantvælger (U+FE0F, fx fra '⚰️'); den "
                    "matcher alene efter mange emoji. Fjern den fra klassen.",
                )
                continue
            try:
                pats.append(_compile(str(p)))
            except re.error as exc:
                ctx.add(
                    line_of(p, raw.line),
                    f"ugyldigt regulært udtryk: {exc.msg} (position {exc.pos}).",
                )
        if not labels and not terms and not pats:
            expected = {
                "detector": "labels",
                "lexicon": "terms eller lexicon",
                "pattern": "patterns",
            }
            ctx.add(
                raw.line,
                f"mangler {expected.get(kind or '', 'labels, terms, lexicon eller patterns')}.",
            )
            return None
        window: str | int | None = None
        if "window" in raw:  # a near/unless condition with its own window
            window = self._window(ctx, raw["window"], raw)
        prefilter = _prefilter(pats)
        return Matcher(
            window=window,
            prefilter=prefilter,
            gate=_gate(pats),
            guards=_guards(pats),
            labels=labels,
            min_score=float(score),
            include_public=bool(raw.get("include_public", False)),
            terms=_termset(tuple(terms), mode) if terms else None,
            patterns=tuple(pats),
        )

    def _citations(self, ctx: _Ctx, raw: Any, data: LineDict) -> tuple[Citation, ...]:
        if not isinstance(raw, list):
            ctx.add(data.key_lines.get("cite", data.line), "'cite' skal være en liste.")
            return ()
        out: list[Citation] = []
        for item in raw:
            if not isinstance(item, LineDict) or "source" not in item or "section" not in item:
                ctx.add(line_of(item), "hver citation skal have source og section (og evt. quote).")
                continue
            source, section = str(item["source"]), str(item["section"])
            if source not in self.citable:
                ctx.add(
                    item.line, f"ukendt kilde '{source}'.{_suggest(source, list(self.citable))}"
                )
                continue
            secs, norm = self.citable[source]
            if section not in secs:
                ctx.add(
                    item.key_lines["section"],
                    f"ukendt afsnit '{section}' i {source}.{_suggest(section, list(secs))}",
                )
                continue
            quote = str(item.get("quote") or secs[section].anchor)
            if not quote:
                ctx.add(
                    item.line, "citationen mangler 'quote', og afsnittet har ingen anchor-tekst."
                )
                continue
            if normalise_ws(quote) not in norm:
                ctx.add(
                    item.key_lines.get("quote", item.line),
                    f"citatet findes ikke ordret i kilden '{source}'. Kopiér sætningen præcist.",
                )
                continue
            out.append(Citation(source, section, normalise_ws(quote), None))
        return tuple(out)

    def _examples(
        self, ctx: _Ctx, raw: Any, data: LineDict
    ) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
        if raw is None:
            ctx.add(data.line, "reglen mangler 'examples' med mindst ét bad- og ét good-eksempel.")
            return (), ()
        if not isinstance(raw, LineDict):
            ctx.add(line_of(raw), "'examples' skal have 'bad:' og 'good:'.")
            return (), ()

        def one(item: Any, bad: bool) -> Example | None:
            channel = role = None
            public_event = False
            text_raw = item
            image: tuple[str, ...] = ()
            marked: tuple[int, ...] = ()
            if isinstance(item, LineDict):
                text_raw = item.get("text")
                channel = item.get("channel")
                role = item.get("role")
                public_event = bool(item.get("public_event", False))
                if channel is not None and channel not in CHANNELS:
                    ctx.add(item.line, f"ukendt kanal '{channel}' i eksempel.")
                if "image" in item:  # an image's detections, see docs/IMAGES.md
                    raw_image = item["image"]
                    problem = "'image' skal være en liste af billed-labels."
                    if isinstance(raw_image, list):
                        image, marked, problem = parse_image_spec(raw_image)
                    if problem:
                        ctx.add(item.key_lines["image"], problem)
                        return None
                    if text_raw is None:
                        text_raw = ""
            if not isinstance(text_raw, str) or not (text_raw.strip() or image):
                ctx.add(line_of(item), "et eksempel skal være en tekst (eller text: …).")
                return None
            text, spans = parse_example(text_raw)
            if image:  # the post, then one carrier character per image detection
                text, first = carrier_text(text, len(image))
                spans = (*spans, *((first + i, first + i + 1) for i in marked))
            if bad and not spans:
                ctx.add(
                    line_of(text_raw, line_of(item)),
                    "bad-eksemplet skal markere det, reglen finder, med [[…]].",
                )
            return Example(
                text,
                spans,
                str(channel) if channel else None,
                str(role) if role else None,
                public_event,
                line_of(text_raw, line_of(item)) if text_raw else line_of(item),
                image,
            )

        bad = tuple(e for e in (one(i, True) for i in raw.get("bad") or []) if e)
        good = tuple(e for e in (one(i, False) for i in raw.get("good") or []) if e)
        if not bad:
            ctx.add(raw.line, "reglen skal have mindst ét bad-eksempel.")
        if not good:
            ctx.add(raw.line, "reglen skal have mindst ét good-eksempel.")
        return bad, good
