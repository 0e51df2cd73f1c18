"""Official contact persons in announcements are public; private people stay private."""

from __future__ import annotations

import pytest

from omtanke.engine import Engine


@pytest.mark.parametrize(
    ("text", "public"),
    [
        ("Vil du høre mere, så ring til leder Birgitte Lauridsen på 76 81 23 40.", True),
        ("Hør mere hos afdelingsleder Jørgen Thaysen, tlf. 27 90 14 55. Frist 2. maj.", True),
        ("Kontakt sundhedsplejerske Anne Hansen på anne.hansen@vejle.dk eller 20 30 40 50", True),
        ("Spørgsmål kan rettes til Jonas Kirk på 20 30 40 50", True),
        ("Ring til Mikkel på 40 12 88 93, han har det svært", False),
        ("Skriv til Sofie på 40 12 88 93 hvis du vil med", False),
        ("Jonas Kirk har 20 30 40 50, ring hvis du vil høre mere", False),
    ],
)
def test_official_contact(engine: Engine, text: str, public: bool) -> None:
    report = engine.check(text, municipality="vejle", channel="official_page")
    people = [e for e in report.entities if e.label in ("PERSON", "PHONE", "EMAIL")]
    assert people, "the name and number are still reported as entities"
    assert all(e.public is public for e in people), [(e.text, e.public) for e in people]
    flagged = any(f.category == "personal_data" for f in report.findings)
    assert flagged is not public


def test_a_number_far_from_the_contact_is_not_theirs(engine: Engine) -> None:
    text = (
        "Hør mere hos afdelingsleder Jørgen Thaysen. I øvrigt har min nabo Per nummeret "
        "40 12 88 93 og han er syg"
    )
    report = engine.check(text, municipality="vejle", channel="official_page")
    phone = next(e for e in report.entities if e.label == "PHONE")
    assert phone.public is False
