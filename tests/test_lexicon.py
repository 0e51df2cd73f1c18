"""Danish morphology in lexicon matching: stems, compounds, typos, wildcards, phrases."""

from __future__ import annotations

import pytest

from omtanke.lexicon import TermSet
from omtanke.text import Document

TERMS = TermSet(
    [
        "diagnose",
        "anbringelse",
        "underretning",
        "depression",
        "demens",
        "sag",
        "på arbejdet",
        "*mobb*",
        "kode*",
    ],
    typos=True,
)


def found(text: str) -> list[str]:
    doc = Document(text)
    return [doc.text[s:e] for s, e, _ in TERMS.find(doc)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hun fik diagnosen i går", ["diagnosen"]),
        ("autismediagnosen kom endelig", ["autismediagnosen"]),
        ("anbringelsessagen er lukket", ["anbringelsessagen"]),
        ("Vi sendte underretningen", ["underretningen"]),
        ("Hun har en depresion", ["depresion"]),
        ("demensramte borgere", ["demensramte"]),
        ("Sagen er afgjort", ["Sagen"]),
        ("Travlt på arbejdet i dag", ["på arbejdet"]),
        ("Der foregår mobberi i klassen", ["mobberi"]),
        ("Koden til wifi er skiftet", ["Koden"]),
    ],
)
def test_matches(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Demokrati er vigtigt",
        "forsagen",
        "deadline i morgen",
        "Vi arbejder på det",
        "sagt og gjort",
        # the term as the first part of a unit's, a role's or a season's name
        "Ny leder på demensafsnittet",
        "Ring til demenskoordinatoren",
        "Velkommen til demens-teamet",
        "Nu starter depressionsforeningens café",
        "Det nye underretningssystem er endelig oppe",
    ],
)
def test_look_alikes(text: str) -> None:
    assert found(text) == []


def test_exact_mode_has_no_morphology() -> None:
    exact = TermSet(["idiot"], mode="exact")
    assert exact.find(Document("idioten")) == []
    assert [t for _, _, t in exact.find(Document("din idiot"))] == ["idiot"]


def test_typos_are_opt_in() -> None:
    plain = TermSet(["depression"])
    assert plain.find(Document("depresion")) == []


def test_compound_heads_match_the_written_word_not_its_stem() -> None:
    # the stem of "leder" is "led": "cyklede", "billede" and "forbillede" end with that too
    ts = TermSet(["*leder", "*sag"])
    found = [t for _, _, t in ts.find(Document("Afdelingslederen og teamlederne var der"))]
    assert found == ["*leder", "*leder"]
    assert not ts.find(Document("Jeg cyklede forbi et billede af mit forbillede"))
    assert [t for *_, t in ts.find(Document("Børnesagerne og klagesagen"))] == ["*sag", "*sag"]
    assert not ts.find(Document("Hun sagde det"))
