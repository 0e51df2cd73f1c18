"""A text model for the categories of a whole post or message (the rules' safety net).

Pattern rules find what they were written for; people write the same thing in many other
ways. This detector scores the whole text for every category of ``SCHEMA.md`` with a linear
model (binary TF-IDF over words, word pairs and character n-grams, plus the channel and the
author's role),
trained by ``scripts/train_categories.py`` on the labelled development corpora. It reports
``TEXT_<CATEGORY>`` (posts) and ``MSG_<CATEGORY>`` (citizens' messages) when the
probability reaches the category's threshold, chosen by cross-validation. The span is the
sentence that contributes most, so a finding points somewhere sensible.

Only rules turn these detections into findings: the ``model_*`` rules of the base pack are
``fallback`` rules, dropped when a pattern rule already found the same category.

The artefact (``data/categories.model.json.gz``) is plain JSON; no scikit-learn at run time.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

from ..model import Detection
from ..text import Document, Token

__all__ = [
    "ARTEFACT",
    "MIN_WORDS",
    "CategoryDetector",
    "CategoryModel",
    "features",
    "labels",
    "load_model",
    "word_count",
]

ARTEFACT = "data/categories.model.json.gz"
FORMAT = "omtanke-categories-1"
_CHAR_MIN, _CHAR_MAX = 3, 5
#: below this many words a text gives the model too little to go on ("Dejlig tur i skoven
#: med familien i dag" is not about anybody's data): the rules alone decide
MIN_WORDS = 10
_PREFIX = {"post": "TEXT_", "inbox": "MSG_"}


def labels() -> frozenset[str]:
    """Every label this detector can report (read from the shipped model)."""
    model = load_model()
    return frozenset(
        _PREFIX[kind] + cat.upper() for kind, block in model.kinds.items() for cat in block.names
    )


def features(
    tokens: Sequence[Token], channel: str | None = None, role: str | None = None
) -> set[str]:
    """The binary features of a text: words, word pairs, character n-grams, channel, role
    (alone and with the channel: a pædagog on a private profile writes other things than
    the municipality's page).

    Shared by the training script and the detector, so both see the same features.
    """
    words = [t.lower for t in tokens]
    out: set[str] = set()
    for w in words:
        out.update(_word_features(w))
    out.update(f"b={a} {b}" for a, b in itertools.pairwise(words))
    out.update(_context_features(channel, role))
    return out


def _context_features(channel: str | None, role: str | None) -> list[str]:
    out = []
    if channel:
        out.append("ch=" + channel)
    if role:
        out.append("ro=" + role)
        if channel:
            out.append(f"rc={role}:{channel}")
    return out


def _word_features(word: str) -> list[str]:
    out = ["w=" + word]
    if len(word) < 2 or not any(c.isalpha() for c in word):
        return out
    padded = f" {word} "
    size = len(padded)
    out.extend(
        "c=" + padded[i : i + n]
        for n in range(_CHAR_MIN, _CHAR_MAX + 1)
        for i in range(size - n + 1)
    )
    return out


def word_count(tokens: Sequence[Token], enough: int | None = None) -> int:
    """The number of tokens with a letter (counting stops at ``enough``)."""
    n = 0
    for t in tokens:
        w = t.text
        if w.isalpha() or (not w.isdigit() and any(c.isalpha() for c in w)):
            n += 1
            if n == enough:
                break
    return n


class _Block:
    """One kind's model: the vocabulary with idf and, per category, weights and threshold.

    Weights are kept as one matrix (feature × category, idf folded in), so a text is scored
    for every category with one sum over its features.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        import numpy as np

        names: list[str] = data["features"]
        n = int(data["n_docs"])
        idf = np.array([math.log((1 + n) / (1 + int(df))) + 1.0 for df in data["df"]])
        self.index: dict[str, int] = {f: i for i, f in enumerate(names)}
        self.idf2 = idf * idf
        cats = data["categories"]
        self.names: list[str] = list(cats)
        self.weights = np.array([c["coef"] for c in cats.values()], dtype=float).T * idf[:, None]
        self.intercepts = np.array([float(c["intercept"]) for c in cats.values()])
        self.intercept_list: list[float] = self.intercepts.tolist()
        # weights and idf² side by side: one gather sums both for a text
        self.table = np.ascontiguousarray(np.hstack([self.weights, self.idf2[:, None]]))
        self.thresholds: dict[str, float] = {cat: float(c["threshold"]) for cat, c in cats.items()}
        self._word_ids: dict[str, tuple[int, ...]] = {}

    def word_ids(self, word: str) -> tuple[int, ...]:
        """The feature ids of one word (the word and its character n-grams), memoised."""
        got = self._word_ids.get(word)
        if got is None:
            index = self.index
            got = tuple(i for f in _word_features(word) if (i := index.get(f, -1)) >= 0)
            if len(self._word_ids) > 200_000:
                self._word_ids.clear()
            self._word_ids[word] = got
        return got

    def ids(self, words: Sequence[str], channel: str | None, role: str | None = None) -> list[int]:
        index = self.index
        memo = self._word_ids
        got: list[tuple[int, ...] | None] = list(map(memo.get, words))
        parts = [p if p is not None else self.word_ids(w) for p, w in zip(got, words, strict=True)]
        out: set[int] = set().union(*parts)
        out.update(map(index.get, map("b={} {}".format, words, words[1:]), itertools.repeat(-1)))
        if channel or role:
            out.update(index.get(f, -1) for f in _context_features(channel, role))
        out.discard(-1)
        return list(out)

    def sums(self, ids: Iterable[int]) -> tuple[list[float], float]:
        """The sum of every category's weights over ``ids``, and the sum of idf²."""
        import numpy as np

        arr = np.fromiter(ids, dtype=np.intp)
        if not len(arr):
            return [0.0] * len(self.names), 0.0
        total = self.table[arr].sum(axis=0).tolist()
        return total[:-1], total[-1]

    def scores(self, ids: Iterable[int]) -> dict[str, float]:
        """Probability per category for a text with feature ids ``ids``."""
        weights, idf2 = self.sums(ids)
        if not idf2:
            return {}
        norm = math.sqrt(idf2) or 1.0
        return {
            cat: 1.0 / (1.0 + math.exp(-(b + w / norm)))
            for cat, b, w in zip(self.names, self.intercept_list, weights, strict=True)
        }

    def weight(self, ids: Sequence[int], cat: str) -> float:
        return float(self.weights[ids, self.names.index(cat)].sum()) if ids else 0.0


class CategoryModel:
    def __init__(self, data: Mapping[str, Any]) -> None:
        if data.get("format") != FORMAT:
            raise ValueError("unsupported category model format")
        self.kinds: dict[str, _Block] = {k: _Block(v) for k, v in data["kinds"].items()}
        self.meta: dict[str, Any] = dict(data.get("meta", {}))


_lock = threading.Lock()
_model: CategoryModel | None = None


def load_model() -> CategoryModel:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                raw = resources.files(__package__).joinpath(ARTEFACT).read_bytes()
                _model = CategoryModel(json.loads(gzip.decompress(raw)))
    return _model


class CategoryDetector:
    name = "categories"

    def __init__(self) -> None:
        self.model = load_model()

    def detect(self, doc: Document) -> list[Detection]:
        tokens = doc.tokens
        if word_count(tokens, MIN_WORDS) < MIN_WORDS:
            return []
        channel = doc.memo.get("channel")
        role = doc.memo.get("role")
        kind = doc.memo.get("kind")  # the engine says post or inbox; else score both
        out: list[Detection] = []
        for name, block in self.model.kinds.items():
            if kind is not None and name != kind:
                continue
            ids = block.ids(
                doc.token_lowers,
                channel if isinstance(channel, str) else None,
                role if isinstance(role, str) else None,
            )
            found = [(c, p) for c, p in block.scores(ids).items() if p >= block.thresholds[c]]
            if not found:
                continue
            per_sentence = [
                (s0, s1, block.sums(s_ids)[0]) for s0, s1, s_ids in self._sentence_ids(doc, block)
            ]
            for cat, p in found:
                k = block.names.index(cat)
                start, end = max(per_sentence, key=lambda s: s[2][k])[:2]
                threshold = block.thresholds[cat]
                out.append(
                    Detection(
                        _PREFIX[name] + cat.upper(),
                        start,
                        end,
                        p,
                        self.name,
                        f"tekstmodel: {p:.0%} (grænse {threshold:.0%})",
                        {"model_score": p, "threshold": threshold},
                    )
                )
        return out

    @staticmethod
    def _sentence_ids(doc: Document, block: _Block) -> list[tuple[int, int, list[int]]]:
        """Each sentence (trimmed) with its own feature ids: a finding's span is the sentence
        that weighs most for the category."""
        text = doc.text
        tokens = doc.tokens
        lowers = doc.token_lowers
        out: list[tuple[int, int, list[int]]] = []
        k, n = 0, len(tokens)
        for s0, s1 in doc.sentences:
            first = k
            while k < n and tokens[k].start < s1:
                k += 1
            if k == first:
                continue
            while s1 > s0 and text[s1 - 1].isspace():
                s1 -= 1
            while s0 < s1 and text[s0].isspace():
                s0 += 1
            out.append((s0, s1, block.ids(lowers[first:k], None)))
        return out
