"""Table tests for the URL detector."""

from __future__ import annotations

import pytest

from omtanke.detectors.url import UrlDetector, is_lookalike_domain, is_official_domain
from omtanke.model import Detection
from omtanke.text import Document

DETECTOR = UrlDetector()


def detect(text: str) -> list[Detection]:
    return DETECTOR.detect(Document(text))


def spans(text: str) -> list[str]:
    return [text[d.start : d.end] for d in detect(text)]


POSITIVES = [
    # dev.jsonl
    (
        "'Gratis iPhone 15 til alle offentligt ansatte' 👉 bit.ly/offansat-iphone15",
        ["bit.ly/offansat-iphone15"],
    ),
    (
        "🎁 VIND et gavekort på 5.000 kr! Klik her og log ind med MitID for at deltage: "
        "hjoerring-kommune-gevinst.net/mitid",
        ["hjoerring-kommune-gevinst.net/mitid"],
    ),
    ("Lokalplanforslag nr. 2024-117 for området kan ses på hjoerring.dk", ["hjoerring.dk"]),
    ("Er det dig? Se hele opslaget på jobnet.dk", ["jobnet.dk"]),
    ("Holdene starter i uge 36. Tilmeld dig på vejle.dk/seniormotion", ["vejle.dk/seniormotion"]),
    ("♻️ Læs mere på sonderborgkommune.dk", ["sonderborgkommune.dk"]),
    # schemes and www, trailing punctuation and brackets
    (
        "Se https://www.borger.dk/familie-og-boern?x=1#a).",
        ["https://www.borger.dk/familie-og-boern?x=1#a"],
    ),
    ("http://example.com", ["http://example.com"]),
    ("(se www.Vejle.dk)", ["www.Vejle.dk"]),
    ("www.aula.dk/portal/#/login!", ["www.aula.dk/portal/#/login"]),
    (
        "https://da.wikipedia.org/wiki/Vejle_(by) er god",
        ["https://da.wikipedia.org/wiki/Vejle_(by)"],
    ),
    ("👨‍👩‍👧 https://x.dk👈", ["https://x.dk"]),
    # bare domains
    ("selvbetjening.aabenraa.dk/login.", ["selvbetjening.aabenraa.dk/login"]),
    ("VEJLE.DK", ["VEJLE.DK"]),
    ("Dagens billede på tv2.dk. Flot!", ["tv2.dk"]),
    ("[dr.dk/nyheder](URL)", ["dr.dk/nyheder"]),
    ("t.co/xyz og is.gd/abc", ["t.co/xyz", "is.gd/abc"]),
    ("mitid-login.com", ["mitid-login.com"]),
]

NEGATIVES = [
    # e-mail addresses are not links
    "skriv til jytte.k52@gmail.com eller ring",
    "anne (at) mail.dk",
    "anne snabel-a mail punktum dk",
    "min @vejle.dk mail",
    # sentences without a space, abbreviations, numbers
    "Det var godt.De kom",
    "Vi ses.No problem",
    "f.eks. bl.a. m.m. osv.",
    "Det koster 1.250,00 kr",
    "12.03.2024",
    "kl. 10.30",
    "version 1.2.3",
    "rapport.pdf og billede.jpg",
    "123.dk",
    "xyz.gd",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_positive(text: str, expected: list[str]) -> None:
    found = detect(text)
    assert [text[d.start : d.end] for d in found] == expected
    for d in found:
        assert d.label == "URL"
        assert d.detector == "url"
        assert 0.5 <= d.score <= 1.0


@pytest.mark.parametrize("text", NEGATIVES)
def test_negative(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("https://vejle.dk", 0.99),
        ("www.vejle.dk", 0.99),
        ("vejle.dk/seniormotion", 0.9),
        ("jobnet.dk", 0.8),
    ],
)
def test_scores(text: str, score: float) -> None:
    (d,) = detect(text)
    assert d.score == pytest.approx(score)


@pytest.mark.parametrize(
    ("text", "domain", "shortener", "official", "lookalike"),
    [
        ("bit.ly/offansat-iphone15", "bit.ly", True, False, False),
        ("https://tinyurl.com/abc", "tinyurl.com", True, False, False),
        (
            "hjoerring-kommune-gevinst.net/mitid",
            "hjoerring-kommune-gevinst.net",
            False,
            False,
            True,
        ),
        ("vejle.dk/seniormotion", "vejle.dk", False, True, False),
        ("https://www.borger.dk", "borger.dk", False, True, False),
        ("sonderborgkommune.dk", "sonderborgkommune.dk", False, True, False),
        ("www.aarhuskommune.dk", "aarhuskommune.dk", False, True, False),
        ("selvbetjening.aabenraa.dk", "selvbetjening.aabenraa.dk", False, True, False),
        ("nemid.nu", "nemid.nu", False, True, False),
        ("mitid-login.com", "mitid-login.com", False, False, True),
        ("skat-refusion.net", "skat-refusion.net", False, False, True),
        ("sønderborg-gevinst.dk", "sønderborg-gevinst.dk", False, False, True),
        ("vejle.dk.login-side.com", "vejle.dk.login-side.com", False, False, True),
        ("skatteministeriet.dk", "skatteministeriet.dk", False, False, False),
        ("vejledning.dk", "vejledning.dk", False, False, False),
        ("jobindex.dk", "jobindex.dk", False, False, False),
    ],
)
def test_attributes(
    text: str, domain: str, shortener: bool, official: bool, lookalike: bool
) -> None:
    (d,) = detect(text)
    assert d.attributes["domain"] == domain
    assert d.attributes["shortener"] is shortener
    assert d.attributes["official"] is official
    assert d.attributes["lookalike"] is lookalike


def test_domain_helpers() -> None:
    assert is_official_domain("hjoerring.dk")
    assert not is_official_domain("hjoerring.dk.evil.com")
    assert is_lookalike_domain("hjoerring.dk.evil.com")
    assert not is_lookalike_domain("bit.ly")
