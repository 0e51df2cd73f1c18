"""Table tests for the phone detector."""

from __future__ import annotations

import pytest

from omtanke.detectors.phone import PhoneDetector
from omtanke.model import Detection
from omtanke.text import Document

DETECTOR = PhoneDetector()


def detect(text: str) -> list[Detection]:
    return DETECTOR.detect(Document(text))


def spans(text: str) -> list[str]:
    return [text[d.start : d.end] for d in detect(text)]


def score_of(text: str) -> float:
    (d,) = detect(text)
    return d.score


POSITIVES = [
    # dev.jsonl
    (
        "Kan vi flytte den? Mvh Jesper Holm, tlf 30 45 66 12 / jesperholm88@gmail.com",
        ["30 45 66 12"],
    ),
    ("Kan nogen skrive til mig på jytte.k52@gmail.com eller ringe på 61229017", ["61229017"]),
    ("💉 hendes datter har nyt nr: 2287 4410 – skriv i tråden", ["2287 4410"]),
    ("cpr 030591-6021. Ring til mig på 98 12 34 56 hurtigst muligt", ["98 12 34 56"]),
    ("Kan I ikke komme oftere? Hilsen Bettina, 24 56 71 03", ["24 56 71 03"]),
    ("I kan altid ringe på mit private nr. +45 40 12 88 93 hvis I ikke kan", ["+45 40 12 88 93"]),
    ("han bor stadig på Boulevarden 5, 1. tv. mit nr er +45 53 88 21 07", ["+45 53 88 21 07"]),
    ("sende mig en sms på 21457788, døgnet rundt 🙂", ["21457788"]),
    ("(sagsnr. 2024-08812) er nu afgjort. Ring til mig på 2933 1842 i morgen", ["2933 1842"]),
    # groupings and separators
    ("22874410", ["22874410"]),
    ("22 87 44 10", ["22 87 44 10"]),
    ("22-87-44-10", ["22-87-44-10"]),
    ("22.87.44.10", ["22.87.44.10"]),
    ("2287 4410", ["2287 4410"]),
    ("2287-4410", ["2287-4410"]),
    ("228 744 10", ["228 744 10"]),
    # country code
    ("+4522874410", ["+4522874410"]),
    ("+45 2287 4410", ["+45 2287 4410"]),
    ("0045 22874410", ["0045 22874410"]),
    ("(+45) 22 87 44 10", ["(+45) 22 87 44 10"]),
    ("tlf:+45-22874410.", ["+45-22874410"]),
    # emoji before the match
    ("👨‍👩‍👧📞 ring 22 87 44 10!", ["22 87 44 10"]),
    ("😀 sms 61229017 2 gange", ["61229017"]),
    # two numbers
    ("ring 22874410 eller 30 45 66 12", ["22874410", "30 45 66 12"]),
]

NEGATIVES = [
    # dev.jsonl
    "Postnord påstår min pakke med nr. 0003 7123 8456 er 'leveret'. Det er den ikke.",
    "Er der nogen der har erfaring med at få penge retur fra Zalando?? Ordrenr. 1004231187",
    "Født 12.03.88 og har ALDRIG vundet noget",
    "Jeg søgte om en ny rollator for 2 måneder siden, hvornår sker der noget?? sagsnr 2023-041122",
    "SKAM JER!! Sagsnr. 2024-7731. Jeg forlanger svar nu!",
    "Lokalplanforslag nr. 2024-117 for området kan ses på hjoerring.dk",
    "Sagsnr. 23/14567 hvis nogen derinde gider kigge på det",
    # CPR numbers are ten digits
    "cpr 120379-3649",
    "1203793649",
    "12.03.79-3649",
    "1 2 0 3 7 9 - 3 6 4 9",
    # company, money, bookkeeping
    "CVR 29189919",
    "CVR-nr. 2918 9919",
    "SE-nr. 29189919",
    "Det koster 12.500 kr",
    "Gevinst på 25 000 000 kr",
    "Beløb: 25000000",
    "Ordre nr. 22874410",
    "Faktura 22874410 er betalt",
    "kundenummer 2287 4410",
    "konto 22874410",
    "DK50 0040 0440 1162 43",
    "reg.nr 1234 kontonr 1234567890",
    # dates, times, years
    "Mødet er 12.03.2024",
    "deadline 2024-06-03",
    "kl 10.30-14.00",
    "kl. 20.30-22.00",
    "i årene 2019-2024",
    "20240603",
    "23042024",
    # longer runs and numbers not starting with 2-9
    "22 87 44 10 55",
    "228744101",
    "12345678",
    "01234567",
    "jesper22874410@gmail.com",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_positive(text: str, expected: list[str]) -> None:
    found = detect(text)
    assert [text[d.start : d.end] for d in found] == expected
    for d in found:
        assert d.label == "PHONE"
        assert d.detector == "phone"
        assert 0.5 <= d.score <= 1.0
        assert d.explanation


@pytest.mark.parametrize("text", NEGATIVES)
def test_negative(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("22874410", 0.55, 0.65),
        ("22 87 44 10", 0.7, 0.8),
        ("2287 4410", 0.7, 0.8),
        ("+45 22 87 44 10", 0.95, 1.0),
        ("tlf 22874410", 0.9, 1.0),
        ("ring på 2287 4410", 0.9, 1.0),
        ("mit nr 22874410", 0.9, 1.0),
        ("kontakt: 22874410", 0.9, 1.0),
        ("ring 20240603", 0.5, 0.8),  # looks like a date, but context says phone
    ],
)
def test_scores(text: str, low: float, high: float) -> None:
    assert low <= score_of(text) <= high


@pytest.mark.parametrize("word", ["tlf", "tlf.", "telefon", "mobil", "mob", "ringe", "sms", "nr"])
def test_positive_context_raises(word: str) -> None:
    assert score_of(f"{word} 22874410") > score_of("22874410")


@pytest.mark.parametrize("word", ["ordre", "pakke", "kroner", "cvr", "cvr-nr", "se-nr", "konto"])
def test_negative_context_drops(word: str) -> None:
    assert spans(f"{word} 22874410") == []


def test_country_code_survives_weak_negative() -> None:
    # the number itself carries the +45, so even a bookkeeping word nearby keeps it
    assert spans("ref +45 22 87 44 10") == ["+45 22 87 44 10"]


def test_attributes() -> None:
    (d,) = detect("+45 22 87 44 10")
    assert d.attributes["country_code"] is True
    assert d.attributes["grouping"] == "2-2-2-2"
