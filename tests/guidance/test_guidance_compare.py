"""`Guide.compare`: what each municipality says on a topic, and where it is silent.

The table below was written by reading the four guidelines (``../shared/seeds/``), before
the retrieval was built: for each topic and municipality either ``None`` (the guideline
says nothing about it) or snippets of which at least one must be quoted.
"""

from __future__ import annotations

import json

import pytest

from omtanke.engine import Engine
from omtanke.errors import QuestionError
from omtanke.guidance import Guide
from omtanke.text import normalise_ws

SILENT = None

EXPECTED: dict[str, dict[str, tuple[str, ...] | None]] = {
    "venskaber": {
        "aabenraa": ("Online- venskaber med borgere eller pårørende",),
        "soenderborg": ("pædagoger er venner med børnenes forældre",),
        "vejle": ("der er 'venner' med et barns forældre", "Vi har en professionel relation"),
        "hjoerring": SILENT,
    },
    "arbejdstid": {
        "aabenraa": SILENT,
        "soenderborg": ("anvende sociale medier i arbejdstiden eller ej",),
        "vejle": SILENT,
        "hjoerring": ("Det er tilladt at anvende sociale medier privat i arbejdstiden",),
    },
    "billeder": {
        "aabenraa": ("Dette gælder også dine billeder",),
        "soenderborg": ("Lad være med at lægge fotos",),
        "vejle": ("Læg ikke billeder eller oplysninger ud om andre",),
        "hjoerring": ("Billede- og videomateriale indeholdende identificerbare personer",),
    },
    "ytringsfrihed": {
        "aabenraa": ("samme ret til at ytre dig offentligt",),
        "soenderborg": SILENT,
        "vejle": SILENT,
        "hjoerring": ("Vi har som en selvfølge ytringsfrihed",),
    },
    "kodeord": {
        "aabenraa": SILENT,
        "soenderborg": SILENT,
        "vejle": ("Skift dit kodeord ofte",),
        "hjoerring": ("password herfra ikke genbruges",),
    },
    "klager": {
        "aabenraa": SILENT,
        "soenderborg": SILENT,
        "vejle": SILENT,
        "hjoerring": ("Klager afgivet af borgere",),
    },
    "chikane": {
        "aabenraa": ("Skulle du opleve digital chikane",),
        "soenderborg": SILENT,
        "vejle": SILENT,
        "hjoerring": SILENT,
    },
    "tavshedspligt": {
        "aabenraa": ("bryde din tavshedspligt",),
        "soenderborg": ("konflikt med din tavshedspligt",),
        "vejle": ("har tavshedspligt",),
        "hjoerring": ("Tavshedspligten gælder her",),
    },
    "underretning": {
        "aabenraa": SILENT,
        "soenderborg": SILENT,
        "vejle": ("udvidet underretningspligt",),
        "hjoerring": SILENT,
    },
    "indstillinger": {
        "aabenraa": ("hvilke oplysninger på din profil, der kan ses af hvem",),
        "soenderborg": ("begrænse adgangen til din profil",),
        "vejle": ("Opret vennelister",),
        "hjoerring": SILENT,
    },
    "mail": {
        "aabenraa": SILENT,
        "soenderborg": SILENT,
        "vejle": ("opret en særskilt mailadresse",),
        "hjoerring": ("arbejdsprofil med din arbejds-mail",),
    },
    "sige-nej": {
        "aabenraa": SILENT,
        "soenderborg": ("takke nej til et venskab", "ikke tvinges til at oprette en profil"),
        "vejle": ("Det er legalt at sige nej",),
        "hjoerring": SILENT,
    },
    "arbejdsliv-privatliv": {
        "aabenraa": ("holde privat og arbejdsliv adskilt", "udviskes grænsen"),
        "soenderborg": ("Grænsen mellem privatliv og arbejdsliv er blevet flydende",),
        "vejle": ("adskiller sit arbejdsliv og privat liv",),
        "hjoerring": ("skelnes mellem privat og arbejdsmæssig anvendelse",),
    },
    "tone": {
        "aabenraa": ("hold altid en god tone",),
        "soenderborg": ("Der er diskriminerende", "god dømmekraft", "ærekrænkende"),
        "vejle": ("hav den samme respekt", "skriv med omtanke"),
        "hjoerring": SILENT,
    },
    "arbejdsprofil": {
        "aabenraa": SILENT,
        "soenderborg": ("administrere og vedligeholde din institution/center/projekts side",),
        "vejle": SILENT,
        "hjoerring": (
            "om du bør anvende en arbejds- eller din personlige profil",
            "Opretter du en arbejdsprofil",
        ),
    },
}


@pytest.mark.parametrize("topic", sorted(EXPECTED))
def test_compare_agrees_with_a_reading_of_the_guidelines(guide: Guide, topic: str) -> None:
    comparison = guide.compare(topic)
    assert comparison.topic.id == topic
    got = {m.municipality: m for m in comparison.municipalities}
    assert set(got) == set(EXPECTED[topic])
    for municipality, snippets in EXPECTED[topic].items():
        position = got[municipality]
        quotes = [normalise_ws(p.quote) for p in position.passages]
        if snippets is SILENT:
            assert position.silent, (municipality, quotes)
        else:
            assert not position.silent, municipality
            assert any(normalise_ws(s) in q for s in snippets for q in quotes), (
                municipality,
                quotes,
            )


def test_every_topic_has_a_verified_reading(guide: Guide) -> None:
    assert {t.id for t in guide.topics()} == set(EXPECTED)
    for t in guide.topics():
        assert t.label and t.label[0].isupper()


def test_compare_quotes_verbatim_and_json_shape(guide: Guide, engine: Engine) -> None:
    data = guide.compare("billeder").to_dict()
    json.dumps(data)
    assert set(data) == {"topic", "municipalities", "law"}
    assert data["topic"]["id"] == "billeder" and data["topic"]["label"] == "Billeder og video"
    for m in data["municipalities"]:
        assert set(m) == {"municipality", "name", "silent", "passages"}
        assert m["silent"] is (not m["passages"])
        source = engine.pack(m["municipality"]).source_text
        for p in m["passages"]:
            assert source[p["start"] : p["end"]] == p["quote"]
    silent = guide.compare("klager").to_dict()
    assert [m["silent"] for m in silent["municipalities"]].count(True) == 3


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("fotos", "billeder"),
        ("Kodeord og password", "kodeord"),
        ("password", "kodeord"),
        ("  Tavshedspligt ", "tavshedspligt"),
        ("FB-venner", "venskaber"),
        ("digital chikane", "chikane"),
    ],
)
def test_topic_by_id_label_alias_or_words(guide: Guide, text: str, topic: str) -> None:
    assert guide.compare(text).topic.id == topic


def test_unknown_topic_is_a_danish_error(guide: Guide) -> None:
    with pytest.raises(QuestionError) as info:
        guide.compare("pension og løn")
    assert info.value.reason == "unknown_topic"
    assert "Ukendt emne" in str(info.value) and "kodeord" in str(info.value)
    with pytest.raises(QuestionError) as empty:
        guide.compare("   ")
    assert empty.value.reason == "empty"
