"""The category text model: the safety net behind the pattern rules."""

from __future__ import annotations

import pytest

from omtanke.detectors import DETECTORS
from omtanke.detectors.categories import MIN_WORDS, CategoryDetector, labels
from omtanke.engine import Engine
from omtanke.text import Document


@pytest.fixture(scope="module")
def detector() -> CategoryDetector:
    return CategoryDetector()


def test_labels_of_the_model_are_the_registered_ones() -> None:
    assert labels() <= DETECTORS["categories"].labels
    assert "TEXT_CONFIDENTIALITY" in labels() and "MSG_CHILD_WELFARE" in labels()


def test_flags_a_text_the_patterns_do_not_know(detector: CategoryDetector) -> None:
    text = (
        "Lang dag på jobbet. Ham vi har besøg hos om tirsdagen har fået det værre, "
        "og familien aner ikke hvad de skal gøre med ham."
    )
    found = {d.label: d for d in detector.detect(Document(text, {"channel": "private_profile"}))}
    det = found["TEXT_CONFIDENTIALITY"]
    assert text[det.start : det.end].startswith("Ham vi har besøg"), "the span is the sentence"
    assert det.score >= det.attributes["threshold"]


@pytest.mark.parametrize(
    "text",
    [
        "Dejlig tur i skoven med familien i dag",  # too short to judge
        "Stolt af mit team i dag – vi fik åbnet den nye legeplads i parken til tiden 💪",
        "Vejarbejde på Storegade fra mandag til fredag. Kør forsigtigt og hold øje med skiltene.",
        "Jeg er træt af regeringens nye skattelov, den rammer de svageste. Min private mening.",
    ],
)
def test_quiet_on_posts_that_are_fine(detector: CategoryDetector, text: str) -> None:
    found = [d.label for d in detector.detect(Document(text, {"channel": "private_profile"}))]
    assert not [label for label in found if label.startswith("TEXT_")]


def test_short_texts_are_left_to_the_rules(detector: CategoryDetector) -> None:
    text = "Min nabos børn går sultne rundt"
    assert len(text.split()) < MIN_WORDS
    assert detector.detect(Document(text)) == []


def test_the_model_rule_is_dropped_when_a_pattern_rule_found_the_category(
    engine: Engine,
) -> None:
    text = (
        "Hende den nye på kontoret har ADHD og får medicin for det, og hun er i hvert fald "
        "på nerver hele tiden på arbejdet."
    )
    report = engine.check(text, municipality="vejle")
    rules = {f.rule for f in report.findings}
    assert "base.helbred" in rules or "vejle.helbred" in rules
    assert "base.model_foelsomme" not in rules


def test_a_model_finding_is_advice_on_a_post(engine: Engine) -> None:
    text = (
        "Nu har de besluttet at vi skal være flere i hver klasse næste år, så det bliver "
        "spændende at se hvordan det går."
    )
    report = engine.check(text, municipality="hjoerring")
    model = [f for f in report.findings if ".model_" in f.rule]
    assert model, "the capacity model finds what no pattern does"
    assert all(f.severity.name == "ADVICE" for f in model)
    assert report.verdict.name == "ADVICE"
