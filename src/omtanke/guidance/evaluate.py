"""Score :meth:`Guide.ask` on a question set (``tests/data/guidance_questions.jsonl``).

Each line is a question as an employee would ask it, with the passages that answer it::

    {"id": "q01", "question": "må jeg være ven med forældrene på Facebook?",
     "municipality": "vejle",                         (optional: asked with --kommune)
     "expected": [{"municipality": "soenderborg", "snippet": "…verbatim words…"}],
     "split": "tune"}                                 (or "blind": never looked at in tuning)
    {"id": "q70", "question": "Hvornår bliver min pension indbetalt?", "not_covered": true,
     "split": "tune"}

A covered question is right at *k* when one of the first *k* passages is from an expected
municipality and quotes its snippet; a not-covered question is right when the answer says
the guidelines do not cover it (and wrong when it returns passages). ``python -m
omtanke.guidance.evaluate FILE [--split tune] [-v]`` prints the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..text import normalise_ws
from .guide import Guide
from .model import Answer

__all__ = ["Case", "Figures", "Outcome", "evaluate", "figures", "format_figures", "read_cases"]


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    question: str
    municipality: str | None
    expected: tuple[tuple[str, str], ...]
    not_covered: bool
    split: str


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    answer: Answer
    #: 1-based rank of the first right passage (None if none is right)
    rank: int | None

    @property
    def right_not_covered(self) -> bool:
        return self.case.not_covered and not self.answer.covered

    def right_at(self, k: int) -> bool:
        if self.case.not_covered:
            return not self.answer.covered
        return self.rank is not None and self.rank <= k


@dataclass(frozen=True, slots=True)
class Figures:
    name: str
    questions: int
    covered_questions: int
    top1: float
    top3: float
    not_covered_questions: int
    not_covered_right: int
    #: covered questions answered "not covered"
    missed: int


def read_cases(path: Path) -> list[Case]:
    out: list[Case] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: ugyldig JSON ({exc.msg})") from None
        expected = tuple(
            (str(e["municipality"]), str(e["snippet"])) for e in raw.get("expected") or []
        )
        not_covered = bool(raw.get("not_covered", False))
        if not_covered == bool(expected):
            raise ValueError(f"{path}:{n}: angiv enten 'expected' eller 'not_covered': true")
        out.append(
            Case(
                id=str(raw["id"]),
                question=str(raw["question"]),
                municipality=raw.get("municipality"),
                expected=expected,
                not_covered=not_covered,
                split=str(raw.get("split", "tune")),
            )
        )
    return out


def _rank(case: Case, answer: Answer) -> int | None:
    for i, p in enumerate(answer.passages, 1):
        quote = normalise_ws(p.quote)
        for municipality, snippet in case.expected:
            if p.municipality == municipality and normalise_ws(snippet) in quote:
                return i
    return None


def evaluate(guide: Guide, cases: Iterable[Case], limit: int = 5) -> list[Outcome]:
    out: list[Outcome] = []
    for case in cases:
        answer = guide.ask(case.question, case.municipality, limit=limit)
        out.append(Outcome(case, answer, _rank(case, answer)))
    return out


def figures(name: str, outcomes: Sequence[Outcome]) -> Figures:
    n = len(outcomes)
    covered = [o for o in outcomes if not o.case.not_covered]
    not_covered = [o for o in outcomes if o.case.not_covered]
    return Figures(
        name=name,
        questions=n,
        covered_questions=len(covered),
        top1=sum(o.right_at(1) for o in outcomes) / n if n else 0.0,
        top3=sum(o.right_at(3) for o in outcomes) / n if n else 0.0,
        not_covered_questions=len(not_covered),
        not_covered_right=sum(o.right_not_covered for o in not_covered),
        missed=sum(not o.answer.covered for o in covered),
    )


def format_figures(rows: Sequence[Figures]) -> str:
    lines = [
        f"{'spørgsmål':<12} {'antal':>5} {'top-1':>6} {'top-3':>6}  ikke dækket rigtigt  "
        "dækkede sagt ikke dækket"
    ]
    for f in rows:
        lines.append(
            f"{f.name:<12} {f.questions:>5} {f.top1:>6.3f} {f.top3:>6.3f}  "
            f"{f.not_covered_right:>3} af {f.not_covered_questions:<13} {f.missed:>3} af "
            f"{f.covered_questions}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m omtanke.guidance.evaluate",
        description="Mål 'omtanke ask' på et sæt spørgsmål med forventede passager.",
    )
    p.add_argument("questions", type=Path, metavar="FIL.jsonl")
    p.add_argument("--split", help="kun dette split (fx tune); standard: alle, pr. split")
    p.add_argument("-v", "--verbose", action="store_true", help="vis hvert spørgsmål, der fejler")
    args = p.parse_args(argv)
    cases = read_cases(args.questions)
    if args.split:
        cases = [c for c in cases if c.split == args.split]
    outcomes = evaluate(Guide(), cases)
    rows = [figures("alle", outcomes)] if not args.split else []
    for split in sorted({c.split for c in cases}):
        rows.append(figures(split, [o for o in outcomes if o.case.split == split]))
    print(format_figures(rows))
    if args.verbose:
        for o in outcomes:
            if o.right_at(1):
                continue
            status = "ikke dækket" if not o.answer.covered else f"rang {o.rank}"
            print(f"\n{o.case.id} [{status}, conf {o.answer.confidence:.2f}] {o.case.question}")
            for i, psg in enumerate(o.answer.passages, 1):
                print(
                    f"  {i}. {psg.municipality}/{psg.section} {psg.score:.2f} "
                    f"{normalise_ws(psg.quote)[:90]}"
                )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
