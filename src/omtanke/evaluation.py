"""Score Omtanke on a labelled corpus in the format of ``shared/eval/SCHEMA.md``.

Reports per-category precision/recall/F1 for posts and for inbox items, entity
precision/recall/F1 per label (a predicted span counts when it overlaps a gold occurrence
of the same label; exact-span figures too), verdict accuracy, and the share of ``ok`` items
that got ``warning`` or ``stop``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .model import ENTITY_LABELS, INBOX_CATEGORIES, POST_CATEGORIES, Entity, Level


class Scored(Protocol):
    """What the scorer needs of a result: a check Report or a TriageReport."""

    @property
    def verdict(self) -> Level: ...

    @property
    def entities(self) -> tuple[Entity, ...]: ...


__all__ = ["PRF", "EvalItem", "EvalResult", "evaluate", "read_corpus"]


@dataclass(frozen=True, slots=True)
class EvalItem:
    id: str
    kind: str
    text: str
    context: Mapping[str, Any]
    entities: tuple[tuple[str, str], ...]  # (text, label)
    categories: frozenset[str]
    verdict: Level
    line: int


@dataclass(slots=True)
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "support": self.support,
        }


@dataclass(slots=True)
class EvalResult:
    items: int = 0
    post_categories: dict[str, PRF] = field(default_factory=dict)
    inbox_categories: dict[str, PRF] = field(default_factory=dict)
    entities: dict[str, PRF] = field(default_factory=dict)
    entities_exact: dict[str, PRF] = field(default_factory=dict)
    verdict_correct: dict[str, int] = field(default_factory=dict)
    verdict_total: dict[str, int] = field(default_factory=dict)
    ok_total: dict[str, int] = field(default_factory=dict)
    ok_worse: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @staticmethod
    def macro_f1(table: Mapping[str, PRF]) -> float:
        scored = [p.f1 for p in table.values() if p.support > 0]
        return sum(scored) / len(scored) if scored else 0.0

    def verdict_accuracy(self, kind: str | None = None) -> float:
        kinds = [kind] if kind else list(self.verdict_total)
        total = sum(self.verdict_total.get(k, 0) for k in kinds)
        correct = sum(self.verdict_correct.get(k, 0) for k in kinds)
        return correct / total if total else 0.0

    def ok_worse_share(self, kind: str = "post") -> float:
        total = self.ok_total.get(kind, 0)
        return self.ok_worse.get(kind, 0) / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "post_categories": {k: v.to_dict() for k, v in self.post_categories.items()},
            "post_macro_f1": round(self.macro_f1(self.post_categories), 4),
            "inbox_categories": {k: v.to_dict() for k, v in self.inbox_categories.items()},
            "inbox_macro_f1": round(self.macro_f1(self.inbox_categories), 4),
            "entities": {k: v.to_dict() for k, v in self.entities.items()},
            "entities_exact": {k: v.to_dict() for k, v in self.entities_exact.items()},
            "verdict_accuracy": {
                "post": round(self.verdict_accuracy("post"), 4),
                "inbox": round(self.verdict_accuracy("inbox"), 4),
                "all": round(self.verdict_accuracy(), 4),
            },
            "ok_made_warning_or_stop": {
                "post": round(self.ok_worse_share("post"), 4),
                "inbox": round(self.ok_worse_share("inbox"), 4),
            },
            "errors": [{"line": ln, "message": msg} for ln, msg in self.errors],
        }


def read_corpus(path: Path) -> Iterator[EvalItem | tuple[int, str]]:
    """Items of a corpus; a malformed line yields ``(line number, Danish message)``."""
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
                ctx = obj.get("context") or {}
                item = EvalItem(
                    id=str(obj.get("id", n)),
                    kind=str(obj.get("kind", "post")),
                    text=str(obj["text"]),
                    context=ctx,
                    entities=tuple(
                        (str(e["text"]), str(e["label"])) for e in obj.get("entities", [])
                    ),
                    categories=frozenset(str(c) for c in obj.get("categories", [])),
                    verdict=Level.parse(str(obj.get("verdict", "ok"))),
                    line=n,
                )
            except UnicodeDecodeError:
                yield n, "linjen er ikke gyldig UTF-8"
                continue
            except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
                yield n, "linjen er ikke et gyldigt korpus-objekt (id, kind, text, context, …)"
                continue
            yield item


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = text.find(needle)
    while needle and start != -1:
        out.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return out


def _score_entities(item: EvalItem, report: Scored, result: EvalResult) -> None:
    gold: dict[str, set[tuple[int, int]]] = {label: set() for label in ENTITY_LABELS}
    for text, label in item.entities:
        gold.setdefault(label, set()).update(_occurrences(item.text, text))
    for label in gold:
        pred = {(e.start, e.end) for e in report.entities if e.label == label}
        g = gold[label]
        ov = result.entities.setdefault(label, PRF())
        ex = result.entities_exact.setdefault(label, PRF())
        ov.tp += sum(1 for gs, ge in g if any(ps < ge and gs < pe for ps, pe in pred))
        ov.fn += sum(1 for gs, ge in g if not any(ps < ge and gs < pe for ps, pe in pred))
        ov.fp += sum(1 for ps, pe in pred if not any(ps < ge and gs < pe for gs, ge in g))
        ex.tp += len(pred & g)
        ex.fn += len(g - pred)
        ex.fp += len(pred - g)


def evaluate(
    items: Iterable[EvalItem | tuple[int, str]],
    run: Callable[[EvalItem], tuple[Scored, frozenset[str]]],
    progress: Callable[[int], None] | None = None,
) -> EvalResult:
    """Score ``run`` (item → report and predicted categories) on ``items``."""
    result = EvalResult()
    for cat in POST_CATEGORIES:
        result.post_categories[cat] = PRF()
    for cat in INBOX_CATEGORIES:
        result.inbox_categories[cat] = PRF()
    for entry in items:
        if isinstance(entry, tuple):
            result.errors.append(entry)
            continue
        item = entry
        try:
            report, predicted = run(item)
        except Exception as exc:
            result.errors.append((item.line, type(exc).__name__))
            continue
        result.items += 1
        table = result.inbox_categories if item.kind == "inbox" else result.post_categories
        for cat in set(table) | item.categories | predicted:
            prf = table.setdefault(cat, PRF())
            if cat in item.categories and cat in predicted:
                prf.tp += 1
            elif cat in predicted:
                prf.fp += 1
            elif cat in item.categories:
                prf.fn += 1
        _score_entities(item, report, result)
        result.verdict_total[item.kind] = result.verdict_total.get(item.kind, 0) + 1
        if report.verdict == item.verdict:
            result.verdict_correct[item.kind] = result.verdict_correct.get(item.kind, 0) + 1
        if item.verdict == Level.OK:
            result.ok_total[item.kind] = result.ok_total.get(item.kind, 0) + 1
            if report.verdict >= Level.WARNING:
                result.ok_worse[item.kind] = result.ok_worse.get(item.kind, 0) + 1
        if progress is not None:
            progress(result.items)
    return result


def format_result(result: EvalResult) -> str:
    """A plain-text table in Danish."""
    lines: list[str] = [f"Evaluering af {result.items} tekster"]

    def table(title: str, rows: Mapping[str, PRF]) -> None:
        lines.append("")
        lines.append(title)
        lines.append(f"  {'':<18}{'præcision':>10}{'recall':>9}{'F1':>8}{'antal':>7}")
        for name, prf in rows.items():
            if prf.support == 0 and prf.fp == 0:
                continue
            lines.append(
                f"  {name:<18}{prf.precision:>10.3f}{prf.recall:>9.3f}{prf.f1:>8.3f}{prf.support:>7}"
            )

    table("Entiteter (overlap)", result.entities)
    table("Entiteter (præcist spænd)", result.entities_exact)
    table("Kategorier, opslag (post)", result.post_categories)
    lines.append(f"  makro-F1: {result.macro_f1(result.post_categories):.3f}")
    table("Kategorier, indbakke (inbox)", result.inbox_categories)
    lines.append(f"  makro-F1: {result.macro_f1(result.inbox_categories):.3f}")
    lines.append("")
    lines.append(
        "Dom korrekt: opslag {:.3f}, indbakke {:.3f}, alle {:.3f}".format(
            result.verdict_accuracy("post"),
            result.verdict_accuracy("inbox"),
            result.verdict_accuracy(),
        )
    )
    lines.append(
        "Andel ok-opslag der fik advarsel eller stop: {:.1%} (indbakke {:.1%})".format(
            result.ok_worse_share("post"), result.ok_worse_share("inbox")
        )
    )
    if result.errors:
        lines.append("")
        lines.append(f"{len(result.errors)} linjer kunne ikke bruges:")
        lines.extend(f"  linje {ln}: {msg}" for ln, msg in result.errors[:20])
    return "\n".join(lines)
