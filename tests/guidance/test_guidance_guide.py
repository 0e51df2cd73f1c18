"""The Python API of guidance: passages, ``Guide.ask``, errors, thread safety and speed."""

from __future__ import annotations

import json
import statistics
import threading
import time
from pathlib import Path

import pytest

from omtanke.engine import Engine
from omtanke.errors import ContextError, QuestionError
from omtanke.guidance import NOT_COVERED_MESSAGE, Answer, Guide
from omtanke.guidance.analysis import edit_distance_at_most_one
from omtanke.guidance.guide import MAX_QUESTION_CHARS
from omtanke.packs.loader import PackLoader
from omtanke.text import normalise_ws

PACKS = ("aabenraa", "soenderborg", "vejle", "hjoerring", "base")
FRIENDS = "må jeg være ven med forældrene på Facebook?"


# -- passages ------------------------------------------------------------------------------
@pytest.mark.parametrize("pid", PACKS)
def test_passages_are_verbatim_whole_units(guide: Guide, engine: Engine, pid: str) -> None:
    source = engine.pack(pid).source_text
    passages = guide.passages(pid)
    assert passages
    ends = [p.end for p in passages]
    assert ends == sorted(ends)
    for p in passages:
        assert source[p.start : p.end] == p.quote
        # a whole paragraph, list item or list: it starts and ends at a line boundary
        assert p.start == 0 or source[p.start - 1] == "\n", p.quote[:40]
        assert p.end == len(source) or source[p.end] in "\r\n", p.quote[-40:]
        assert not p.quote[0].islower()
        assert p.sections and set(p.sections) <= set(engine.pack(pid).sections)


@pytest.mark.parametrize("pid", PACKS)
def test_every_enforced_section_can_be_found(guide: Guide, engine: Engine, pid: str) -> None:
    """Every section that rules enforce lies in a passage, or heads passages as context."""
    pack = engine.pack(pid)
    passages = guide.passages(pid)
    inside = {s for p in passages for s in p.sections}
    headings = " ".join(normalise_ws(p.heading) for p in passages)
    for sid, entry in pack.coverage.items():
        if entry.rules:
            anchor = normalise_ws(pack.sections[sid].anchor)
            assert sid in inside or anchor in headings, sid


def test_list_items_and_headed_paragraphs(guide: Guide) -> None:
    vejle = {p.section: p for p in guide.passages("vejle")}
    # each numbered piece of advice is its own passage, under its heading
    assert vejle["4"].quote.startswith("4. Skift dit kodeord ofte")
    assert vejle["4"].heading == "Gode råd om hvordan du færdes på de sociale medier"
    # a heading over one paragraph is quoted with it
    aabenraa = {p.section: p for p in guide.passages("aabenraa")}
    assert aabenraa["2"].quote.startswith("2. Beskyt dine private oplysninger\n")
    assert "hvordan du vil optræde i en søgning" in aabenraa["2"].quote
    # a list with its lead-in line is one passage
    skriv = next(p for p in guide.passages("soenderborg") if "skriv-ikke" in p.sections)
    assert skriv.quote.startswith("Skriv ikke noget:") and "Der er diskriminerende" in skriv.quote
    # a sentence broken by a blank line stays whole
    tone = next(p for p in guide.passages("aabenraa") if "3-tone" in p.sections)
    assert "kommenterer på\n\noffentligt tilgængelige sider" in tone.quote
    # the law: the paragraph, with its reference as heading
    law = {p.section: p for p in guide.passages("base")}
    assert law["straffeloven § 152"].heading == "Straffeloven § 152, stk. 1"


# -- ask -------------------------------------------------------------------------------------
def test_ask_the_example_question(guide: Guide, engine: Engine) -> None:
    answer = guide.ask(FRIENDS)
    assert answer.covered and answer.message == ""
    assert 1 <= len(answer.passages) <= 5
    found = {p.municipality for p in answer.passages}
    assert {"soenderborg", "vejle"} <= found
    scores = [p.score for p in answer.passages]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    for p in answer.passages:
        pack = engine.pack(p.municipality)
        assert pack.source_text[p.start : p.end] == p.quote
        assert p.municipality_name == pack.name
        assert p.section in p.sections
        entry = pack.coverage[p.section]
        # the rules are those coverage.yml names for the section, or the reason there are none
        assert p.rules == entry.rules
        assert p.advice_only == ("" if entry.rules else entry.advice_only)


def test_answer_to_dict_is_json(guide: Guide) -> None:
    data = guide.ask(FRIENDS, "vejle").to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert json.loads(text) == data
    assert set(data) == {
        "question",
        "municipality",
        "municipality_name",
        "covered",
        "message",
        "confidence",
        "passages",
        "terms",
    }
    assert data["municipality"] == "vejle" and data["covered"] is True
    assert set(data["passages"][0]) == {
        "municipality",
        "municipality_name",
        "law",
        "section",
        "section_title",
        "heading",
        "quote",
        "start",
        "end",
        "score",
        "rules",
        "advice_only",
        "sections",
    }
    assert set(data["terms"][0]) == {"word", "searched", "correction", "compound_of", "found"}


def test_municipality_filter_searches_that_guideline_and_the_law(guide: Guide) -> None:
    answer = guide.ask("Gælder tavshedspligten også på min private profil?", "Vejle Kommune")
    assert answer.municipality == "vejle"
    assert answer.municipality_name == "Vejle Kommune – Paddehatten"
    assert answer.passages
    assert {p.municipality for p in answer.passages} <= {"vejle", "base"}
    assert any(p.law for p in guide.ask("hvad er underretningspligt", "hjørring").passages)


def test_municipality_named_in_the_question_narrows_the_search(guide: Guide) -> None:
    answer = guide.ask("hvad siger Hjørring om password?")
    assert answer.municipality == "hjoerring"
    assert answer.passages[0].municipality == "hjoerring"
    assert answer.passages[0].section == "password"
    assert all(t.word != "hjørring" for t in answer.terms)


def test_not_covered_is_said_honestly(guide: Guide) -> None:
    for question in ("Hvornår bliver min pension udbetalt?", "Hvor kan jeg parkere min cykel?"):
        answer = guide.ask(question)
        assert not answer.covered
        assert answer.passages == ()
        assert answer.message == NOT_COVERED_MESSAGE
        assert "dækker ikke" in answer.message
    pension = guide.ask("Hvornår bliver min pension udbetalt?")
    assert [t.found for t in pension.terms if t.word == "pension"] == [False]


def test_synonyms_compounds_and_typos(guide: Guide) -> None:
    # everyday words: FB → Facebook, chef → leder, password → kodeord
    fb = guide.ask("må jeg bruge fb privat i arbejdstiden", "hjoerring")
    assert any("facebook" in t.searched for t in fb.terms if t.word == "fb")
    assert fb.passages[0].section in ("arbejdstid", "privat-i-arbejdstiden", "arbejdstid-opgaver")
    chef = guide.ask("kan min chef kræve at jeg opretter en profil?", "soenderborg")
    assert any("leder" in t.searched for t in chef.terms if t.word == "chef")
    assert "ikke-tvang-profil" in chef.passages[0].sections
    password = guide.ask("hvor tit skal jeg skifte mit password", "vejle")
    assert password.passages[0].section == "4"
    # a compound the guidelines do not use is searched as its parts
    compound = guide.ask("regler for forældrekontakt på messenger")
    parts = [t.word for t in compound.terms if t.compound_of == "forældrekontakt"]
    assert parts == ["forældre", "kontakt"]
    # typos: one edit away from a word of the guidelines, also æ/ø/å written as ae/oe/aa
    typo = guide.ask("gælder tavshedspilgt også på facebok?")
    corrections = {t.word: t.correction for t in typo.terms}
    assert corrections["tavshedspilgt"] == "tavshedspligt"
    assert corrections["facebok"] == "facebook"
    assert any("tavshedspligt" in p.quote.lower() for p in typo.passages)
    folded = guide.ask("maa jeg vaere venner med foraeldrene")
    assert {t.word: t.correction for t in folded.terms}["foraeldrene"] == "forældrene"
    assert folded.covered


def test_edit_distance_at_most_one() -> None:
    assert edit_distance_at_most_one("kodeord", "kodeord")
    assert edit_distance_at_most_one("kodord", "kodeord")  # a letter missing
    assert edit_distance_at_most_one("koodeord", "kodeord")  # one too many
    assert edit_distance_at_most_one("kodeard", "kodeord")  # one replaced
    assert edit_distance_at_most_one("kdoeord", "kodeord")  # two swapped
    assert not edit_distance_at_most_one("kdoeorf", "kodeord")
    assert not edit_distance_at_most_one("kode", "kodeord")


def test_limit(guide: Guide) -> None:
    assert len(guide.ask(FRIENDS, limit=1).passages) == 1
    for bad in (0, 21):
        with pytest.raises(QuestionError) as info:
            guide.ask(FRIENDS, limit=bad)
        assert info.value.reason == "limit"


def test_bad_input_gives_danish_errors(guide: Guide) -> None:
    with pytest.raises(QuestionError) as empty:
        guide.ask("  \n\t ")
    assert empty.value.reason == "empty" and "Spørgsmålet er tomt" in str(empty.value)
    with pytest.raises(QuestionError) as long:
        guide.ask("ord " * MAX_QUESTION_CHARS)
    assert long.value.reason == "too_long" and "for langt" in str(long.value)
    assert "ord ord" not in str(long.value)  # the question is not repeated back
    with pytest.raises(ContextError) as unknown:
        guide.ask(FRIENDS, municipality="Atlantis")
    assert "Ukendt kommune 'Atlantis'" in str(unknown.value) and "vejle" in str(unknown.value)
    with pytest.raises(ContextError):
        guide.ask(FRIENDS, municipality="base")  # the law is not a municipality


def test_from_a_pack_loader_with_a_municipalitys_own_pack(tmp_path: Path) -> None:
    pack = tmp_path / "testby"
    (pack / "rules").mkdir(parents=True)
    (pack / "source.txt").write_text(
        "Retningslinjer for Testby\n\n"
        "Cykler skal stå i cykelkælderen, ikke på fortovet.\n\n"
        "Del aldrig dit kodeord med kolleger.\n",
        encoding="utf-8",
    )
    (pack / "pack.yml").write_text(
        "id: testby\nname: Testby Kommune\nversion: '1'\nextends: base\nsource: source.txt\n"
        "aliases: [testby]\nsections:\n"
        "  - {id: cykler, title: Cykler, anchor: 'Cykler skal stå i cykelkælderen'}\n"
        "  - {id: kodeord, title: Kodeord, anchor: 'Del aldrig dit kodeord med kolleger.'}\n",
        encoding="utf-8",
    )
    (pack / "coverage.yml").write_text(
        "sections:\n  cykler: {advice_only: Cykler ses ikke i et opslag.}\n"
        "  kodeord: {rules: [base.cpr]}\n",
        encoding="utf-8",
    )
    guide = Guide(PackLoader([tmp_path]))
    assert "testby" in guide.municipalities()
    answer = guide.ask("hvor skal min cykel stå?", "testby")
    assert answer.covered
    first = answer.passages[0]
    assert (first.municipality, first.section) == ("testby", "cykler")
    assert first.quote == "Cykler skal stå i cykelkælderen, ikke på fortovet."
    assert first.advice_only == "Cykler ses ikke i et opslag."
    assert guide.ask("må jeg dele mit kodeord?", "testby").passages[0].rules == ("base.cpr",)


# -- concurrency and speed ----------------------------------------------------------------------
def test_index_is_built_once_under_concurrent_use(engine: Engine) -> None:
    guide = Guide(engine)
    builds = 0
    original = guide._build

    def counting() -> object:
        nonlocal builds
        builds += 1
        time.sleep(0.05)  # widen the window in which other threads arrive
        return original()

    guide._build = counting  # type: ignore[method-assign]
    answers: list[Answer] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            answers.append(guide.ask(FRIENDS))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert builds == 1
    assert len({json.dumps(a.to_dict(), sort_keys=True) for a in answers}) == 1


def test_index_and_queries_are_fast(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    for pid in PACKS:
        engine.pack(pid)  # packs loaded (the engine caches them); time the index alone
    builds = []
    for _ in range(3):
        guide = Guide(engine)
        start = time.perf_counter()
        guide.ask(FRIENDS)
        builds.append(time.perf_counter() - start)
    questions = [
        FRIENDS,
        "hvor tit skal jeg skifte kodeord",
        "Hvornår bliver min pension indbetalt?",
        "En borger klager over hjemmeplejen i en kommentar på vores facebookside",
        "gælder tavshedspilgt også på facebok?",
    ]
    timings = []
    for _ in range(20):
        for q in questions:
            start = time.perf_counter()
            guide.ask(q)
            timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    with capsys.disabled():
        print(f"\nguidance: index {min(builds) * 1000:.0f} ms, query median {median * 1000:.2f} ms")
    assert min(builds) < 0.5
    assert median < 0.020
