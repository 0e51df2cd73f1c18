"""Train the Danish named-entity tagger behind the person-name detector.

    .venv/bin/python scripts/train_ner.py            # train, evaluate, write the artefact
    .venv/bin/python scripts/train_ner.py --check    # only evaluate the shipped artefact

Data: DaN+ (Plank, Jensen & van der Goot, COLING 2020), news split, from
``../shared/data/ner/danplus_news/`` (``TOKEN<TAB>LEVEL1<TAB>LEVEL2``, BIO). Only the first
level is used, and only the exact types PER/LOC/ORG/MISC (``-deriv``/``-part`` count as O).

Method: a greedy left-to-right maximum-entropy tagger (multinomial logistic regression over
BIO tags, the previous predicted tag as a feature; trained with Adagrad and L2; see
``src/omtanke/detectors/ner.py`` for the features, which this script shares with the
runtime). The sentences are detokenised and re-tokenised with the product's own tokenizer
(:class:`omtanke.text.Document`), so the model is trained on exactly the tokens and gaps it
sees at run time. Augmentation: ``--augment`` copies of every sentence with a person, the
names replaced by random names from the shipped name lists (see ``docs/NER.md``).

Protocol (honest about what saw which data):

* the number of epochs is chosen by PER F1 on the news **dev** split (early stopping; the
  only use of dev);
* the softmax temperature behind the confidences is fitted on a held-out 10% of the
  **train** split, with a model trained on the other 90%;
* the shipped model is trained on the whole train split (+ augmentation) for the chosen
  number of epochs,
  pruned (weights whose quantised value is below ``--prune``) and quantised;
* the scores printed and stored in ``ner.scores.json`` are those of the shipped artefact,
  read back and run through the runtime code (entity-level exact match on DaN+ tokens).

The combined person-name detector (name lists + rules + this model) is evaluated on the
same dev split, with and without the model (PER; exact and overlap match).

Training is deterministic (fixed seed, gzip mtime 0): a rerun gives the same bytes.
Prints only aggregate figures; never the sentences.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from omtanke.detectors.ner import (  # noqa: E402
    ENTITY_TYPES,
    LABELS,
    MODEL_FILE,
    FeatureExtractor,
    Gazetteer,
    NerModel,
    PersonTagger,
    eligible_tokens,
    initial_flags,
    joins,
    tag_features,
)
from omtanke.text import Document  # noqa: E402

SHARED = REPO.parent / "shared" / "data" / "ner"
NEWS_TRAIN = SHARED / "danplus_news" / "da_news_train.tsv"
NEWS_DEV = SHARED / "danplus_news" / "da_news_dev.tsv"
SOCIAL = [
    SHARED / "danplus_social" / "da_arto_dev.tsv",
    SHARED / "danplus_social" / "da_twitter_dev.tsv",
]
DATA_DIR = REPO / "src" / "omtanke" / "detectors" / "data"
SCORES_FILE = "ner.scores.json"
EVAL_DEV = REPO.parent / "shared" / "eval" / "dev.jsonl"

_NO_SPACE_BEFORE = frozenset(".,:;!?)]}%…")
_NO_SPACE_AFTER = frozenset("([{")
_N = len(LABELS)


# --- data -----------------------------------------------------------------------------------


@dataclass
class Sentence:
    """A DaN+ sentence, detokenised, with the gold entities on DaN+ tokens and the gold tags
    on the product's tokens."""

    text: str
    offsets: list[tuple[int, int]]  # DaN+ token → character span
    gold: set[tuple[int, int, str]]  # (first, last DaN+ token, type)
    doc: Document
    tags: list[int] = field(default_factory=list)  # gold tag per product token


def shown(path: Path) -> str:
    """``path`` relative to the repository when it is inside it."""
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        parts = line.split("\t")
        cur.append((parts[0], parts[1] if len(parts) > 1 else "O"))
    if cur:
        sents.append(cur)
    return sents


def _type(tag: str) -> str | None:
    if tag == "O" or len(tag) < 3:
        return None
    t = tag[2:]
    return t if t in ENTITY_TYPES else None


def gold_spans(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Entities from BIO tags (an I- without a matching B- starts an entity)."""
    out: set[tuple[int, int, str]] = set()
    start: int | None = None
    cur: str | None = None
    for i, tag in enumerate([*tags, "O"]):
        t = _type(tag)
        if start is not None and (t != cur or tag.startswith("B-")):
            assert cur is not None
            out.add((start, i - 1, cur))
            start, cur = None, None
        if t is not None and start is None:
            start, cur = i, t
    return out


def build(raw: list[tuple[str, str]]) -> Sentence:
    pieces: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    prev = ""
    for k, (word, _) in enumerate(raw):
        if k and not (word in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER):
            pieces.append(" ")
            pos += 1
        offsets.append((pos, pos + len(word)))
        pieces.append(word)
        pos += len(word)
        prev = word
    text = "".join(pieces)
    gold = gold_spans([tag for _, tag in raw])
    doc = Document(text)
    sent = Sentence(text, offsets, gold, doc)
    # project the gold entities onto the product's tokens
    tags = [0] * len(doc.tokens)
    for first, last, etype in gold:
        s, e = offsets[first][0], offsets[last][1]
        inside = [i for i, t in enumerate(doc.tokens) if t.start < e and s < t.end]
        for n, i in enumerate(inside):
            tags[i] = LABELS.index(("B-" if n == 0 else "I-") + etype)
    sent.tags = tags
    return sent


def load(path: Path) -> list[Sentence]:
    return [build(raw) for raw in read_conll(path)]


def _cap(name: str) -> str:
    """``anne-sofie`` → ``Anne-Sofie``, ``o'neill`` → ``O'Neill``."""
    out = []
    up = True
    for ch in name:
        out.append(ch.upper() if up else ch)
        up = ch in "-'’ "
    return "".join(out)


class NameSampler:
    """Random names from the shipped name lists: half by number of bearers, half uniformly
    (so that rare and non-Danish names are seen too)."""

    def __init__(self, rng: random.Random) -> None:
        from omtanke.detectors.names import load_lexicon

        lex = load_lexicon()
        self.rng = rng
        self.first = [k for k, c in lex.first.items() if c >= 5 and k.replace("-", "").isalpha()]
        self.first_w = [float(lex.first[k]) for k in self.first]
        self.sur = [k for k, c in lex.surnames.items() if c >= 10 and k.replace("-", "").isalpha()]
        self.sur_w = [float(lex.surnames[k]) for k in self.sur]

    def _pick(self, names: list[str], weights: list[float]) -> str:
        if self.rng.random() < 0.5:
            return _cap(self.rng.choice(names))
        return _cap(self.rng.choices(names, weights)[0])

    def name(self, n: int) -> list[str]:
        if n == 1:
            if self.rng.random() < 0.5:
                return [self._pick(self.first, self.first_w)]
            return [self._pick(self.sur, self.sur_w)]
        words = [self._pick(self.first, self.first_w)]
        words += [
            self._pick(self.first, self.first_w)
            if self.rng.random() < 0.3
            else self._pick(self.sur, self.sur_w)
            for _ in range(n - 2)
        ]
        words.append(self._pick(self.sur, self.sur_w))
        return words


def augment(
    raws: list[list[tuple[str, str]]], copies: int, seed: int
) -> list[tuple[int, list[tuple[str, str]]]]:
    """Copies of the sentences with persons in which every person's name is replaced by a
    random name from the name lists (same number of words; a genitive -s kept), so the model
    learns the contexts and the lists rather than the names of the training text."""
    rng = random.Random(seed)
    sampler = NameSampler(rng)
    out: list[tuple[int, list[tuple[str, str]]]] = []
    for index, raw in enumerate(raws):
        if not any(tag == "B-PER" for _, tag in raw):
            continue
        for _ in range(copies):
            new: list[tuple[str, str]] = []
            k = 0
            while k < len(raw):
                word, tag = raw[k]
                if tag != "B-PER":
                    new.append((word, tag))
                    k += 1
                    continue
                j = k + 1
                while j < len(raw) and raw[j][1] == "I-PER":
                    j += 1
                words = [w for w, _ in raw[k:j]]
                if not all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words):
                    new.extend(raw[k:j])  # initials, particles, odd tokens: keep as they are
                    k = j
                    continue
                names = sampler.name(j - k)
                genitive = words[-1].endswith("s") and not names[-1].endswith("s")
                if genitive and rng.random() < 0.5:
                    names[-1] += "s"
                new.extend((w, "B-PER" if n == 0 else "I-PER") for n, w in enumerate(names))
                k = j
            out.append((index, new))
    return out


def lower_counts(sents: Iterable[Sentence], minimum: int) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for s in sents:
        for tok in s.doc.tokens:
            if tok.text.islower() and tok.text.isalpha():
                counts[tok.text] += 1
    return {w: c for w, c in counts.items() if c >= minimum}


# --- training -------------------------------------------------------------------------------


@dataclass
class Item:
    index: int
    join: bool
    features: list[str]
    shape: str
    gold: int


def items_of(sent: Sentence, fx: FeatureExtractor) -> list[Item]:
    toks = sent.doc.tokens
    flags = initial_flags(sent.text, toks)
    out = []
    for i in eligible_tokens(sent.text, toks):
        w = fx.word(toks[i].text)
        feats = [
            *w.features,
            *fx.position(w, flags[i]),
            *fx.context(sent.text, toks, i, flags.__getitem__),
        ]
        join = joins(sent.text, toks, i, flags.__getitem__)
        out.append(Item(i, join, feats, w.shape, sent.tags[i]))
    return out


class MaxEnt:
    """Multinomial logistic regression over the tags, trained by Adagrad with (lazy) L2.

    Decoding is greedy left to right with the previous *predicted* tag as a feature (a
    maximum-entropy Markov model trained on its own predictions)."""

    def __init__(self, rate: float, l2: float) -> None:
        self.w: dict[str, list[float]] = {}
        self.g: dict[str, list[float]] = {}
        self.rate = rate
        self.l2 = l2

    def scores(self, feats: Iterable[str]) -> list[float]:
        s = [0.0] * _N
        w = self.w
        for f in feats:
            v = w.get(f)
            if v is not None:
                for k in range(_N):
                    s[k] += v[k]
        return s

    def update(self, feats: Iterable[str], grad: Sequence[float]) -> None:
        rate, l2 = self.rate, self.l2
        for f in feats:
            v = self.w.get(f)
            if v is None:
                v = self.w[f] = [0.0] * _N
                self.g[f] = [1e-8] * _N
            acc = self.g[f]
            for k in range(_N):
                d = grad[k] + l2 * v[k]
                if d:
                    acc[k] += d * d
                    v[k] -= rate * d / math.sqrt(acc[k])

    def snapshot(self) -> dict[str, list[float]]:
        return {f: list(v) for f, v in self.w.items()}


def allowed(prev: int) -> list[int]:
    out = []
    for k, lab in enumerate(LABELS):
        if lab.startswith("I-") and LABELS[prev][2:] != lab[2:]:
            continue
        out.append(k)
    return out


_ALLOWED = [allowed(p) for p in range(_N)]


def train_epoch(model: MaxEnt, data: list[list[Item]], rng: random.Random) -> float:
    """One pass in random order; returns the mean negative log-likelihood."""
    order = list(range(len(data)))
    rng.shuffle(order)
    nll = 0.0
    n = 0
    for si in order:
        prev_tag = 0
        prev_i = -2
        for item in data[si]:
            if prev_i != item.index - 1 or not item.join:
                prev_tag = 0
            feats = [*item.features, *tag_features(prev_tag, item.shape)]
            s = model.scores(feats)
            ok = _ALLOWED[prev_tag]
            top = max(s[k] for k in ok)
            exps = [0.0] * _N
            for k in ok:
                exps[k] = math.exp(s[k] - top)
            total = sum(exps)
            probs = [e / total for e in exps]
            nll -= math.log(max(probs[item.gold], 1e-12))
            n += 1
            grad = list(probs)
            grad[item.gold] -= 1.0
            model.update(feats, grad)
            prev_tag = max(ok, key=s.__getitem__)
            prev_i = item.index
    return nll / max(1, n)


# --- evaluation -----------------------------------------------------------------------------


def _to_dan(sent: Sentence, start: int, end: int) -> tuple[int, int] | None:
    inside = [k for k, (s, e) in enumerate(sent.offsets) if s < end and start < e]
    if not inside:
        return None
    return inside[0], inside[-1]


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def evaluate_tagger(tagger: PersonTagger, sents: Sequence[Sentence]) -> dict[str, Any]:
    """Entity-level exact match per type on DaN+ tokens."""
    tp: Counter[str] = Counter()
    npred: Counter[str] = Counter()
    ngold: Counter[str] = Counter()
    for sent in sents:
        pred: set[tuple[int, int, str]] = set()
        for span in tagger.tag(sent.doc).spans():
            idx = _to_dan(sent, span.start, span.end)
            if idx is not None:
                pred.add((idx[0], idx[1], span.label))
        for _, _, t in sent.gold:
            ngold[t] += 1
        for _, _, t in pred:
            npred[t] += 1
        for _, _, t in pred & sent.gold:
            tp[t] += 1
    out: dict[str, Any] = {
        t: prf(tp[t], npred[t], ngold[t]) | {"gold": ngold[t]} for t in ENTITY_TYPES
    }
    out["micro"] = prf(sum(tp.values()), sum(npred.values()), sum(ngold.values()))
    return out


def evaluate_detector(
    sents: Sequence[Sentence], tagger: PersonTagger | None = None
) -> dict[str, Any]:
    """The person-name detector (with ``tagger``, or the lists alone) against DaN+ PER:
    exact (the same DaN+ tokens) and overlap."""
    from omtanke.detectors.names import NameDetector

    det = NameDetector(use_model=tagger is not None, tagger=tagger)
    tp = n_pred = n_gold = 0
    ov_tp = ov_hit = 0
    for sent in sents:
        gold = {(a, b) for a, b, t in sent.gold if t == "PER"}
        n_gold += len(gold)
        hit: set[tuple[int, int]] = set()
        for d in det.detect(sent.doc):
            idx = _to_dan(sent, d.start, d.end)
            n_pred += 1
            if idx is None:
                continue
            if idx in gold:
                tp += 1
            over = {g for g in gold if idx[0] <= g[1] and g[0] <= idx[1]}
            if over:
                ov_tp += 1
                hit |= over
        ov_hit += len(hit)
    exact = prf(tp, n_pred, n_gold)
    p = ov_tp / n_pred if n_pred else 0.0
    r = ov_hit / n_gold if n_gold else 0.0
    overlap = {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
    }
    return {"exact": exact, "overlap": overlap, "gold": n_gold}


def fit_temperature(tagger: PersonTagger, sents: Sequence[Sentence]) -> float:
    """The softmax temperature that minimises the negative log-likelihood of the gold tags
    of the scored tokens (the tags themselves do not depend on it)."""
    best_t, best_nll = 1.0, float("inf")
    for t in [round(0.1 * k, 1) for k in range(5, 41)]:
        tagger.set_temperature(t)
        nll = 0.0
        n = 0
        for sent in sents:
            tg = tagger.tag(sent.doc)
            for i in eligible_tokens(sent.text, sent.doc.tokens):
                p = tg.probabilities(i)
                assert p is not None
                nll -= math.log(max(p[sent.tags[i]], 1e-9))
                n += 1
        nll /= max(1, n)
        if nll < best_nll:
            best_t, best_nll = t, nll
    return best_t


# --- main -----------------------------------------------------------------------------------


def train(
    data: list[list[Item]],
    epochs: int,
    args: argparse.Namespace,
    dev: Sequence[Sentence] | None,
    lc: dict[str, int],
) -> tuple[list[dict[str, Any]], dict[int, dict[str, list[float]]]]:
    """Train for ``epochs``; with ``dev``, evaluate after each epoch and keep a snapshot of
    every epoch (else only of the last one)."""
    rng = random.Random(args.seed)
    model = MaxEnt(args.rate, args.l2)
    history: list[dict[str, Any]] = []
    snapshots: dict[int, dict[str, list[float]]] = {}
    for epoch in range(1, epochs + 1):
        nll = train_epoch(model, data, rng)
        row: dict[str, Any] = {"epoch": epoch, "train_nll": round(nll, 4)}
        line = f"  epoch {epoch:2d}: train NLL {nll:.4f}"
        if dev is not None:
            snapshots[epoch] = model.snapshot()
            scores = evaluate_tagger(PersonTagger(NerModel(snapshots[epoch], lower_counts=lc)), dev)
            row["dev_per_f1"] = scores["PER"]["f1"]
            row["dev_micro_f1"] = scores["micro"]["f1"]
            line += f", dev PER F1 {row['dev_per_f1']:.4f}, all types F1 {row['dev_micro_f1']:.4f}"
        history.append(row)
        print(line)
    if dev is None:
        snapshots[epochs] = model.snapshot()
    return history, snapshots


def write_model(model: NerModel, scale: float, path: Path) -> None:
    raw = json.dumps(
        model.to_json(scale), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    path.write_bytes(gzip.compress(raw.encode("utf-8"), compresslevel=9, mtime=0))


def prune(weights: dict[str, list[float]], scale: float, minimum: int) -> dict[str, list[float]]:
    """Drop weights whose quantised absolute value is below ``minimum``."""
    out: dict[str, list[float]] = {}
    for f, vec in weights.items():
        kept = [w if abs(round(w * scale)) >= minimum else 0.0 for w in vec]
        if any(kept):
            out[f] = kept
    return out


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--max-epochs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate", type=float, default=0.1, help="Adagrad learning rate")
    ap.add_argument("--l2", type=float, default=0.003, help="L2 regularisation")
    ap.add_argument(
        "--scale", type=float, default=100.0, help="weights are stored as round(w*scale)"
    )
    ap.add_argument("--prune", type=int, default=2, help="drop |round(w*scale)| below this")
    ap.add_argument("--lc-min", type=int, default=2, help="keep lower-case words seen this often")
    ap.add_argument(
        "--with-social",
        action="store_true",
        help="experiment: also train on the DaN+ social dev sets (did not help on news dev;"
        " never shipped, needs --out outside the package)",
    )
    ap.add_argument(
        "--augment", type=int, default=2, help="copies of person sentences with random names"
    )
    ap.add_argument("--out", type=Path, default=DATA_DIR)
    ap.add_argument("--check", action="store_true", help="only evaluate the shipped model")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.with_social and args.out.resolve() == DATA_DIR.resolve():
        # the social sets contain real handles and names: never in a shipped artefact
        print("--with-social is for experiments only: give --out outside the package")
        return 2
    t0 = time.perf_counter()
    inputs = [NEWS_TRAIN, NEWS_DEV] + (SOCIAL if args.with_social else [])
    hashes = {str(p.relative_to(SHARED.parents[1])): sha256(p) for p in inputs}
    print("data (sha256):")
    for name, h in hashes.items():
        print(f"  {h}  {name}")
    train_raw = read_conll(NEWS_TRAIN)
    train_s = [build(raw) for raw in train_raw]
    dev_s = load(NEWS_DEV)
    social_s = [s for p in SOCIAL for s in load(p)] if args.with_social else []
    print(f"sentences: train {len(train_s)}, dev {len(dev_s)}, social {len(social_s)}")
    path = args.out / MODEL_FILE

    if args.check:
        tagger = PersonTagger(NerModel.read(path))
        print("news dev, shipped model (entity-level exact match):")
        report(evaluate_tagger(tagger, dev_s))
        return 0

    lc = lower_counts(train_s, args.lc_min)
    fx = FeatureExtractor(Gazetteer.load(lc))
    augmented = augment(train_raw, args.augment, args.seed)
    aug_source = [index for index, _ in augmented]
    aug_s = [build(raw) for _, raw in augmented]
    print(f"augmented: {len(aug_s)} copies of sentences with persons, with random names")
    items = [items_of(s, fx) for s in train_s + social_s + aug_s]
    origin = list(range(len(train_s))) + [-1] * len(social_s) + aug_source
    print(f"features extracted in {time.perf_counter() - t0:.1f} s")

    # 1. the number of epochs, by PER F1 on news dev (early stopping; the only use of dev)
    print(f"training on train (rate {args.rate}, L2 {args.l2}); epochs chosen on dev PER F1:")
    history, snapshots = train(items, args.max_epochs, args, dev_s, lc)
    best = max(history, key=lambda r: (r["dev_per_f1"], r["dev_micro_f1"], -r["epoch"]))
    epochs = int(best["epoch"])
    print(f"chosen: {epochs} epochs (dev PER F1 {best['dev_per_f1']:.4f} before pruning)")
    weights = snapshots[epochs]

    # 2. the temperature, on a held-out 10% of train
    order = list(range(len(train_s)))
    random.Random(args.seed).shuffle(order)
    held = set(order[: len(order) // 10])
    part = [items[k] for k in range(len(items)) if origin[k] not in held]
    print("temperature: model trained on 90% of train, fitted on the other 10%:")
    _, calib = train(part, epochs, args, None, lc)
    calib_tagger = PersonTagger(NerModel(calib[epochs], lower_counts=lc))
    temperature = fit_temperature(calib_tagger, [train_s[k] for k in sorted(held)])
    print(f"  temperature {temperature}")

    # 3. prune, quantise, write, read back, evaluate through the runtime
    pruned = prune(weights, args.scale, args.prune)
    meta = {
        "epochs": epochs,
        "seed": args.seed,
        "data_sha256": hashes,
        "licence": "CC BY-SA 4.0 (derived from DaN+ / DDT); see ner.LICENSE.txt",
    }
    final = NerModel(pruned, temperature=temperature, lower_counts=lc, meta=meta)
    args.out.mkdir(parents=True, exist_ok=True)
    write_model(final, args.scale, path)
    size = path.stat().st_size
    print(
        f"artefact: {shown(path)}: {size / 1024:.0f} KiB, {len(pruned)} features "
        f"(of {len(weights)} before pruning), {len(lc)} lower-case word counts"
    )

    tagger = PersonTagger(NerModel.read(path))
    load_times = measure_load(path)
    scores = evaluate_tagger(tagger, dev_s)
    print("news dev, shipped model alone (entity-level exact match on DaN+ tokens):")
    report(scores)
    speed = measure_speed(tagger, dev_s)
    if "model_adds_ms_per_post" in speed:
        print(
            f"speed: the model adds {speed['model_adds_ms_per_post']:.3f} ms CPU per"
            f" {speed['posts_chars']:.0f}-character post to the name detector"
            f" ({speed['detector_ms_per_post_lists']:.3f} → "
            f"{speed['detector_ms_per_post_with_model']:.3f} ms)"
        )
    print(
        f"speed: tagger {speed['news_ms_per_300_chars']:.3f} ms CPU per 300 characters of news"
        " text;"
        f" load in a fresh process: model {load_times['model_seconds']:.3f} s, name and street"
        f" lists {load_times['lists_seconds']:.3f} s (shared with the other detectors)"
    )

    print("news dev, person-name detector, PER (exact = same DaN+ tokens):")
    before = evaluate_detector(dev_s)
    after = evaluate_detector(dev_s, tagger)
    for name, res in (("lexicon only", before), ("lexicon + model", after)):
        e, o = res["exact"], res["overlap"]
        print(
            f"  {name:16s} exact P {e['precision']:.4f} R {e['recall']:.4f} F1 {e['f1']:.4f}"
            f" | overlap P {o['precision']:.4f} R {o['recall']:.4f} F1 {o['f1']:.4f}"
        )

    out = {
        "model": MODEL_FILE,
        "model_sha256": sha256(path),
        "model_bytes": size,
        "data_sha256": hashes,
        "command": ".venv/bin/python scripts/train_ner.py",
        "protocol": {
            "method": "greedy maximum-entropy tagger (multinomial logistic regression, "
            "Adagrad, L2), BIO over PER/LOC/ORG/MISC",
            "train": "DaN+ news train"
            + (" + DaN+ social dev (arto, twitter)" if args.with_social else ""),
            "epochs": epochs,
            "epochs_chosen_by": "PER F1 on DaN+ news dev (early stopping; the only use of dev)",
            "temperature": temperature,
            "temperature_fitted_on": "a held-out 10% of DaN+ news train "
            "(model trained on the other 90%)",
            "rate": args.rate,
            "l2": args.l2,
            "seed": args.seed,
            "scale": args.scale,
            "prune": args.prune,
            "lc_min": args.lc_min,
            "features": len(pruned),
            "history": history,
        },
        "news_dev": scores,
        "news_dev_detector": {"lexicon_only": before, "lexicon_and_model": after},
        "speed": speed | load_times,
        "fixture": fixture_of(tagger),
    }
    (args.out / SCORES_FILE).write_text(
        json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {shown(args.out / SCORES_FILE)} ({time.perf_counter() - t0:.0f} s)")
    return 0


#: Invented sentences (no corpus text) whose tagging is stored with the scores, so the test
#: suite can check that the runtime reproduces what the training script saw.
FIXTURE_TEXTS = [
    "I går mødtes Anders Fogh Rasmussen og Helle Thorning-Schmidt i København.",
    "Direktør Birgitte Holm fra Novo Nordisk talte om Mette Frederiksens udspil.",
    "Vi ses på Frederiksberg, sagde Jens til Kasper Schmeichel.",
]


def fixture_of(tagger: PersonTagger) -> list[dict[str, Any]]:
    out = []
    for text in FIXTURE_TEXTS:
        tg = tagger.tag(Document(text))
        out.append(
            {
                "text": text,
                "tags": tg.tags,
                "spans": [[s.start, s.end, s.label, round(s.score, 4)] for s in tg.spans()],
            }
        )
    return out


def _cpu_ms(fn: Callable[[str], object], texts: Sequence[str], reps: int = 5) -> float:
    """CPU milliseconds per text (best of ``reps`` passes after a warm-up pass)."""
    for t in texts:
        fn(t)
    best = float("inf")
    for _ in range(reps):
        start = time.process_time()
        for t in texts:
            fn(t)
        best = min(best, time.process_time() - start)
    return best / len(texts) * 1000


def measure_speed(tagger: PersonTagger, sents: Sequence[Sentence]) -> dict[str, float]:
    """CPU time of the tagger on news dev (dense with names), and what the model adds to
    the person-name detector on ~300-character posts built from ``shared/eval/dev.jsonl``
    (warm caches, as in a long-running process)."""
    from omtanke.detectors.names import NameDetector

    texts = [s.text for s in sents]
    chars = sum(len(t) for t in texts) / len(texts)
    tag_ms = _cpu_ms(lambda t: tagger.tag(Document(t)).tags, texts)
    out = {"news_ms_per_300_chars": round(tag_ms / chars * 300, 4)}
    if EVAL_DEV.exists():
        rng = random.Random(0)
        pool = [json.loads(line)["text"] for line in EVAL_DEV.read_text("utf-8").splitlines()]
        posts = []
        for _ in range(200):
            post = ""
            while len(post) < 280:
                post += (" " if post else "") + rng.choice(pool)
            posts.append(post[:320])
        lists = NameDetector(use_model=False)
        both = NameDetector(tagger=tagger)
        base = _cpu_ms(lambda t: lists.detect(Document(t)), posts)
        with_model = _cpu_ms(lambda t: both.detect(Document(t)), posts)
        out |= {
            "posts_chars": round(sum(map(len, posts)) / len(posts), 1),
            "detector_ms_per_post_lists": round(base, 4),
            "detector_ms_per_post_with_model": round(with_model, 4),
            "model_adds_ms_per_post": round(with_model - base, 4),
        }
    return out


_LOAD_PROBE = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from omtanke.detectors.address import load_street_index
from omtanke.detectors.names import load_lexicon
load_lexicon(); load_street_index()
t1 = time.perf_counter()
from omtanke.detectors.ner import NerModel, PersonTagger
PersonTagger(NerModel.read(Path(sys.argv[1])))
t2 = time.perf_counter()
print(json.dumps({"lists_seconds": round(t1 - t0, 3), "model_seconds": round(t2 - t1, 3)}))
"""


def measure_load(path: Path) -> dict[str, float]:
    """Load times in a fresh interpreter (best of three)."""
    best: dict[str, float] = {}
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", _LOAD_PROBE, str(path)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
        for k, v in json.loads(out).items():
            best[k] = min(best.get(k, v), v)
    return best


def report(scores: dict[str, Any]) -> None:
    for t in (*ENTITY_TYPES, "micro"):
        s = scores[t]
        gold = f" ({s['gold']} gold)" if "gold" in s else ""
        print(f"  {t:5s} P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1']:.4f}{gold}")


if __name__ == "__main__":
    raise SystemExit(main())
