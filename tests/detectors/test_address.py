"""Table tests for the street-address detector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omtanke.detectors.address import AddressDetector, load_street_index, street_key
from omtanke.text import Document

DEV = Path("/work/shared/eval/dev.jsonl")


@pytest.fixture(scope="module")
def detector() -> AddressDetector:
    return AddressDetector()


def spans(detector: AddressDetector, text: str) -> list[str]:
    return [text[d.start : d.end] for d in detector.detect(Document(text))]


POSITIVES: list[tuple[str, str]] = [
    # every ADDRESS entity of dev.jsonl, in (a piece of) its sentence
    (
        "Jeg hedder Jytte Kristensen og bor på Skolegade 14, 2. th, 6200 Aabenraa. Min mand",
        "Skolegade 14, 2. th, 6200 Aabenraa",
    ),
    ("en familie på Vestre Engvej 14 hvor en lille pige", "Vestre Engvej 14"),
    ("Husk at Birthe på Kastanievej 22 skal have insulin kl 8 og 17", "Kastanievej 22"),
    ("Jeg bor på Åvej 9, 9800 Hjørring, cpr 030591-6021.", "Åvej 9, 9800 Hjørring"),
    ("Min far Ib på Kirkevej 8 i Bolderslev har fået det værre", "Kirkevej 8"),
    ("han bor stadig på Boulevarden 5, 1. tv. mit nr er +45 53 88 21 07", "Boulevarden 5, 1. tv"),
    ("Borgeren på Vestergade 31, 9800 Hjørring råber og skriger", "Vestergade 31, 9800 Hjørring"),
    ("Min nabo på Ahornvej 3 har 5 børn og de går", "Ahornvej 3"),
    # multi-word names, in the list or only shaped like a street
    ("Vi mødes på Søren Kierkegaards Plads 1 kl. 10", "Søren Kierkegaards Plads 1"),
    ("Afleveres på H.C. Andersens Boulevard 27.", "H.C. Andersens Boulevard 27"),
    ("Hun bor på Skt. Hans Gade 4", "Skt. Hans Gade 4"),
    ("Sankt Hans Gade 4", "Sankt Hans Gade 4"),
    ("Gammel Kongevej 12, 1850 Frederiksberg C", "Gammel Kongevej 12, 1850 Frederiksberg C"),
    ("bor på Nr. Alslev Langgade 3", "Nr. Alslev Langgade 3"),
    ("Ny Adelgade 4", "Ny Adelgade 4"),
    ("Sdr. Ringvej 12", "Sdr. Ringvej 12"),
    ("Den Gamle Vej 3", "Den Gamle Vej 3"),
    # unknown but street-shaped
    ("Familien på Kløvstrupvænget 7 har fået nyt barn", "Kløvstrupvænget 7"),
    ("Arne Fryman, Vestersøgade 78, 1601 København V.", "Vestersøgade 78, 1601 København V"),
    # house letters, floors and sides
    ("Skolegade 14B st. tv", "Skolegade 14B st. tv"),
    ("Skolegade 14 B", "Skolegade 14 B"),
    ("Jernbanegade 7A, st.", "Jernbanegade 7A, st."),
    ("Hovedgaden 2, 3.sal", "Hovedgaden 2, 3.sal"),
    ("Skolegade 14, 2. th.", "Skolegade 14, 2. th"),
    ("Skolevej 3, 2.tv", "Skolevej 3, 2.tv"),
    ("Mosevej 12 t.v.", "Mosevej 12 t.v."),
    ("Fredensgade 33 st th", "Fredensgade 33 st th"),
    ("Nørregade 4, kl.", "Nørregade 4, kl."),
    ("Nørregade 4, 3. sal tv, 8000 Aarhus C", "Nørregade 4, 3. sal tv, 8000 Aarhus C"),
    ("Elmevej 14, 1.th, 5000 Odense C.", "Elmevej 14, 1.th, 5000 Odense C"),
    # postcode forms
    ("Nørregade 4, DK-8000 Aarhus C", "Nørregade 4, DK-8000 Aarhus C"),
    ("Vestergade 31\n9800 Hjørring", "Vestergade 31\n9800 Hjørring"),
    ("Storegade 5, 2800 Kgs. Lyngby", "Storegade 5, 2800 Kgs. Lyngby"),
    ("Rugårdsvej 200, 5000 Odense", "Rugårdsvej 200, 5000 Odense"),
    # 'nr.' is fine after a real street
    ("Vestergade nr. 31", "Vestergade nr. 31"),
    # single-word names without a street suffix need a stronger signal
    ("Han bor på Torvet 5", "Torvet 5"),
    ("Adresse: Torvet 5", "Torvet 5"),
    ("Havnen 3, 6200 Aabenraa", "Havnen 3, 6200 Aabenraa"),
    ("bor Ved Stranden 3", "Ved Stranden 3"),
    # informal lower case
    ("bor på skolegade 14", "skolegade 14"),
    ("jeg bor på vestre engvej 14", "vestre engvej 14"),
    # punctuation around
    ("(Skolegade 14)", "Skolegade 14"),
    ("“Kastanievej 22”", "Kastanievej 22"),
    ("adr.: Nørregade 4", "Nørregade 4"),
    ("på Kirkevej 8. Hun kommer", "Kirkevej 8"),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_positive(detector: AddressDetector, text: str, expected: str) -> None:
    assert spans(detector, text) == [expected]


NEGATIVES: list[str] = [
    # streets without a number
    "Kom ned i Søndergade i morgen",
    "Vejarbejde på Søndergade fra mandag d. 3/6",
    "is på Værnedamsvej",
    # numbers without a street
    "nr. 7",
    "Hun bor i nr. 22",
    "Lokalplanforslag nr. 2024-117",
    "uge 36",
    "Uge 36",
    "kl. 10",
    "Polar X-plorer",
    "stue 12",
    "Stue 4",
    "Hun går i 5.B",
    "4.A",
    "9.B",
    "Mark nr. 3",
    "Bus 5A",
    "Vej 1",
    "På Vej 2",
    "Min Vej 4",
    # times, dates, ranges and quantities after a street
    "Søndergade fra kl 14",
    "Østergade d. 3/6",
    "Østergade 14.30",
    "Søndergade 14:30",
    "Kirkevej 8. juni",
    "Vi står på Østergade 10-16",
    "Vestergade 3 km",
    "Vi ses i Troldehøjen 3 dage om ugen",
    "Børnehaven Solsikken 2 gange om ugen",
    # shops, years, products, ordinary words in the street list
    "Rema 1000",
    "Netto",
    "Budget 2025",
    "Maj 2024",
    "Trin 2",
    "Linje 4",
    "Kapitel 3",
    "Bind 2",
    "Side 5",
    "Klasse 3",
    "Gruppe 2",
    "Hus 4",
    "iPhone 15",
    "Windows 11",
    "Formel 1",
    "Havnen 3",
    "Torvet 5",
    "Stationen 2",
    "Skolen 3",
    "Solen 3",
    "Rådhuset 2",
    "Plejehjemmet 3",
    "Parken 12",
    "Legepladsen 2",
    "Ved Stranden 3",
    "Danmark 2",
    "Brigade 2",
    "Motorvej 21",
    "Drengen 7 år",
    "Arbejdsplads 2",
    "Lørdag 15",
    "Servicelovens § 50",
    # phone numbers and CPR
    "Ring på 98 12 34 56 hurtigst muligt",
    "cpr 030591-6021",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_negative(detector: AddressDetector, text: str) -> None:
    assert spans(detector, text) == []


def test_scores_order(detector: AddressDetector) -> None:
    def score(text: str) -> float:
        (det,) = detector.detect(Document(text))
        return det.score

    full = score("Åvej 9, 9800 Hjørring")
    known = score("Kastanievej 22")
    shaped = score("Kløvstrupvænget 7")
    informal = score("skolegade 14")
    assert full >= 0.98
    assert 0.88 <= known <= 0.92
    assert 0.75 <= shaped <= 0.85
    assert informal < shaped < known < full
    assert score("bor på Kastanievej 22") > known  # context raises


def test_detection_fields(detector: AddressDetector) -> None:
    text = "Jeg bor på Skolegade 14, 2. th, 6200 Aabenraa."
    (det,) = detector.detect(Document(text))
    assert det.label == "ADDRESS"
    assert det.detector == "address"
    assert 0.0 <= det.score <= 1.0
    assert "Skolegade" not in det.explanation  # explanations never quote the text
    assert det.attributes["postcode"] is True
    assert det.attributes["floor"] is True


def test_several_addresses(detector: AddressDetector) -> None:
    text = "Fra Kastanievej 22 til Ahornvej 3, 6200 Aabenraa og tilbage."
    assert spans(detector, text) == ["Kastanievej 22", "Ahornvej 3, 6200 Aabenraa"]


def test_offsets_with_wide_characters(detector: AddressDetector) -> None:
    text = "İ 🙈 bor på Skolegade 14 🏠"
    (det,) = detector.detect(Document(text))
    assert text[det.start : det.end] == "Skolegade 14"


def test_street_key() -> None:
    assert street_key("H.C. Andersens Boulevard") == street_key("HC Andersens Boulevard")
    assert street_key("H. C. Andersens Boulevard") == street_key("H C Andersens Boulevard")
    assert street_key("Sankt Hans Gade") == street_key("Skt. Hans Gade")
    assert street_key("Aakjærs Allé") == street_key("aakjærs alle")


def test_index_loaded_once() -> None:
    index = load_street_index()
    assert load_street_index() is index
    assert len(index.keys) > 50_000
    assert street_key("Vestergade") in index.keys
    assert street_key("Uden Fast Bopæl") not in index.keys  # junk dropped by the build


def test_dev_corpus(detector: AddressDetector) -> None:
    """Precision/recall for ADDRESS on dev.jsonl (overlap counts as a hit)."""
    if not DEV.exists():
        pytest.skip(f"{DEV} is not available (the shared evaluation corpus)")
    tp = fp = fn = exact = 0
    false_positives: list[str] = []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        text = item["text"]
        gold: list[tuple[int, int]] = []
        for ent in item["entities"]:
            if ent["label"] != "ADDRESS":
                continue
            i = text.find(ent["text"])
            while i >= 0:
                gold.append((i, i + len(ent["text"])))
                i = text.find(ent["text"], i + 1)
        preds = detector.detect(Document(text))
        for p in preds:
            if any(p.start < e and s < p.end for s, e in gold):
                tp += 1
                exact += (p.start, p.end) in gold
            else:
                fp += 1
                false_positives.append(f"{item['id']}: {text[p.start : p.end]!r}")
        fn += sum(1 for s, e in gold if not any(p.start < e and s < p.end for p in preds))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(
        f"\nADDRESS on dev.jsonl: P={precision:.3f} R={recall:.3f} "
        f"(TP={tp} FP={fp} FN={fn}, exact spans {exact}/{tp})"
    )
    assert precision >= 0.9, false_positives
    assert recall >= 0.9
    assert exact == tp
