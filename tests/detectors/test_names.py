"""Table tests for the person-name detector."""

from __future__ import annotations

import json
import time
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from omtanke.detectors.names import (
    THRESHOLD,
    NameCandidate,
    NameDetector,
    combine_scores,
    is_self_reference,
    load_lexicon,
)
from omtanke.model import Detection
from omtanke.text import Document

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="module")
def detector() -> NameDetector:
    return NameDetector()


def detect(detector: NameDetector, text: str) -> list[Detection]:
    return detector.detect(Document(text))


def spans(detector: NameDetector, text: str) -> list[str]:
    return [text[d.start : d.end] for d in detect(detector, text)]


# --- positives ------------------------------------------------------------------------------

POSITIVES: list[tuple[str, list[str]]] = [
    # first names in context
    ("Sikke en dag på stuen! Mikkel fra Bjørnegruppen kastede op hele formiddagen", ["Mikkel"]),
    ("Hej Jesper, du arbejder jo på teknisk?", ["Jesper"]),
    ("Stort tillykke med de 40, Susanne!! 🎉", ["Susanne"]),
    ("Kære Birgit 💐 tak for alt", ["Birgit"]),
    ("Hilsen Marianne", ["Marianne"]),
    ("Emma har det rigtig svært for tiden.", ["Emma"]),
    ("Tillykke til Anne-Sofie med de 30!", ["Anne-Sofie"]),
    ("Fødselsdag i dag 🎂 Karen på stue 12 fylder 93", ["Karen"]),
    ("Lille Aisha fra stuen havde blå mærker igen", ["Aisha"]),
    ("Zeynep (4 år) sagde noget i dag", ["Zeynep"]),
    ("Min søn Ali bliver slået i frikvarteret", ["Ali"]),
    ("Hvis min sagsbehandler Pia ikke ringer", ["Pia"]),
    ("Tanja fra borgerservice, jeg har set dig", ["Tanja"]),
    # full names
    ("Mvh Jesper Holm, tlf 30 45 66 12", ["Jesper Holm"]),
    ("Hans Peter Lund var til mødet", ["Hans Peter Lund"]),
    ("Til Mohammed Al-Hassan: din sag er afgjort", ["Mohammed Al-Hassan"]),
    ("Svar mig på mail. Mvh Kim Bo Andersen", ["Kim Bo Andersen"]),
    ("Velkommen til Piotr Nowak, der starter på mandag", ["Piotr Nowak"]),
    ("Piotr Nowak starter på mandag", ["Piotr Nowak"]),
    ("Mvh Nadia Rahimi, nadia.r@live.dk", ["Nadia Rahimi"]),
    ("ring tilbage til Ahmed Yilmaz i morgen", ["Ahmed Yilmaz"]),
    ("Har set alt med Sofie Gråbøl", ["Sofie Gråbøl"]),
    ("H.C. Andersen blev født i Odense", ["H.C. Andersen"]),
    # names of non-Danish origin
    ("Ahmed, Aisha, Yusuf og Bilal legede i sandkassen", ["Ahmed", "Aisha", "Yusuf", "Bilal"]),
    ("Fatima fra dagplejen er syg", ["Fatima"]),
    ("Især Malthe og Hassan var urolige", ["Malthe", "Hassan"]),
    ("I dag var Ibrahim og Omar på tur", ["Ibrahim", "Omar"]),
    # possessives: the name without the -s / apostrophe
    ("Mvh Tina (Viggos mor)", ["Tina", "Viggo"]),
    ("Det drejer sig om Jonas' iPad", ["Jonas"]),
    ("det er Ahmeds datter der skriver", ["Ahmed"]),
    ("Vi var til Mikkels fødselsdag", ["Mikkel"]),
    # common words with evidence
    ("William (7) og Storm (4) har ikke sovet", ["William", "Storm"]),
    ("Hej Trine, undskyld jeg skriver", ["Trine"]),
    ("Min kollega Bent går på pension", ["Bent"]),
    ("Lærke (5) har fødselsdag", ["Lærke"]),
    # surnames with a title, or repeated
    ("Tak for i dag til familien Petersen 🕊️", ["Petersen"]),
    ("Jeg talte med fru Jensen i går", ["Jensen"]),
    ("Spørg hr. Hansen om nøglen", ["Hansen"]),
    ("Jesper Holm ringede igen. Holm var meget sur.", ["Jesper Holm", "Holm"]),
    # initials with context
    ("M. på 4 år har slået sig", ["M."]),
    # lower case: only in the safe cases
    ("min søn ali har feber", ["ali"]),
    ("har du set ida jensen i dag", ["ida jensen"]),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_positives(detector: NameDetector, text: str, expected: list[str]) -> None:
    assert spans(detector, text) == expected


# --- look-alikes ------------------------------------------------------------------------------

NEGATIVES: list[str] = [
    # common words and English words that are also first names
    "Bent out of shape over at Brugsen lukker kl 18",
    "Mark nr. 3 er endelig høstet 🚜",
    "Lærke, vibe og strandskade 🐦 – kom med på fugletur",
    "Sol, 24 grader og ingen vind ☀️",
    "Hans mor kom alt for sent i dag",
    "Tom for mælk igen!",
    "Storm i nat, pas på trampolinen",
    "Liv og glade dage i børnehaven",
    "Jul i børnehaven 🎄",
    "Vi ses d. 21. August til sommerfest",
    "Like This",
    # ordinary sentence-initial words
    "Mange tak for i dag",
    "Tak for kaffe!",
    "Hej alle sammen",
    "Kære forældre, husk madpakken",
    "Sikke en dag",
    "Lille mand, stor dag",
    "Stakkels kat",
    "Lang dag i socialudvalget.",
    # places, institutions, streets
    "Forlænget weekend på Frederiksberg. Frederiksberg Have var smuk.",
    "Vi spiste på Jensens Bøfhus i går",
    "Vi mødes på Søren Kierkegaards Plads kl 12",
    "Efterårsferie i Marielyst 🌊",
    "De vil lukke Kløvermarken og Tornby Skole",
    "Vrå Skole og Aabenraa Bibliotek holder åbent",
    "Kaffe på Damhaven, Rønshave og Solgården",
    "Bjørnegruppen, Mariehønen og Humlehuset holder sommerfest",
    "Solsikken, Troldehøjen, Skovbrynet, Myretuen, Grønnegården, Bøgely og Solstrålen",
    "Skt. Hans på stranden 🔥",
    "Sankt Hans aften ved søen",
    "Fugletur ved Hostrup Sø søndag",
    # brands and services
    "Vi var i Legoland og så Netflix bagefter",
    "Købt i Meny, Netto og Føtex",
    "Returnering til Zalando med Postnord",
    "Log ind på Aula og Lectio",
    # classes, codes, addresses and handles
    "Til forældrene i 4.A: Vi har haft en episode",
    "Hvornår er skole-hjem-samtalerne i 6.A?",
    "Skriv til Jesper.Holm@vejle.dk eller jesperholm88@gmail.com",
    "Følg #Mikkel og @Emma",
    "SKAM JER!! Jeg har klaget 3 gange",
    "Kode: Sommer2024! og sommer2024!",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alikes(detector: NameDetector, text: str) -> None:
    assert spans(detector, text) == []


# --- attributes and scores ------------------------------------------------------------------


def one(detector: NameDetector, text: str) -> Detection:
    found = detect(detector, text)
    assert len(found) == 1, [text[d.start : d.end] for d in found]
    return found[0]


PUBLIC: list[tuple[str, str]] = [
    ("Kære Mattias Tesfaye: flere penge til folkeskolen", "Mattias Tesfaye"),
    ("Jeg synes faktisk Jacob Jensen har ret", "Jacob Jensen"),
    ("Mette Frederiksen burde have lyttet", "Mette Frederiksen"),
    ("Mette Frederiksens regering har besluttet det", "Mette Frederiksen"),
    ("Lars Løkke Rasmussen og resten af regeringen", "Lars Løkke Rasmussen"),
    ("båltalen holdes af borgmester Jan Riber Jakobsen", "Jan Riber Jakobsen"),
    ("og borgmester Søren Smalbro byder velkommen", "Søren Smalbro"),
    ("Kong Frederik holdt nytårstale", "Frederik"),
    ("Dronning Margrethe var til stede", "Margrethe"),
    ("Det har justitsminister Hummelgaard sagt", "Hummelgaard"),
    ("Hans Peter Lund fra oppositionen er uenig", "Hans Peter Lund"),
    ("Har set alt med Sofie Gråbøl", "Sofie Gråbøl"),  # known to the whole country
    ("Jonas Vingegaard i gul igen 💛", "Jonas Vingegaard"),
]


@pytest.mark.parametrize(
    ("text", "name", "is_self"),
    [
        ("Hej forældre! Husk madpakker. Hilsen Marianne", "Marianne", True),
        ("Spørgsmål? Ring til mig, centerleder Birgitte Lund", "Birgitte Lund", True),
        ("Jeg hedder Jytte Kristensen og bor i Aabenraa", "Jytte Kristensen", True),
        ("Mvh Rikke, leder i Skovbrynet", "Rikke", True),
        ("Sikke en dag!\nMikkel fra stuen kastede op", "Mikkel", False),
        ("Tak til Mikkel for hjælpen", "Mikkel", False),
    ],
)
def test_the_authors_own_name_is_marked(
    detector: NameDetector, text: str, name: str, is_self: bool
) -> None:
    det = one(detector, text)
    assert text[det.start : det.end] == name
    assert bool(det.attributes.get("self")) is is_self


@pytest.mark.parametrize(("text", "name"), PUBLIC)
def test_public_figures(detector: NameDetector, text: str, name: str) -> None:
    det = one(detector, text)
    assert text[det.start : det.end] == name
    assert det.attributes.get("public") is True
    assert det.score >= 0.85


@pytest.mark.parametrize(
    "text",
    [
        "Hej Mette, kan du ringe?",
        "Margrethe fra stuen er syg",  # a first name alone is not the queen
    ],
)
def test_private_persons_are_not_public(detector: NameDetector, text: str) -> None:
    assert "public" not in one(detector, text).attributes


#: Public offices in local and national politics, and senior officials speaking in their
#: role: one-word and multi-word titles before the name, appositives after it, party letters.
PUBLIC_OFFICE: list[tuple[str, str]] = [
    ("Formand for Sundheds- og Ældreudvalget Malou Brix vil spare på plejen", "Malou Brix"),
    ("Det mener formand for Børne- og Skoleudvalget, Jens Hald, ikke", "Jens Hald"),
    ("Det siger næstformand i Teknik- og Miljøudvalget Sara Lind til avisen", "Sara Lind"),
    ("Det siger formand for teknik- og miljøudvalget Jens Ole Frandsen", "Jens Ole Frandsen"),
    ("Det siger formand for Klima-, Miljø- og Teknikudvalget Sara Lind", "Sara Lind"),
    ("Det siger formand for Folketingets Sundhedsudvalg Sara Lind", "Sara Lind"),
    ("Det siger formand for Venstre i Hjørring Sara Lind", "Sara Lind"),
    ("Det siger Venstres formand Sara Lind til avisen", "Sara Lind"),
    ("Det siger SF's formand Sara Lind til avisen", "Sara Lind"),
    ("Det siger byrådets næstformand Sara Lind til avisen", "Sara Lind"),
    # a suspended compound ("Sundheds- og ...") is not a name either
    ("Det siger Sundheds- og Ældreudvalgets formand, Malou Brix, til avisen", "Malou Brix"),
    ("Det mener Malou Brix, Sundheds- og Ældreudvalgets formand, ikke", "Malou Brix"),
    ("Det siger udvalgsformand Peter Holm til avisen", "Peter Holm"),
    ("Det siger udvalgsformand Brodersen til avisen", "Brodersen"),
    ("Det siger byrådsmedlem Peter Holm til avisen", "Peter Holm"),
    ("Det siger kommunalbestyrelsesmedlem Peter Holm til avisen", "Peter Holm"),
    ("Det siger regionsrådsmedlem Peter Holm til avisen", "Peter Holm"),
    ("Det siger medlem af byrådet Anna Krogh til avisen", "Anna Krogh"),
    ("Det siger medlem af kommunalbestyrelsen i Hjørring Kommune Anna Krogh", "Anna Krogh"),
    ("Det siger gruppeformand Anna Krogh til avisen", "Anna Krogh"),
    ("Det siger spidskandidat Anna Krogh til avisen", "Anna Krogh"),
    ("Det siger borgmesterkandidat Anna Krogh til avisen", "Anna Krogh"),
    ("Det siger byrådskandidat Anna Krogh til avisen", "Anna Krogh"),
    ("Det siger folketingskandidat Anna Krogh til avisen", "Anna Krogh"),
    ("Det siger folketingsmedlem for SF Anna Krogh til avisen", "Anna Krogh"),
    ("Det siger MF Line Bach til avisen", "Line Bach"),
    ("Det siger beskæftigelsesministeren Line Bach til avisen", "Line Bach"),
    ("Det siger kommunaldirektør Line Bach til avisen", "Line Bach"),
    ("Det siger direktør for Børne- og Kulturforvaltningen Line Bach", "Line Bach"),
    ("Det siger politimester Line Bach til avisen", "Line Bach"),
    ("Det siger politidirektør Line Bach til avisen", "Line Bach"),
    ("Det mener Malou Brix, formand for Sundheds- og Ældreudvalget, ikke", "Malou Brix"),
    ("Det mener formanden for teknisk udvalg, Troels Mejer, også", "Troels Mejer"),
    ("Det mener Troels Mejer, formand for Teknisk Udvalg, ikke", "Troels Mejer"),
    ("Det mener Peter Holm, byrådsmedlem, ikke", "Peter Holm"),
    ("Det mener Peter Holm (S), byrådsmedlem, ikke", "Peter Holm"),
    ("Det mener Peter Holm, kommunaldirektør i Hjørring, ikke", "Peter Holm"),
    ("Det mener Peter Holm, MF, ikke", "Peter Holm"),
    ("Kom til borgermødet torsdag. Aase Hollesen, byrådsmedlem", "Aase Hollesen"),
    ("Lørdag er der koncert med Tobias Rahbek & Band på havnen", "Tobias Rahbek"),
    ("Foredrag ved forfatteren Ida Jessen på biblioteket", "Ida Jessen"),
    *[
        (f"Det mener Jens Hald ({party}) ikke", "Jens Hald")
        for party in ("S", "V", "SF", "DF", "K", "Ø", "RV", "LA", "M", "Å", "DD")
    ],
]


@pytest.mark.parametrize(("text", "name"), PUBLIC_OFFICE)
def test_public_offices(detector: NameDetector, text: str, name: str) -> None:
    det = one(detector, text)
    assert text[det.start : det.end] == name
    assert det.attributes.get("public") is True
    assert det.explanation.startswith("offentlig person")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # chairs of associations, clubs and workplace committees hold no public office
        ("Det siger formand for grundejerforeningen Bo Lund til avisen", "Bo Lund"),
        ("Formand for grundejerforeningen, Bo Lund, siger nej", "Bo Lund"),
        ("Det siger formand for fodboldklubben Peter Holm til avisen", "Peter Holm"),
        ("Det siger Peter Holm, formand for fodboldklubben, til avisen", "Peter Holm"),
        ("Det skriver Peter Holm, formand for foreningen", "Peter Holm"),
        ("Det siger formand for festudvalget Peter Holm", "Peter Holm"),
        ("Det siger formand for Fest- og Aktivitetsudvalget Peter Holm", "Peter Holm"),
        ("Det siger formand for MED-udvalget Peter Holm", "Peter Holm"),
        ("Det siger formand for samarbejdsudvalget Peter Holm", "Peter Holm"),
        ("Det siger festudvalgets formand Peter Holm", "Peter Holm"),
        ("Det siger grundejerforeningens formand Bo Lund", "Bo Lund"),
        ("Min kollega Peter Holm, medlem af MED-udvalget, siger nej", "Peter Holm"),
        ("Det siger formand Peter Holm til avisen", "Peter Holm"),
        ("Det siger næstformand Peter Holm til avisen", "Peter Holm"),
        ("Det siger medlem af bestyrelsen Peter Holm til avisen", "Peter Holm"),
        ("Det siger direktør Peter Holm til avisen", "Peter Holm"),
        ("Vi holder møde med mf Peter Holm", "Peter Holm"),  # "MF" only in capitals
        # a private relation is talked about, whatever office the person holds
        ("Min nabo Peter Holm, byrådsmedlem, er syg", "Peter Holm"),
        # the title belongs to the next name in the list
        ("Tak til Peter Holm, borgmester Søren Smalbro og alle andre", "Peter Holm"),
        ("Jens Hald (42) er syg", "Jens Hald"),
    ],
)
def test_other_roles_are_not_public_office(detector: NameDetector, text: str, name: str) -> None:
    found = {text[d.start : d.end]: d for d in detect(detector, text)}
    assert name in found, list(found)
    assert "public" not in found[name].attributes


def test_every_office_title_opens_the_office_patterns() -> None:
    """The office patterns are tried only from a word holding one of the stems."""
    from omtanke.detectors import names

    titles = (names._PUBLIC_TITLES | names._OFFICE_TITLES) - names._ROYAL_FORMS
    for word in titles:
        assert any(stem in word for stem in names._OFFICE_STEMS), word
    # the tagger's feature set is not touched by the new titles (retraining would be needed)
    assert not names._OFFICE_TITLES & names._PUBLIC_TITLES


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ny bog på natbordet: 'Journal 64' af Jussi Adler-Olsen 📖", "Jussi Adler-Olsen"),
        ("Har du læst den nye af Sara Blædel?", "Sara Blædel"),
        ("Pernille Harder scorede igen i går", "Pernille Harder"),
        ("Marie Bjerre besøgte skolen i dag", "Marie Bjerre"),
        ("Kronprinsesse Mary var i Aabenraa", "Mary"),
    ],
)
def test_new_public_figures(detector: NameDetector, text: str, name: str) -> None:
    det = one(detector, text)
    assert text[det.start : det.end] == name
    assert det.attributes.get("public") is True


def test_a_place_named_after_a_public_figure_is_no_person(detector: NameDetector) -> None:
    assert spans(detector, "Vi mødes på Dan Turèlls Plads kl 10") == []
    assert spans(detector, "Vi mødes på Kim Larsens Plads kl 10") == []


@pytest.mark.parametrize(
    ("text", "kind", "low", "high"),
    [
        ("Mvh Jesper Holm", "full", 0.9, 1.0),
        ("Jeg har talt med Mikkel i dag", "first", 0.8, 0.9),  # frequent, mid-sentence
        ("Jeg har talt med Yusuf i dag", "first", 0.65, 0.8),  # rarer
        ("Mikkel fra Bjørnegruppen kastede op", "first", 0.75, 0.9),  # sentence-initial
        ("Tak for i dag til familien Petersen", "surname", 0.8, 0.9),
        ("M. på 4 år har slået sig", "initial", 0.55, 0.65),
    ],
)
def test_kind_and_score(
    detector: NameDetector, text: str, kind: str, low: float, high: float
) -> None:
    det = one(detector, text)
    assert det.attributes["kind"] == kind
    assert low <= det.score <= high
    assert det.label == "PERSON"
    assert det.detector == "names"
    assert det.explanation


def test_explanation_does_not_repeat_the_text(detector: NameDetector) -> None:
    det = one(detector, "Hej Mikkel, kommer du?")
    assert "Mikkel" not in det.explanation


def test_candidates_keep_the_weak_ones(detector: NameDetector) -> None:
    cands = detector.candidates(Document("Bent out of shape"))
    assert [c.kind for c in cands] == ["first"]
    assert detector.score(cands[0]) < THRESHOLD


def test_model_score_can_be_combined(detector: NameDetector) -> None:
    cand = NameCandidate(0, 4, "first", count=20000)
    rule = detector.score(cand)
    assert detector.score(cand, model_score=0.99) > rule
    assert detector.score(cand, model_score=0.01) < THRESHOLD
    assert combine_scores(0.95, 0.1, public=True) == 0.95


def test_offsets_are_code_points(detector: NameDetector) -> None:
    text = "😂🍻 Kenneth på bordet kl 01.30"
    det = one(detector, text)
    assert text[det.start : det.end] == "Kenneth"


# --- data ------------------------------------------------------------------------------------


def test_lexicon_loads_once_and_fast() -> None:
    load_lexicon.cache_clear()
    start = time.perf_counter()
    lex = load_lexicon()
    elapsed = time.perf_counter() - start
    assert load_lexicon() is lex
    assert elapsed < 1.0  # typically < 0.1 s
    assert lex.first["mikkel"] > 20000
    assert lex.surnames["jensen"] > 200000
    assert "000" not in lex.surnames
    for name in ("ahmed", "aisha", "yusuf", "zeynep", "bilal", "hassan", "fatima", "ibrahim"):
        assert name in lex.first, name
    # exact lookups only: compounds are not names
    assert "bjørnegruppen" not in lex.first
    assert "frederiksberg" not in lex.first


def test_shipped_data_is_small() -> None:
    data = resources.files("omtanke.detectors").joinpath("data")
    total = sum(
        len(data.joinpath(n).read_bytes()) for n in ("firstnames.tsv.gz", "surnames.tsv.gz")
    )
    assert total < 600_000
    license_text = data.joinpath("names.LICENSE.txt").read_text(encoding="utf-8")
    assert "Kilde: Danmarks Statistik" in license_text


def test_speed(detector: NameDetector) -> None:
    text = (
        "Hej Sanne, sorry det er søndag 🙈 Viggo har haft feber og tynd mave hele weekenden, "
        "men han er frisk nu, så han kommer i morgen ik? Hans Peter Lund fra oppositionen og "
        "Mette Frederiksen var på besøg, og William (7) og Storm (4) legede med Ahmed fra "
        "Bjørnegruppen på Tornby Skole. Mvh Tina (Viggos mor)"
    )
    detector.detect(Document(text))
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        detector.detect(Document(text))
    per_post = (time.perf_counter() - start) / runs
    assert per_post < 0.003  # target < 0.3 ms; generous for slow CI machines


# --- the development corpus -------------------------------------------------------------------


def _gold_occurrences(text: str, entities: list[dict[str, Any]]) -> set[tuple[int, int]]:
    gold: set[tuple[int, int]] = set()
    for ent in entities:
        if ent["label"] != "PERSON":
            continue
        start = text.find(ent["text"])
        while start != -1:
            gold.add((start, start + len(ent["text"])))
            start = text.find(ent["text"], start + 1)
    return gold


def test_dev_person_f1(detector: NameDetector) -> None:
    if not DEV.exists():
        pytest.skip(f"{DEV} is not available (the shared evaluation corpus)")
    tp = fp = hit = total = 0
    for line in DEV.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"]
        gold = _gold_occurrences(text, record["entities"])
        matched: set[tuple[int, int]] = set()
        for det in detector.detect(Document(text)):
            overlapping = {g for g in gold if det.start < g[1] and g[0] < det.end}
            if overlapping:
                tp += 1
                matched |= overlapping
            else:
                fp += 1
        hit += len(matched)
        total += len(gold)
    precision = tp / max(1, tp + fp)
    recall = hit / max(1, total)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    assert total >= 70
    assert f1 >= 0.85, (precision, recall, f1)


# --- with the statistical tagger (omtanke.detectors.ner) ---------------------------------------

#: Names the lists alone miss or cut short, found with the tagger.
MODEL_SOLVES: list[tuple[str, list[str]]] = [
    # first names missing from the lists
    ("Vores nye kollega Oluwaseun Adebayo starter på mandag", ["Oluwaseun Adebayo"]),
    # an ambiguous first name ("Bill") that the tagger reads with its surname
    ("Bill Clinton var præsident i USA", ["Bill Clinton"]),
    # a surname alone inside a sentence
    ("Det mener Hekmatyar ikke, siger han", ["Hekmatyar"]),
]


@pytest.mark.parametrize(("text", "expected"), MODEL_SOLVES)
def test_model_finds_what_the_lists_miss(
    detector: NameDetector, text: str, expected: list[str]
) -> None:
    assert spans(detector, text) == expected
    assert spans(NameDetector(use_model=False), text) != expected


#: Look-alikes that the lists alone report and the tagger vetoes.
MODEL_VETOES: list[str] = [
    "Hele salen sang Olé-sangen",
]


@pytest.mark.parametrize("text", MODEL_VETOES)
def test_model_vetoes_look_alikes(detector: NameDetector, text: str) -> None:
    assert spans(detector, text) == []
    assert spans(NameDetector(use_model=False), text) != []


@pytest.mark.parametrize(
    "text",
    [
        # the tagger proposes nothing from a capital letter at the start of a sentence only
        "Pjuske vejer omkring de 250 kg.",
        # nor inside handles, links, places and businesses
        "Følg @OluwaseunAdebayo og #BillClinton",
        "Vi mødes ved Oluwaseun Adebayo Plads",
        "Vi spiste på Madsens Bageri",
    ],
)
def test_model_respects_the_blockers(detector: NameDetector, text: str) -> None:
    assert spans(detector, text) == []


def test_model_is_explained(detector: NameDetector) -> None:
    det = one(detector, "Vores nye kollega Oluwaseun Adebayo starter på mandag")
    assert "navnemodel" in det.explanation
    assert "Oluwaseun" not in det.explanation
    assert det.attributes["kind"] == "full"


def test_without_the_model_file_the_lists_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    from omtanke.detectors import names

    monkeypatch.setattr(names, "_get_tagger", lambda: None)
    assert spans(NameDetector(), "Hej Jesper, kommer du?") == ["Jesper"]


@pytest.mark.parametrize(
    ("text", "name", "own"),
    [
        ("Spørgsmål skrives på Aula. Venlig hilsen Rose og Tariq", "Tariq", True),
        ("Min dør står åben. Hodan Abdullahi", "Hodan Abdullahi", True),
        ("Godt gået i dag. Mikkel", "Mikkel", False),  # a first name alone is addressed
        ("Hodan Abdullahi kom for sent igen i dag, typisk.", "Hodan Abdullahi", False),
    ],
)
def test_signatures_are_the_authors_own_name(text: str, name: str, own: bool) -> None:
    start = text.index(name)
    assert is_self_reference(text, start, start + len(name)) is own
