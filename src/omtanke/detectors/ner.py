"""A small statistical tagger for named entities in Danish text (persons first).

The model is a greedy left-to-right maximum-entropy tagger (multinomial logistic regression
over BIO tags for ``PER``, ``LOC``, ``ORG`` and ``MISC``, the first level of DaN+, with the
previous predicted tag as a feature), trained by ``scripts/train_ner.py`` on the DaN+ news
training split and shipped as ``data/ner.model.json.gz`` (see ``docs/NER.md`` and
``data/ner.LICENSE.txt``: the weights are derived from CC BY-SA 4.0 text).

It is built to be cheap enough to run on every post:

* only tokens that could start or continue a name are scored: tokens with an upper-case
  letter (not greetings, and not function words unless a capitalised word follows), a
  number right after such a token, and name particles between two of them ("Lars von
  Trier"); every other token is ``O`` without being looked at;
* the weights of a token's word-level and position features (the word, its shape,
  prefixes and suffixes, the name lists, sentence-initial or not) are summed once per
  distinct word and cached, so a token costs only the lookups of its context features;
* the tagging of a document happens lazily, on the first question asked about it.

Features: the lower-cased word, its shape (``Xx``, ``X.``, ``XX``, ``d``), prefixes and
suffixes, the sentence-initial flag (with the same rule as the name detector), the words,
shapes and punctuation around the token, gazetteers from the shipped data (first-name and
surname bearer counts from Danmarks Statistik, the possessive ``-s`` form, hyphenated
names, the public-figure list, street names, place and business words, the name
detector's ambiguity lists, and how often the word occurs in lower case), titles and
greetings before the token, and the previous tag.

Confidence: the scores of the possible tags are turned into probabilities by a softmax with
a temperature fitted on held-out training data; a span's score is the mean probability of
its entity type over its tokens.

Library code never logs or prints the analysed text.
"""

from __future__ import annotations

import gzip
import json
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Final

from ..text import Document, Token
from . import names as _names

__all__ = [
    "ENTITY_TYPES",
    "LABELS",
    "MODEL_FILE",
    "FeatureExtractor",
    "Gazetteer",
    "NerModel",
    "NerSpan",
    "PersonTagger",
    "Tagging",
    "eligible_tokens",
    "initial_flags",
    "joins",
    "load_model",
]

#: The tags, in the order of the weight vectors.
LABELS: Final = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
ENTITY_TYPES: Final = ("PER", "LOC", "ORG", "MISC")
MODEL_FILE: Final = "ner.model.json.gz"
FORMAT: Final = "omtanke-ner-maxent/1"

_N: Final = len(LABELS)
_O: Final = 0
#: Index of the B- and I- tag of each entity type.
_B: Final = {t: LABELS.index("B-" + t) for t in ENTITY_TYPES}
_I: Final = {t: LABELS.index("I-" + t) for t in ENTITY_TYPES}
#: For each tag, the tags that may follow it (I-X only after B-X or I-X).
_ALLOWED: Final = tuple(
    tuple(
        k
        for k, lab in enumerate(LABELS)
        if not lab.startswith("I-") or (LABELS[prev][2:] == lab[2:] and prev != _O)
    )
    for prev in range(_N)
)
#: Lower-case words that may sit inside a name between two capitalised words.
PARTICLES: Final = frozenset(
    {"von", "van", "de", "der", "den", "da", "di", "du", "la", "le", "af", "al", "el"}
    | {"ter", "ten", "bin", "ibn", "y", "zu", "dos", "das", "del", "della"}
)
_WORD_CACHE_MAX: Final = 50_000


# --- text helpers ---------------------------------------------------------------------------


def _has_upper(text: str) -> bool:
    return not text.islower() and text.lower() != text


#: Greetings and sign-offs ("Hej", "Mvh", "Kære"): never part of a name, and rare in news.
_NEVER_ENTITY: Final = _names._GREETINGS | _names._SIGNOFFS


#: Function words ("Det", "Jeg", "De"): scored only before a capitalised word ("Det
#: Radikale Venstre", "De Grå Sider").
_FUNCTION: Final = _names._FUNCTION_WORDS


def eligible_tokens(text: str, toks: Sequence[Token]) -> list[int]:
    """Indices of the tokens the model scores: tokens with an upper-case letter (except
    greetings and sign-offs, and function words not followed by a capitalised word), a
    number right after one ("Windows 95"), and a name particle between two ("Lars von
    Trier"). Every other token is tagged ``O``."""
    out: list[int] = []
    n = len(toks)
    prev = -2
    for i in range(n):
        t = toks[i].text
        low = toks[i].lower
        if (
            _has_upper(t)
            and low not in _NEVER_ENTITY
            and (low not in _FUNCTION or (i + 1 < n and _has_upper(toks[i + 1].text)))
        ) or (
            prev == i - 1
            and (
                (t.isdigit() and len(t) <= 4)
                or (t in PARTICLES and i + 1 < n and _has_upper(toks[i + 1].text))
            )
        ):
            out.append(i)
            prev = i
    return out


_is_initial = _names.is_sentence_initial


def joins(text: str, toks: Sequence[Token], i: int, initial: Callable[[int], bool]) -> bool:
    """May token ``i`` continue an entity that token ``i - 1`` is part of? Only across
    spaces on one line, or the period of an initial or abbreviation ("H.C. Andersen")."""
    if i == 0:
        return False
    gap = text[toks[i - 1].end : toks[i].start]
    if not gap or gap == " ":
        return True
    s = gap.strip()
    if "\n" in gap:
        return False
    return not s or (s == "." and not initial(i))


def initial_flags(text: str, toks: Sequence[Token]) -> list[bool]:
    """For every token: does it start a sentence (see :func:`_is_initial`)?"""
    return [_is_initial(text, toks, i) for i in range(len(toks))]


def _gap_class(gap: str) -> str:
    """What separates two tokens: ``sp`` (spaces), ``nl`` (a line break), ``""`` (nothing)
    or the last punctuation character (``E`` for an emoji or other symbol)."""
    s = gap.strip()
    if not s:
        if not gap:
            return ""
        return "nl" if "\n" in gap else "sp"
    c = s[-1]
    if c.isascii() or c in "«»“”„–—…’‘":
        return c
    return "E"


def _shape(word: str) -> str:
    out: list[str] = []
    last = ""
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if c != last:
            out.append(c)
            last = c
    return "".join(out)


def _bucket(count: int) -> int:
    if count <= 0:
        return 0
    if count < 50:
        return 1
    if count < 200:
        return 2
    if count < 1000:
        return 3
    if count < 5000:
        return 4
    return 5


def _lc_bucket(count: int) -> int:
    if count <= 0:
        return 0
    if count < 3:
        return 1
    if count < 20:
        return 2
    return 3


# --- gazetteers and features ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """The word lists behind the gazetteer features."""

    first: Mapping[str, int]
    surnames: Mapping[str, int]
    public_first: frozenset[str]
    streets: frozenset[str]
    lower_counts: Mapping[str, int]

    @classmethod
    def load(cls, lower_counts: Mapping[str, int]) -> Gazetteer:
        """The shipped name lists (the same files :mod:`.names` uses), the street list
        (the address detector's) and the lower-case word counts stored with the model."""
        from .address import load_street_index

        lex = _names.load_lexicon()
        public = frozenset(k.lower() for k in lex.public)
        streets = frozenset(k for k in load_street_index().keys if " " not in k)
        return cls(lex.first, lex.surnames, public, streets, lower_counts)


@dataclass(frozen=True, slots=True)
class WordInfo:
    """Word-level facts about a token text (independent of its position)."""

    features: tuple[str, ...]
    low: str
    shape: str
    fn: int  # first-name bucket
    sn: int  # surname bucket
    lc: int  # lower-case frequency bucket
    upper: bool
    flags: str  # "p" place word, "s" street, "t" title, "g" greeting/sign-off, "r" relation


class FeatureExtractor:
    """Turns tokens into feature strings; shared by the runtime and the training script."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self._cache: dict[str, WordInfo] = {}

    def word(self, text: str) -> WordInfo:
        info = self._cache.get(text)
        if info is None:
            if len(self._cache) >= _WORD_CACHE_MAX:
                self._cache.clear()
            info = self._word(text)
            self._cache[text] = info
        return info

    def _lookup(self, key: str) -> tuple[int, int]:
        gaz = self.gaz
        return gaz.first.get(key, 0), gaz.surnames.get(key, 0)

    def _word(self, text: str) -> WordInfo:
        low = text.lower()
        shape = _shape(text)
        key = low
        if key[-1:] in "'’":
            key = key[:-1]
        elif len(key) > 3 and key[-2] in "'’" and key[-1] == "s":
            key = key[:-2]
        f: list[str] = ["b", "w=" + low, "sh=" + shape]
        for k in (1, 2, 3, 4):
            if len(low) > k:
                f.append(f"s{k}={low[-k:]}")
        for k in (2, 3):
            if len(low) > k:
                f.append(f"x{k}={low[:k]}")
        if len(low) <= 2:
            f.append(f"len{len(low)}")
        fn_count, sn_count = self._lookup(key)
        fn, sn = _bucket(fn_count), _bucket(sn_count)
        f.append(f"fs={fn}{sn}")
        if fn:
            f.append(f"fn={fn}")
        if sn:
            f.append(f"sn={sn}")
        if key != low:
            f.append("apos")
        if key != low:
            f.append("k=" + key)
        if len(key) > 3 and key[-1] == "s":
            f.append("g=" + key[:-1])
            g_fn, g_sn = self._lookup(key[:-1])
            if g_fn or g_sn:
                f.append(f"gen={_bucket(g_fn)}{_bucket(g_sn)}")
        if "-" in key:
            parts = key.split("-")
            looked = [self._lookup(p) for p in parts]
            f.append("hy")
            if all(a for a, _ in looked):
                f.append("hy=fn")
            if looked[-1][1]:
                f.append("hy=sn")
            if (
                parts[0]
                and text[:1].isupper()
                and not any(p[:1].isupper() for p in text.split("-")[1:])
            ):
                f.append("hy=head")
        gaz = self.gaz
        if key in gaz.public_first:
            f.append("pub")
        flags = ""
        if key.replace("é", "e") in gaz.streets:
            f.append("street")
            flags += "s"
        if key in _names._PLACE_WORDS or (len(key) > 6 and key.endswith(_names._PLACE_SUFFIXES)):
            f.append("place")
            flags += "p"
        if key in _names.NEVER_FIRST:
            f.append("amb=never")
        elif key in _names.AMBIGUOUS_ALWAYS:
            f.append("amb=always")
        elif key in _names.AMBIGUOUS_INITIAL:
            f.append("amb=initial")
        if (
            key in _names._SURNAME_TITLES
            or key in _names._PUBLIC_TITLES
            or key.endswith(("minister", "ministeren"))
        ):
            flags += "t"
        if key in _names._GREETINGS or key in _names._SIGNOFFS:
            flags += "g"
        if key in _names._RELATIONS:
            flags += "r"
        lc = _lc_bucket(gaz.lower_counts.get(low, 0))
        f.append(f"lc={lc}")
        upper = _has_upper(text)
        if upper and len(text) > 1 and text.isupper():
            f.append("caps")
        return WordInfo(tuple(f), low, shape, fn, sn, lc, upper, flags)

    @staticmethod
    def position(w: WordInfo, initial: bool) -> tuple[str, ...]:
        """The features of a word at the start of a sentence or inside one."""
        if initial:
            return (
                "ini",
                f"ini|fs={w.fn}{w.sn}",
                f"ini|lc={w.lc}",
                "ini|sh=" + w.shape,
                "p1=<S>",
                f"p1|sh=<S>|{w.shape}",
            )
        return (f"mid|fs={w.fn}{w.sn}", f"mid|lc={w.lc}")

    def context(
        self, text: str, toks: Sequence[Token], i: int, initial: Callable[[int], bool]
    ) -> list[str]:
        """The features of token ``i`` that depend on its neighbours (beyond
        :meth:`position`)."""
        w = self.word(toks[i].text)
        n = len(toks)
        f: list[str] = []
        if not initial(i):
            prev = toks[i - 1]
            pw = self.word(prev.text)
            p1 = "<N>" if prev.text.isdigit() else pw.low
            f.append("p1s=" + pw.shape)
            if not pw.upper and len(pw.low) > 4:
                f.append("p1x=" + pw.low[-4:])
            f.append("g=" + _gap_class(text[prev.end : toks[i].start]))
            if pw.upper:
                f.append(f"p1fs={pw.fn}{pw.sn}")
                f.append(f"p1fs|fs={pw.fn}{pw.sn}|{w.fn}{w.sn}")
            for flag in pw.flags:
                f.append("p1f=" + flag)
            if i >= 2 and not initial(i - 1):
                f.append("p2=" + self.word(toks[i - 2].text).low)
            else:
                f.append("p2=<S>")
            f.append("p1=" + p1)
            f.append(f"p1|sh={p1}|{w.shape}")
        if i + 1 < n and not initial(i + 1):
            nxt = toks[i + 1]
            nw = self.word(nxt.text)
            f.append("n1=" + ("<N>" if nxt.text.isdigit() else nw.low))
            f.append("n1s=" + nw.shape)
            f.append("ng=" + _gap_class(text[toks[i].end : nxt.start]))
            if nw.upper:
                f.append(f"n1fs={nw.fn}{nw.sn}")
                f.append(f"fs|n1fs={w.fn}{w.sn}|{nw.fn}{nw.sn}")
                for flag in nw.flags:
                    f.append("n1f=" + flag)
            if i + 2 < n and not initial(i + 2):
                f.append("n2=" + self.word(toks[i + 2].text).low)
            else:
                f.append("n2=</S>")
        else:
            f.append("n1=</S>")
            end = toks[i + 1].start if i + 1 < n else len(text)
            f.append("ng=" + _gap_class(text[toks[i].end : end]))
        return f


def tag_features(prev: int, shape: str) -> tuple[str, str]:
    """The features that depend on the previous tag."""
    p = LABELS[prev]
    return "pt=" + p, f"pt={p}|{shape}"


# --- the model ------------------------------------------------------------------------------


class NerModel:
    """The trained weights: feature → one weight per tag in :data:`LABELS`."""

    def __init__(
        self,
        weights: Mapping[str, Sequence[float]],
        *,
        temperature: float = 1.0,
        lower_counts: Mapping[str, int] | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        self.weights: dict[str, tuple[float, ...]] = {k: tuple(v) for k, v in weights.items()}
        self.temperature = temperature
        self.lower_counts: dict[str, int] = dict(lower_counts or {})
        self.meta: dict[str, Any] = dict(meta or {})

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NerModel:
        if data.get("format") != FORMAT or tuple(data.get("labels", ())) != LABELS:
            raise ValueError("unknown NER model format")
        scale = float(data["scale"])
        values: dict[int, float] = {}
        weights: dict[str, tuple[float, ...]] = {}
        for feat, sparse in data["weights"].items():
            vec = [0.0] * _N
            for k in range(0, len(sparse), 2):
                q = int(sparse[k + 1])
                v = values.get(q)
                if v is None:
                    v = values[q] = q / scale
                vec[int(sparse[k])] = v
            weights[feat] = tuple(vec)
        lower = {w: int(c) for w, c in data.get("lower_counts", {}).items()}
        return cls(
            weights,
            temperature=float(data.get("temperature", 1.0)),
            lower_counts=lower,
            meta=data.get("meta", {}),
        )

    def to_json(self, scale: float) -> dict[str, Any]:
        """The compact form: weights quantised to ``round(w * scale)``, zeros left out."""
        out: dict[str, list[int]] = {}
        for feat in sorted(self.weights):
            sparse: list[int] = []
            for k, w in enumerate(self.weights[feat]):
                q = round(w * scale)
                if q:
                    sparse += [k, q]
            if sparse:
                out[feat] = sparse
        return {
            "format": FORMAT,
            "labels": list(LABELS),
            "scale": scale,
            "temperature": self.temperature,
            "lower_counts": dict(sorted(self.lower_counts.items())),
            "meta": self.meta,
            "weights": out,
        }

    @classmethod
    def read(cls, path: Path | None = None) -> NerModel:
        """Read a model file (default: the shipped one)."""
        if path is None:
            raw = resources.files(__package__).joinpath("data", MODEL_FILE).read_bytes()
        else:
            raw = path.read_bytes()
        return cls.from_json(json.loads(gzip.decompress(raw).decode("utf-8")))


_model: NerModel | None = None
_model_lock = threading.Lock()


def load_model() -> NerModel:
    """The shipped model, loaded once per process."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = NerModel.read()
    return _model


# --- tagging --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NerSpan:
    """An entity the model found: code-point offsets, the type (``PER``, ``LOC``, ``ORG``,
    ``MISC``), a confidence in ``[0, 1]`` and the first and last token index."""

    start: int
    end: int
    label: str
    score: float
    first: int
    last: int


class Tagging:
    """The model's reading of one document. Computed on the first question asked."""

    def __init__(self, tagger: PersonTagger, doc: Document) -> None:
        self._tagger = tagger
        self.doc = doc

    @cached_property
    def _decoded(self) -> tuple[list[int], dict[int, list[float]]]:
        return self._tagger._decode(self.doc)

    @property
    def tags(self) -> list[str]:
        """A BIO tag for every token of the document."""
        return [LABELS[k] for k in self._decoded[0]]

    def probabilities(self, i: int) -> list[float] | None:
        """The probability of each tag in :data:`LABELS` at token ``i`` (``None`` for a
        token the model does not score: it is ``O``)."""
        return self._decoded[1].get(i)

    def prob(self, i: int, label: str = "PER") -> float:
        """The probability that token ``i`` is part of an entity of type ``label``."""
        p = self._decoded[1].get(i)
        if p is None:
            return 0.0
        return p[_B[label]] + p[_I[label]]

    def span_prob(self, first: int, last: int, label: str = "PER") -> float:
        """The mean probability of ``label`` over tokens ``first..last``."""
        if last < first:
            return 0.0
        return sum(self.prob(i, label) for i in range(first, last + 1)) / (last - first + 1)

    @cached_property
    def _spans(self) -> list[NerSpan]:
        tags, _ = self._decoded
        toks = self.doc.tokens
        out: list[NerSpan] = []
        i = 0
        n = len(tags)
        while i < n:
            lab = LABELS[tags[i]]
            if lab == "O":
                i += 1
                continue
            etype = lab[2:]
            j = i + 1
            while j < n and tags[j] == _I[etype]:
                j += 1
            score = self.span_prob(i, j - 1, etype)
            out.append(NerSpan(toks[i].start, toks[j - 1].end, etype, score, i, j - 1))
            i = j
        return out

    def spans(self, label: str | None = None) -> list[NerSpan]:
        """Every entity the model tagged (of type ``label`` when given)."""
        if label is None:
            return list(self._spans)
        return [s for s in self._spans if s.label == label]

    def persons(self) -> list[NerSpan]:
        return self.spans("PER")


class PersonTagger:
    """Tags persons (and places, organisations and other names) in a document."""

    def __init__(self, model: NerModel | None = None) -> None:
        self.model = model if model is not None else load_model()
        self.features = FeatureExtractor(Gazetteer.load(self.model.lower_counts))
        self._word_scores: tuple[dict[str, tuple[float, ...]], ...] = ({}, {})
        self._inv_t = 1.0 / self.model.temperature

    def set_temperature(self, temperature: float) -> None:
        """Change the softmax temperature (used when fitting it)."""
        self.model.temperature = temperature
        self._inv_t = 1.0 / temperature

    def tag(self, doc: Document) -> Tagging:
        """The model's reading of ``doc`` (lazy: nothing is computed until asked)."""
        return Tagging(self, doc)

    def persons(self, doc: Document) -> list[NerSpan]:
        return self.tag(doc).persons()

    # -- internals --------------------------------------------------------------------------

    def _word_vector(self, text: str, initial: bool) -> tuple[float, ...]:
        """The summed weights of the word-level and position features (cached)."""
        cache = self._word_scores[initial]
        vec = cache.get(text)
        if vec is None:
            if len(cache) >= _WORD_CACHE_MAX:
                cache.clear()
            weights = self.model.weights
            info = self.features.word(text)
            feats = (*info.features, *self.features.position(info, initial))
            found = [w for f in feats if (w := weights.get(f))]
            vec = tuple(map(sum, zip(*found, strict=True))) if found else (0.0,) * _N
            cache[text] = vec
        return vec

    def _decode(self, doc: Document) -> tuple[list[int], dict[int, list[float]]]:
        toks = doc.tokens
        text = doc.text
        tags = [_O] * len(toks)
        probs: dict[int, list[float]] = {}
        eligible = eligible_tokens(text, toks)
        if not eligible:
            return tags, probs
        weights = self.model.weights
        flags: dict[int, bool] = {}

        def initial(k: int) -> bool:
            v = flags.get(k)
            if v is None:
                v = flags[k] = _is_initial(text, toks, k)
            return v

        inv_t = self._inv_t
        prev_i = -2
        prev_tag = _O
        extract = self.features.context
        for i in eligible:
            if prev_i != i - 1 or not joins(text, toks, i, initial):
                prev_tag = _O
            found = [self._word_vector(toks[i].text, initial(i))]
            shape = self.features.word(toks[i].text).shape
            for f in extract(text, toks, i, initial):
                w = weights.get(f)
                if w is not None:
                    found.append(w)
            for f in tag_features(prev_tag, shape):
                w = weights.get(f)
                if w is not None:
                    found.append(w)
            scores = list(map(sum, zip(*found, strict=True)))
            allowed = _ALLOWED[prev_tag]
            best = max(allowed, key=scores.__getitem__)
            top = scores[best]
            exps = [0.0] * _N
            total = 0.0
            for k in allowed:
                e = math.exp((scores[k] - top) * inv_t)
                exps[k] = e
                total += e
            probs[i] = [e / total for e in exps]
            tags[i] = best
            prev_tag = best
            prev_i = i
        return tags, probs
