"""Table tests for the e-mail detector."""

from __future__ import annotations

import pytest

from omtanke.detectors.email import EmailDetector
from omtanke.model import Detection
from omtanke.text import Document

DETECTOR = EmailDetector()


def detect(text: str) -> list[Detection]:
    return DETECTOR.detect(Document(text))


def spans(text: str) -> list[str]:
    return [text[d.start : d.end] for d in detect(text)]


PLAIN = [
    # dev.jsonl
    (
        "Kan vi flytte den? Mvh Jesper Holm, tlf 30 45 66 12 / jesperholm88@gmail.com",
        ["jesperholm88@gmail.com"],
    ),
    (
        "Kan nogen skrive til mig på jytte.k52@gmail.com eller ringe på 61229017",
        ["jytte.k52@gmail.com"],
    ),
    ("skrive til min private mail mjuul74@hotmail.com, så svarer jeg 😉", ["mjuul74@hotmail.com"]),
    ("Jeg forlanger svar nu! Mvh Nadia Rahimi, nadia.r@live.dk", ["nadia.r@live.dk"]),
    ("Svar mig på kimbo_1977@hotmail.com. Mvh Kim Bo Andersen", ["kimbo_1977@hotmail.com"]),
    # Danish letters, plus, dash; trailing punctuation excluded
    ("skriv til søren.ærø+test@mail.dk.", ["søren.ærø+test@mail.dk"]),
    ("mail: anne-marie_k@post.tele.dk!", ["anne-marie_k@post.tele.dk"]),
    ("(Lars.Hansen@Aabenraa.DK)", ["Lars.Hansen@Aabenraa.DK"]),
    ("Skriv på a@b.dk.Hej igen", ["a@b.dk"]),
    ("👨‍👩‍👧🙈 x@y.com, z@w.org", ["x@y.com", "z@w.org"]),
]

OBFUSCATED = [
    ("skriv til anne (at) mail.dk", ["anne (at) mail.dk"]),
    ("anne[at]mail.dk", ["anne[at]mail.dk"]),
    ("anne{at}mail.dk", ["anne{at}mail.dk"]),
    ("ANNE (AT) Mail.DK", ["ANNE (AT) Mail.DK"]),
    ("anne snabel-a mail punktum dk og så videre", ["anne snabel-a mail punktum dk"]),
    ("anne snabel a mail.dk", ["anne snabel a mail.dk"]),
    ("anne.k (at) mail (dot) dk", ["anne.k (at) mail (dot) dk"]),
    ("🙂 jens [at] gmail [punktum] com", ["jens [at] gmail [punktum] com"]),
]

NEGATIVES = [
    "Har lige oprettet en Insta til mig selv med min @vejle.dk mail 🙌",
    "følg @anne_k på Insta",
    "vi ses kl. 10 at mødes",
    "anne at mail dot dk",
    "anne (a) mail.dk",
    "user@localhost",
    "hej@",
    "@",
    "Tryk på snabel-a tasten",
    "Se vejle.dk/seniormotion",
]


@pytest.mark.parametrize(("text", "expected"), PLAIN)
def test_plain(text: str, expected: list[str]) -> None:
    found = detect(text)
    assert [text[d.start : d.end] for d in found] == expected
    for d in found:
        assert d.label == "EMAIL"
        assert d.detector == "email"
        assert d.score >= 0.95
        assert d.attributes["obfuscated"] is False


@pytest.mark.parametrize(("text", "expected"), OBFUSCATED)
def test_obfuscated(text: str, expected: list[str]) -> None:
    found = detect(text)
    assert [text[d.start : d.end] for d in found] == expected
    for d in found:
        assert 0.8 <= d.score < 0.95
        assert d.attributes["obfuscated"] is True


@pytest.mark.parametrize("text", NEGATIVES)
def test_negative(text: str) -> None:
    assert spans(text) == []


def test_domain_attribute() -> None:
    (d,) = detect("anne snabel-a mail punktum dk")
    assert d.attributes["domain"] == "mail.dk"
    (d,) = detect("Lars@Aabenraa.DK")
    assert d.attributes["domain"] == "aabenraa.dk"
