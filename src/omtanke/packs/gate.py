"""Literal gates: the words a text must contain before a rule's expressions are run.

Like RE2's FilteredRE2 or Hyperscan's prefilters: from a regular expression we derive a
small set of literal strings such that every match contains at least one of them. All the
literals of every loaded pack sit in one Aho–Corasick automaton (:class:`GateIndex`), so one
pass over a text says which of them occur; a rule whose literals are all absent is skipped
without running any expression, and most rules' words occur in few posts. When nothing
safe can be derived (an expression that can match anything short), there is no gate and
the expression runs as before.

The analysis works on the parsed expression (``re._parser``) of the lower-cased prefilter,
so the literals are lower-case and are looked for in the lower-cased text with every run of
whitespace made one space (:func:`gate_text`). That lets ``\\s+`` stand for a space, so
"blå mærker" is one literal and not two common words.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

# the parser is private but stable since Python 3.11 (sre_parse before that)
from re import _constants as _sre_constants  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

__all__ = ["GATES", "GateIndex", "gate_text", "literal_gate", "union_gate"]

_WS_RE = re.compile(r"\s+")
_SPACES_RE = re.compile(r" {2,}")


def gate_text(lowered: str) -> str:
    """The text the gates look in: lower-cased, every run of whitespace one space."""
    return _WS_RE.sub(" ", lowered)


def _collapse(strings: frozenset[str]) -> frozenset[str]:
    """Literals as they read in :func:`gate_text` (runs of spaces made one)."""
    if not any("  " in s for s in strings):
        return strings
    return frozenset(_SPACES_RE.sub(" ", s) for s in strings)


# The largest set of exact strings kept while concatenating ("[bp]ølle" → two strings).
_MAX_EXACT = 16
# Literals are cut to this many characters: a prefix of a literal a match contains is
# contained too, and longer literals select hardly better but make the automaton bigger.
_MAX_LITERAL = 10
# The largest character class expanded into single characters.
_MAX_CLASS = 8

_Strings = frozenset[str]
_SPACE: _Strings = frozenset({" "})


class _Node:
    """What an expression guarantees: the exact strings it matches (when few), and sets of
    literals such that every match contains one literal of each set."""

    __slots__ = ("exact", "required")

    def __init__(self, exact: _Strings | None, required: tuple[_Strings, ...] = ()) -> None:
        self.exact = exact
        self.required = required

    def sets(self) -> list[_Strings]:
        """Every valid literal set this node guarantees."""
        out = [s for s in self.required if _valid(s)]
        if self.exact is not None and _valid(self.exact):
            out.append(self.exact)
        return out


def _valid(strings: _Strings | None) -> bool:
    """A set is worth testing when none of its literals is in nearly every text."""
    return bool(strings) and all(map(_strong, strings))  # type: ignore[arg-type]


def _strong(literal: str) -> bool:
    """Not a space, one or two letters or digits, or a common punctuation mark ("i", "er",
    ".", " "): those occur in nearly every text."""
    core = literal.strip()
    if not core:
        return False
    if len(core) == 1:
        return not core.isalnum() and core not in _COMMON
    return len(core) >= 3 or not core.isalnum()


_COMMON = frozenset(".,:;!?-'\"()/")


def _score(strings: _Strings) -> tuple[int, int]:
    """Better gates have longer shortest literals, then fewer literals."""
    return (min(map(len, strings)), -len(strings))


def _best(sets: list[_Strings]) -> _Strings | None:
    return max(sets, key=_score, default=None)


def _class(items: list[tuple[Any, Any]]) -> _Strings | None:
    c = _sre_constants
    chars: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(chr(av))
        elif op is c.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update(chr(x) for x in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, wide ranges
            return None
        if len(chars) > _MAX_CLASS:
            return None
    return frozenset(chars)


def _item(op: Any, av: Any) -> _Node:
    c = _sre_constants
    if op is c.LITERAL:
        return _Node(frozenset({chr(av)}))
    if op is c.IN:
        if av == [(c.CATEGORY, c.CATEGORY_SPACE)]:
            return _Node(_SPACE)  # any whitespace reads as one space in gate_text
        return _Node(_class(av))
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return _Node(frozenset({""}))  # zero width: matches nothing of the text
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            return _Node(None)
        return _sequence(sub)
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _sequence(av)
    if op is c.BRANCH:
        nodes = [_sequence(branch) for branch in av[1]]
        exact: _Strings | None = None
        if all(n.exact is not None for n in nodes):
            union = frozenset().union(*(n.exact or () for n in nodes))
            exact = union if len(union) <= _MAX_EXACT else None
        required: set[str] = set()
        for n in nodes:
            got = _best(n.sets())
            if got is None:
                return _Node(exact)
            required.update(got)
        return _Node(exact, (frozenset(required),))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        inner = _sequence(sub)
        if inner.exact == _SPACE:  # \s+, \s{1,3}: one space; \s*, \s?: none or one
            return _Node(_SPACE if lo else _SPACE | {""})
        if lo == 0:
            if hi == 1 and inner.exact is not None and len(inner.exact) < _MAX_EXACT:
                return _Node(inner.exact | {""})
            return _Node(None)
        if lo == hi == 1:
            return inner
        return _Node(None, tuple(inner.sets()))
    return _Node(None)  # ANY, CATEGORY, NOT_LITERAL, GROUPREF, …


def _sequence(items: Any) -> _Node:
    run: _Strings | None = frozenset({""})  # exact strings of the current stretch
    required: list[_Strings] = []
    exact_throughout = True
    for op, av in items:
        node = _item(op, av)
        if node.exact is not None and run is not None:
            joined = _collapse(frozenset(a + b for a in run for b in node.exact))
            if len(joined) <= _MAX_EXACT:
                run = joined
                continue
        # the stretch ends here
        exact_throughout = False
        if _valid(run):
            required.append(run)  # type: ignore[arg-type]
        required.extend(s for s in node.required if _valid(s))
        run = node.exact
    if exact_throughout:
        return _Node(run)
    if _valid(run):
        required.append(run)  # type: ignore[arg-type]
    return _Node(None, tuple(required))


def _minimal(strings: _Strings) -> frozenset[str]:
    """Literals cut to :data:`_MAX_LITERAL` characters, without one that contains another
    (the shorter one is enough)."""
    ordered = sorted({s[:_MAX_LITERAL] for s in strings}, key=lambda s: (len(s), s))
    kept: list[str] = []
    for s in ordered:
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


def union_gate(sets: list[frozenset[str]]) -> frozenset[str]:
    """One literal set for "any of these": a text matching any alternative has one of them."""
    return _minimal(frozenset().union(*sets))


#: at most this many literal sets per gate (each must be present)
MAX_SETS = 4


def literal_gate(pattern: str) -> tuple[frozenset[str], ...] | None:
    """Sets of literals such that every match of ``pattern`` contains one literal of each
    set (the most selective set first), or None when nothing is certain.

    >>> [sorted(s) for s in literal_gate(r"\\b(?:skole|børne)have\\w*")]
    [['børnehave', 'skolehave']]
    >>> [sorted(s) for s in literal_gate(r"\\bvil\\s+ikke\\s+(?:hjem|fortælle)")]
    [['vil ikke f', 'vil ikke h']]
    >>> [sorted(s) for s in literal_gate(r"\\bvil\\s+ikke\\s+\\w+")]
    [['vil ikke ']]
    >>> literal_gate(r"\\d+\\s*måneder")  # "3måneder" and "3 måneder" contain "måneder"
    (frozenset({'måneder'}),)
    >>> literal_gate(r"\\d+\\s*år") is None  # two letters are in nearly every text
    True
    >>> literal_gate(r"\\w+") is None
    True
    """
    try:
        parsed = _sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    node = _sequence(list(parsed))
    sets = {_minimal(s) for s in node.sets()}
    if not sets:
        return None
    ordered = sorted(sets, key=_score, reverse=True)
    return tuple(ordered[:MAX_SETS])


class GateIndex:
    """Every registered literal in one Aho–Corasick automaton (thread-safe).

    >>> index = GateIndex()
    >>> gate = index.register((frozenset({"kniv", "økse"}),))
    >>> sorted(index.present("han har en kniv"))
    ['kniv']
    >>> index.passes(gate, index.present("han har en kniv"))
    True
    """

    def __init__(self) -> None:
        self._literals: set[str] = set()
        self._automaton: Any = None
        self._lock = threading.Lock()

    def register(self, gate: Iterable[frozenset[str]]) -> tuple[frozenset[str], ...]:
        """Add a gate's literals to the index; returns the gate to test with."""
        gate = tuple(gate)
        literals = frozenset().union(*gate)
        with self._lock:
            if not literals <= self._literals:
                self._literals |= literals
                self._automaton = None  # rebuilt on the next look-up
        return gate

    @staticmethod
    def passes(gate: tuple[frozenset[str], ...], present: set[str]) -> bool:
        """True if every set of the gate has a literal in ``present``."""
        for literals in gate:  # noqa: SIM110 (a loop: no generator on the hot path)
            if literals.isdisjoint(present):
                return False
        return True

    def present(self, lowered: str) -> set[str]:
        """The registered literals that occur in ``lowered`` (a lower-cased text)."""
        automaton = self._automaton
        if automaton is None:
            with self._lock:
                automaton = self._automaton
                if automaton is None:
                    automaton = ahocorasick.Automaton()
                    for literal in self._literals:
                        automaton.add_word(literal, literal)
                    automaton.make_automaton()
                    self._automaton = automaton
        if not len(automaton):
            return set()
        return {literal for _end, literal in automaton.iter(lowered)}


#: the index every pack registers its gates in
GATES = GateIndex()
