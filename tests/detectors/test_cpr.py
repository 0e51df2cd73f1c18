"""Table tests for the CPR detector."""

from __future__ import annotations

import datetime as dt

import pytest

from omtanke.detectors.cpr import CprDetector, cpr_birth_date, cpr_mod11
from omtanke.model import Detection
from omtanke.text import Document

DETECTOR = CprDetector()


def detect(text: str) -> list[Detection]:
    return DETECTOR.detect(Document(text))


def spans(text: str) -> list[str]:
    return [text[d.start : d.end] for d in detect(text)]


POSITIVES = [
    # dev.jsonl
    (
        "Borger ringer for 5. gang i dag om sin sag 🙄 cpr 120379-3649 hvis nogen af jer vil "
        "slå ham op og tage den næste gang haha",
        ["120379-3649"],
    ),
    (
        "Jeg bor på Åvej 9, 9800 Hjørring, cpr 030591-6021. Ring til mig på 98 12 34 56",
        ["030591-6021"],
    ),
    (
        "Hej Vejle Kommune 👋 mit cpr er 150682-2214 og jeg har STADIG ikke fået svar",
        ["150682-2214"],
    ),
    ("ring tilbage til Ahmed Yilmaz, cpr 2304921187, ang. hans ansøgning", ["2304921187"]),
    ("Mit personnummer er 2109785728. Kan nogen se på det?", ["2109785728"]),
    ("Lidt sjovt 🙃 en borger skrev sit cpr 0811651245 i emnefeltet", ["0811651245"]),
    # written forms
    ("120379-3649", ["120379-3649"]),
    ("120379 3649", ["120379 3649"]),
    ("12.03.79-3649", ["12.03.79-3649"]),
    ("1203793649", ["1203793649"]),
    ("120379 - 3649", ["120379 - 3649"]),
    ("120379–3649", ["120379–3649"]),
    ("120379/3649", ["120379/3649"]),
    ("1 2 0 3 7 9 - 3 6 4 9", ["1 2 0 3 7 9 - 3 6 4 9"]),
    ("1 2 0 3 7 9 3 6 4 9", ["1 2 0 3 7 9 3 6 4 9"]),
    # emoji before the match: offsets are Python str indices
    ("👨‍👩‍👧 cpr: 120379-3649.", ["120379-3649"]),
    ("🎉🎉 Født 120379-3649 😀", ["120379-3649"]),
    # two numbers, and a small number after the match
    ("cpr 1203793649, 0305916021", ["1203793649", "0305916021"]),
    ("cpr 120379-3649 2 gange", ["120379-3649"]),
    # leap day, century digits 4 (2000s) and 5-8 (1800s above 57)
    ("cpr 290224-4234", ["290224-4234"]),
    ("cpr 290200-4234", ["290200-4234"]),
    ("cpr 010160-5678", ["010160-5678"]),
    ("cpr 010199-9123", ["010199-9123"]),
]

NEGATIVES = [
    # dev.jsonl
    "Postnord påstår min pakke med nr. 0003 7123 8456 er 'leveret'. Det er den ikke. 📦😂",
    "Er der nogen der har erfaring med at få penge retur fra Zalando?? Ordrenr. 1004231187 – "
    "returnerede en jakke for 5 uger siden",
    "Født 12.03.88 og har ALDRIG vundet noget... indtil i dag!! 🎉",
    "sagsnr 2023-041122",
    "Sagsnr. 27.12.04-G01-1123-23",
    # dates, times, years
    "Mødet er den 12.03.2024 kl. 10.30",
    "12.03.2024 1030",
    "kl 10.30-14.00",
    "fra 2019-2024",
    # money, company and bank numbers
    "Det koster 1.250,00 kr",
    "CVR 12345678",
    "reg.nr 1234 kontonr 1234567890",
    "reg.nr. 1234 konto 1203793649",
    "Faktura 1203793649 forfalder i dag",
    "kundenr 120379-3649",
    "beløb 1203793649",
    "DK50 0040 0440 1162 43",
    "EAN 5701234567890",
    # phone numbers and longer digit runs
    "tlf 30 45 66 12",
    "ring på 61229017",
    "120379364912",
    "1234 1203793649",
    "1203793649 1234",
    "12-1203793649",
    # impossible dates and future birth dates
    "cpr 320179-3649",
    "cpr 121379-3649",
    "cpr 290223-1234",
    "cpr 311179-3649",
    # letters glued to the digits
    "abc1203793649",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_positive(text: str, expected: list[str]) -> None:
    found = detect(text)
    assert [text[d.start : d.end] for d in found] == expected
    for d in found:
        assert d.label == "CPR"
        assert d.detector == "cpr"
        assert 0.5 <= d.score <= 1.0
        assert d.explanation


@pytest.mark.parametrize("text", NEGATIVES)
def test_negative(text: str) -> None:
    assert spans(text) == []


def score_of(text: str) -> float:
    (d,) = detect(text)
    return d.score


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("1203793649", 0.6, 0.7),  # compact, mod11
        ("2304921187", 0.5, 0.6),  # compact, no mod11
        ("120379-3649", 0.85, 0.95),  # separator, mod11
        ("150682-2214", 0.75, 0.85),  # separator, no mod11
        ("cpr 2304921187", 0.95, 1.0),
        ("cpr-nr. 1203793649", 0.95, 1.0),
        ("personnummer: 2304921187", 0.95, 1.0),
        ("fødselsdato 120379-3649", 0.95, 1.0),
    ],
)
def test_scores(text: str, low: float, high: float) -> None:
    assert low <= score_of(text) <= high


@pytest.mark.parametrize("word", ["cpr", "cpr-nr", "cpr.nr", "cprnr", "personnr", "pers.nr"])
def test_positive_context_raises(word: str) -> None:
    assert score_of(f"{word} 2304921187") > score_of("2304921187")


@pytest.mark.parametrize(
    "word", ["faktura", "ordrenr.", "kundenummer", "kontonr", "bilag", "journalnr", "ref", "tlf"]
)
def test_negative_context_drops(word: str) -> None:
    assert spans(f"{word} 120379-3649") == []


def test_nearest_context_wins() -> None:
    # "kr" is further away than "cpr"
    assert spans("Jeg fik 500 kr tilbage, cpr 2304921187") == ["2304921187"]
    assert spans("cpr-nummeret står på bilag 2304921187") == []


def test_attributes_and_sorting() -> None:
    text = "cpr 2304921187 og 120379-3649"
    found = detect(text)
    assert [d.start for d in found] == sorted(d.start for d in found)
    assert found[0].attributes["mod11"] is False
    assert found[1].attributes["mod11"] is True
    assert "modulus 11 opfyldt" in found[1].explanation


def test_century_rules() -> None:
    today = dt.date(2026, 1, 1)
    assert cpr_birth_date("1203793649", today) == dt.date(1979, 3, 12)
    assert cpr_birth_date("0101364000", today) is None
    assert cpr_birth_date("0101374000", today) == dt.date(1937, 1, 1)
    assert cpr_birth_date("0101209000", today) == dt.date(2020, 1, 1)
    assert cpr_birth_date("0101575000", today) is None  # 2057: future
    assert cpr_birth_date("0101585000", today) == dt.date(1858, 1, 1)
    assert cpr_birth_date("0101155000", today) == dt.date(2015, 1, 1)
    assert cpr_birth_date("2902001234", today) is None  # 1900 is no leap year
    assert cpr_birth_date("2902004234", today) == dt.date(2000, 2, 29)


def test_mod11() -> None:
    assert cpr_mod11("1203793649")
    assert not cpr_mod11("2304921187")


def test_future_birth_date_rejected() -> None:
    next_year = (dt.date.today().year + 1) % 100
    assert spans(f"cpr 0101{next_year:02d}-5000") == []
