from __future__ import annotations

import pytest

from omtanke.detectors.sensitive import SensitiveDetector
from omtanke.text import Document

DET = SensitiveDetector()


def labels(text: str) -> list[tuple[str, str]]:
    return [(d.label, text[d.start : d.end]) for d in DET.detect(Document(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Den dreng med ADHD smadrede en stol", [("HEALTH", "ADHD")]),
        ("Hun har haft det svært efter sin blodprop", [("HEALTH", "blodprop")]),
        ("ham i nr. 7 med demens", [("HEALTH", "demens")]),
        ("hendes autismediagnose", [("HEALTH", "autismediagnose")]),
        ("Jørgen efter sin hofteoperation", [("HEALTH", "hofteoperation")]),
        ("Han kommer fra Polen", [("ETHNICITY", "kommer fra Polen")]),
        ("Hun går med tørklæde", [("RELIGION", "tørklæde")]),
        ("de to homoforældre", [("SEXUAL_ORIENTATION", "homoforældre")]),
        ("far i fængsel", [("CRIMINAL", "fængsel")]),
        ("han har fiflet med sine kørselsbilag", [("CRIMINAL", "fiflet med")]),
    ],
)
def test_finds(text: str, expected: list[tuple[str, str]]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Vi skal transportere stole til hallen",
        "Sort kaffe og rundstykker i personalestuen",
        "Tur til Roma i efterårsferien",
        "Gilles kommer også på lørdag",
        "Oral eksamen i dansk på fredag",
        "Demokrati kræver deltagelse",
        "Hele stuen sang fødselsdagssang med fødselsdagskronen på",
    ],
)
def test_look_alikes(text: str) -> None:
    assert labels(text) == []
