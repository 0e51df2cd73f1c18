"""How well ``omtanke ask`` answers the question set (tests/data/guidance_questions.jsonl).

The questions were written, with their expected passages, before the retrieval was tuned;
the 20 marked ``"split": "blind"`` were not looked at while tuning. The figures are printed
in pytest's terminal summary (with or without ``-s``).
"""

from __future__ import annotations

from collections import Counter

import pytest

from _paths import REPO
from conftest import SUMMARY
from omtanke.engine import Engine
from omtanke.guidance import Guide
from omtanke.guidance.evaluate import Outcome, evaluate, figures, format_figures, read_cases
from omtanke.text import normalise_ws

QUESTIONS = REPO / "tests" / "data" / "guidance_questions.jsonl"
MUNICIPALITIES = ("aabenraa", "soenderborg", "vejle", "hjoerring")


@pytest.fixture(scope="module")
def outcomes(guide: Guide) -> list[Outcome]:
    return evaluate(guide, read_cases(QUESTIONS))


def test_question_set_is_as_specified(engine: Engine) -> None:
    cases = read_cases(QUESTIONS)
    assert len(cases) >= 60
    assert len({c.id for c in cases}) == len(cases)
    splits = Counter(c.split for c in cases)
    assert set(splits) == {"tune", "blind"} and splits["blind"] == 20
    assert sum(c.not_covered for c in cases) >= 8
    sources = {p: normalise_ws(engine.pack(p).source_text) for p in [*MUNICIPALITIES, "base"]}
    for c in cases:
        if c.municipality is not None:
            assert c.municipality in MUNICIPALITIES, c.id
        for municipality, snippet in c.expected:
            # an expected passage is named by words that stand verbatim in the guideline
            assert normalise_ws(snippet) in sources[municipality], (c.id, snippet)
            if c.municipality is not None:
                assert municipality in (c.municipality, "base"), c.id


def test_accuracy(outcomes: list[Outcome]) -> None:
    rows = [figures("alle", outcomes)]
    for split in ("tune", "blind"):
        rows.append(figures(split, [o for o in outcomes if o.case.split == split]))
    table = format_figures(rows)
    SUMMARY.clear()
    SUMMARY.extend(table.splitlines())
    wrong = [
        f"{o.case.id} {o.case.question!r}: "
        + ("ikke dækket" if not o.answer.covered else f"rang {o.rank}")
        for o in outcomes
        if not o.right_at(3)
    ]
    SUMMARY.extend(f"  ikke i top 3: {w}" for w in wrong)
    assert rows[0].top3 >= 0.9, "\n".join([table, *wrong])


def test_not_covered_questions_are_answered_as_not_covered(outcomes: list[Outcome]) -> None:
    for o in outcomes:
        if o.case.not_covered:
            assert not o.answer.covered, (o.case.id, [p.quote[:60] for p in o.answer.passages])
            assert o.answer.passages == ()
