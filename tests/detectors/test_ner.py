"""The statistical entity tagger (``omtanke.detectors.ner``) and its shipped artefact."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from omtanke.detectors import names
from omtanke.detectors.ner import (
    LABELS,
    MODEL_FILE,
    NerModel,
    PersonTagger,
    eligible_tokens,
    load_model,
)
from omtanke.text import Document

REPO = Path(__file__).resolve().parents[2]
NEWS_DEV = REPO.parent / "shared" / "data" / "ner" / "danplus_news" / "da_news_dev.tsv"
DATA = resources.files("omtanke.detectors").joinpath("data")


@pytest.fixture(scope="module")
def tagger() -> PersonTagger:
    return PersonTagger()


@pytest.fixture(scope="module")
def stored() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.joinpath("ner.scores.json").read_text("utf-8"))
    return data


def persons(tagger: PersonTagger, text: str) -> list[str]:
    return [text[s.start : s.end] for s in tagger.persons(Document(text))]


# --- behaviour --------------------------------------------------------------------------------

#: Invented sentences in the style of Danish news and posts (not from any corpus).
HELD_OUT: list[tuple[str, list[str]]] = [
    ("Formanden Karsten Lauritzen fra Venstre kritiserede udspillet.", ["Karsten Lauritzen"]),
    ("Det oplyser direktør Hanne Skovgaard til avisen.", ["Hanne Skovgaard"]),
    ("Kampen blev afgjort, da Christian Eriksen scorede i anden halvleg.", ["Christian Eriksen"]),
    ("I dag startede Oluwaseun Adebayo og Priya Ramaswamy i afdelingen.", ["Priya Ramaswamy"]),
    ("– Det er uacceptabelt, siger Lise Mortensen.", ["Lise Mortensen"]),
    ("Han mødte Jens Otto Kragh i Odense.", ["Jens Otto Kragh"]),
]


@pytest.mark.parametrize(("text", "expected"), HELD_OUT)
def test_finds_names(tagger: PersonTagger, text: str, expected: list[str]) -> None:
    found = persons(tagger, text)
    for name in expected:
        assert name in found, (name, found)


def test_places_and_organisations_are_not_persons(tagger: PersonTagger) -> None:
    text = "Novo Nordisk åbner en ny fabrik i Kalundborg, oplyser Region Sjælland."
    tagging = tagger.tag(Document(text))
    assert tagging.persons() == []
    labels = {text[s.start : s.end]: s.label for s in tagging.spans()}
    assert labels.get("Kalundborg") == "LOC"
    assert labels.get("Novo Nordisk") == "ORG"


def test_lower_case_text_gives_nothing(tagger: PersonTagger) -> None:
    doc = Document("min søn har haft feber hele weekenden, men han er frisk nu 🙂")
    tagging = tagger.tag(doc)
    assert tagging.spans() == []
    assert tagging.tags == ["O"] * len(doc.tokens)
    assert all(tagging.probabilities(i) is None for i in range(len(doc.tokens)))
    assert tagging.prob(0) == 0.0


def test_empty_and_symbol_only_text(tagger: PersonTagger) -> None:
    for text in ("", "   ", "🎉🎉 !!", "12 34 56"):
        tagging = tagger.tag(Document(text))
        assert tagging.spans() == []


def test_a_tag_for_every_token_and_probabilities(tagger: PersonTagger) -> None:
    text = "Hej Mette 😊 kan du sige til Anders Jensen, at mødet i Vejle er flyttet?"
    doc = Document(text)
    tagging = tagger.tag(doc)
    assert len(tagging.tags) == len(doc.tokens)
    assert set(tagging.tags) <= set(LABELS)
    for span in tagging.spans():
        assert 0.0 <= span.score <= 1.0
        assert text[span.start : span.end] == text[doc.tokens[span.first].start : span.end]
    for i in eligible_tokens(text, doc.tokens):
        p = tagging.probabilities(i)
        assert p is not None and len(p) == len(LABELS)
        assert abs(sum(p) - 1.0) < 1e-9
    assert "Anders Jensen" in [text[s.start : s.end] for s in tagging.persons()]


def test_tagging_is_lazy(tagger: PersonTagger, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    original = tagger._decode

    def counting(doc: Document) -> Any:
        calls.append(1)
        return original(doc)

    monkeypatch.setattr(tagger, "_decode", counting)
    tagging = tagger.tag(Document("Anders Jensen kommer i morgen"))
    assert calls == []
    tagging.persons()
    _ = tagging.tags
    tagging.prob(0)
    assert calls == [1]


def test_an_entity_does_not_continue_across_punctuation(tagger: PersonTagger) -> None:
    text = "Racerkøreren Kris: - Kris er en meget seriøs kører"
    for span in tagger.tag(Document(text)).spans():
        assert ":" not in text[span.start : span.end]


def test_offsets_are_code_points(tagger: PersonTagger) -> None:
    text = "😂🍻 I går mødte jeg Anders Fogh Rasmussen på gaden"
    found = persons(tagger, text)
    assert found == ["Anders Fogh Rasmussen"]


# --- the artefact --------------------------------------------------------------------------------


def test_artefact_is_small_and_reproducible(stored: dict[str, Any]) -> None:
    raw = DATA.joinpath(MODEL_FILE).read_bytes()
    assert len(raw) < 3_000_000
    assert raw[4:8] == b"\0\0\0\0"  # gzip mtime 0: byte-identical rebuilds
    assert hashlib.sha256(raw).hexdigest() == stored["model_sha256"]
    data = json.loads(gzip.decompress(raw))
    assert data["labels"] == list(LABELS)
    assert data["meta"]["data_sha256"] == stored["data_sha256"]


def test_runtime_reproduces_the_stored_fixture(
    tagger: PersonTagger, stored: dict[str, Any]
) -> None:
    assert stored["fixture"]
    for case in stored["fixture"]:
        tagging = tagger.tag(Document(case["text"]))
        assert tagging.tags == case["tags"]
        got = [[s.start, s.end, s.label, s.score] for s in tagging.spans()]
        assert [g[:3] for g in got] == [c[:3] for c in case["spans"]]
        for g, c in zip(got, case["spans"], strict=True):
            assert abs(g[3] - c[3]) < 1e-3


def test_stored_scores_meet_the_target(stored: dict[str, Any]) -> None:
    """The figure comes from ``scripts/train_ner.py`` (DaN+ news dev, exact match)."""
    per = stored["news_dev"]["PER"]
    assert per["f1"] >= 0.85, per
    assert per["gold"] == 162
    assert stored["protocol"]["epochs_chosen_by"].startswith("PER F1 on DaN+ news dev")
    detector = stored["news_dev_detector"]
    assert detector["lexicon_and_model"]["exact"]["f1"] > detector["lexicon_only"]["exact"]["f1"]


def _train_script() -> Any:
    spec = importlib.util.spec_from_file_location("train_ner", REPO / "scripts" / "train_ner.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_ner"] = module
    spec.loader.exec_module(module)
    return module


def test_runtime_reproduces_the_stored_dev_scores(
    tagger: PersonTagger, stored: dict[str, Any]
) -> None:
    if not NEWS_DEV.exists():
        pytest.skip(f"{NEWS_DEV} is not available (the shared NER data)")
    train_ner = _train_script()
    scores = train_ner.evaluate_tagger(tagger, train_ner.load(NEWS_DEV))
    assert scores["PER"] == stored["news_dev"]["PER"]
    assert scores["micro"] == stored["news_dev"]["micro"]


def test_model_loads_once_and_fast() -> None:
    start = time.perf_counter()
    model = NerModel.read()
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0  # typically < 0.1 s
    assert load_model() is load_model()
    assert model.temperature > 0


def test_licence_and_attribution() -> None:
    text = DATA.joinpath("ner.LICENSE.txt").read_text(encoding="utf-8")
    for needle in ("CC BY-SA 4.0", "Plank", "COLING 2020", "Danish Dependency Treebank"):
        assert needle in text


def test_speed(tagger: PersonTagger) -> None:
    text = (
        "Hej Sanne, sorry det er søndag 🙈 Viggo har haft feber og tynd mave hele weekenden, "
        "men han er frisk nu, så han kommer i morgen ik? Hans Peter Lund fra oppositionen og "
        "Mette Frederiksen var på besøg, og William (7) og Storm (4) legede med Ahmed fra "
        "Bjørnegruppen på Tornby Skole. Mvh Tina (Viggos mor)"
    )
    _ = tagger.tag(Document(text)).tags
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        _ = tagger.tag(Document(text)).tags
    per_post = (time.perf_counter() - start) / runs
    assert per_post < 0.003  # target < 0.3 ms; generous for slow CI machines


# --- the name detector runs the tagger only when it can matter ----------------------------------


def test_detector_skips_the_tagger_without_capitals(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = names._get_tagger

    def counting() -> PersonTagger | None:
        calls.append(1)
        return real()

    monkeypatch.setattr(names, "_get_tagger", counting)
    det = names.NameDetector()
    det.detect(Document("hej med dig, vi ses i morgen kl 10"))
    det.detect(Document("Tak for i dag. Vi ses!"))  # capitals only at sentence starts
    assert calls == []
    det.detect(Document("Vi har talt med Oluwaseun Adebayo"))
    assert calls == [1]
