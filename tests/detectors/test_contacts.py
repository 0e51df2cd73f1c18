"""Official contact persons in announcements are public; private people stay private."""

from __future__ import annotations

import pytest

from omtanke.detectors.contacts import mark_official_contacts
from omtanke.engine import Engine
from omtanke.text import Document


@pytest.mark.parametrize(
    ("text", "public"),
    [
        ("Vil du høre mere, så ring til leder Birgitte Lauridsen på 76 81 23 40.", True),
        ("Hør mere hos afdelingsleder Jørgen Thaysen, tlf. 27 90 14 55. Frist 2. maj.", True),
        ("Kontakt sundhedsplejerske Anne Hansen på anne.hansen@vejle.dk eller 20 30 40 50", True),
        ("Spørgsmål kan rettes til Jonas Kirk på 20 30 40 50", True),
        ("Kontakt ledende sundhedsplejerske Birgitte Laursen-Moos på 27 90 41 55.", True),
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


# Official contact information from announcements, service posts and job adverts: the name,
# number, e-mail address or street address is reported but public, and no personal-data
# finding is raised.
@pytest.mark.parametrize(
    ("text", "municipality", "channel", "public_texts"),
    [
        # 1. "hør mere om stillingen/jobbet hos"
        (
            "Hør mere om stillingen hos afdelingsleder Ulla Brink-Madsen på 76 81 42 90. "
            "Ansøgningsfrist 12. januar.",
            "vejle",
            "official_page",
            ["Ulla Brink-Madsen", "76 81 42 90"],
        ),
        (
            "Hør mere om jobbet hos Ulla Brink-Madsen på 76 81 42 90.",
            "vejle",
            "official_page",
            ["Ulla Brink-Madsen", "76 81 42 90"],
        ),
        # 2. "spørgsmål til stillingen:" + title + name
        (
            "Bibliotekerne søger en kulturformidler. Spørgsmål til stillingen: biblioteksleder "
            "Karsten Mørup, 76 81 45 02. Se opslaget på vejle.dk/job",
            "vejle",
            "official_page",
            ["Karsten Mørup", "76 81 45 02"],
        ),
        (
            "Spørgsmål til jobbet: Karsten Mørup, 76 81 45 02.",
            "vejle",
            "official_page",
            ["Karsten Mørup", "76 81 45 02"],
        ),
        # 3. the e-mail after "eller skriv til" belongs to the same contact
        (
            "Ring til dagplejepædagog Sigrid Malmkvist på 76 81 29 53 eller skriv til "
            "sigmal@vejle.dk, hvis du vil høre mere.",
            "vejle",
            "work_profile",
            ["Sigrid Malmkvist", "76 81 29 53", "sigmal@vejle.dk"],
        ),
        (
            "Kontakt sundhedsplejerske Anne Hansen på 20 30 40 50 eller send en mail til "
            "anha@aabenraa.dk",
            "aabenraa",
            "official_page",
            ["Anne Hansen", "20 30 40 50", "anha@aabenraa.dk"],
        ),
        # 4. out of office: the colleague who stands in
        (
            "Jeg er på ferie uge 28-30 🌞 Haster det, så kontakt min kollega Gitte Lassen på "
            "72 33 18 64.",
            "hjoerring",
            "work_profile",
            ["Gitte Lassen", "72 33 18 64"],
        ),
        (
            "Jeg er på kursus. I mit fravær kan du kontakte min stedfortræder Per Holm på "
            "72 33 18 65.",
            "hjoerring",
            "work_profile",
            ["Per Holm", "72 33 18 65"],
        ),
        # 5. an institution's number or e-mail address, no person
        (
            "Brug i stedet Digital Post eller ring på 72 33 41 90 mellem kl 10 og 14.",
            "hjoerring",
            "official_page",
            ["72 33 41 90"],
        ),
        (
            "Når din dagplejer er syg, passes dit barn i gæstedagpleje. Har du spørgsmål, så "
            "kontakt dagplejekontoret på 72 33 46 17 mellem kl 8 og 12.",
            "hjoerring",
            "official_page",
            ["72 33 46 17"],
        ),
        (
            "Kommunens familieafdeling kan hjælpe med rådgivning til familier med børn – ring på "
            "76 81 52 20 på hverdage.",
            "vejle",
            "official_page",
            ["76 81 52 20"],
        ),
        (
            "Medicin afleveres til lærerne. I akutte tilfælde kan I ringe til skolens "
            "lejrskoletelefon 29 60 14 88.",
            "vejle",
            "work_profile",
            ["29 60 14 88"],
        ),
        (
            "Har dit barn brug for en plads? Ring til os på 76 81 00 00.",
            "vejle",
            "official_page",
            ["76 81 00 00"],
        ),
        (
            "Er du i tvivl, så kontakt Borgerservice på tlf. 88 72 40 00.",
            "soenderborg",
            "official_page",
            ["88 72 40 00"],
        ),
        (
            "Har du spørgsmål til din sag? Skriv til os på familie@vejle.dk",
            "vejle",
            "official_page",
            ["familie@vejle.dk"],
        ),
        (
            "Ring til os på 76 81 00 00 eller skriv til familie@vejle.dk",
            "vejle",
            "official_page",
            ["76 81 00 00", "familie@vejle.dk"],
        ),
        # 6. the municipality's own domain right after a contact frame
        (
            "Vil du have en plads til dit barn, så skriv til pladsanvisningen@vejle.dk",
            "vejle",
            "official_page",
            ["pladsanvisningen@vejle.dk"],
        ),
        (
            "Spørgsmål om ordningen kan sendes til dagtilbud@hjoerringkommune.dk",
            "hjoerring",
            "official_page",
            ["dagtilbud@hjoerringkommune.dk"],
        ),
        # 7. an institution's street address
        (
            "Familiehuset flytter 📦 Fra 1. juni finder du Familiehuset på Kirketorvet 22, "
            "7100 Vejle. Åbningstiderne er de samme.",
            "vejle",
            "official_page",
            ["Kirketorvet 22, 7100 Vejle"],
        ),
        (
            "Biblioteket flytter til Kirketorvet 22, 7100 Vejle.",
            "vejle",
            "official_page",
            ["Kirketorvet 22, 7100 Vejle"],
        ),
        (
            "Fra 1. juni flytter Familiehuset til Kirketorvet 22, 7100 Vejle.",
            "vejle",
            "official_page",
            ["Kirketorvet 22, 7100 Vejle"],
        ),
        (
            "Ungdomsklubben holder til på Kirketorvet 22, 7100 Vejle.",
            "vejle",
            "official_page",
            ["Kirketorvet 22, 7100 Vejle"],
        ),
        (
            "Loppemarkedet foregår på Kirketorvet 22, 7100 Vejle.",
            "vejle",
            "official_page",
            ["Kirketorvet 22, 7100 Vejle"],
        ),
        (
            "Til turen mødes vi på Kirketorvet 22, 7100 Vejle kl. 8.",
            "vejle",
            "work_profile",
            ["Kirketorvet 22, 7100 Vejle"],
        ),
        (
            "Familiehusets nye adresse er Kirketorvet 22, 7100 Vejle.",
            "vejle",
            "official_page",
            ["Kirketorvet 22, 7100 Vejle"],
        ),
        # a department named "X og Y"
        (
            "Ring til Børn og Familie på 76 81 44 92 i åbningstiden.",
            "vejle",
            "official_page",
            ["76 81 44 92"],
        ),
        # a shared municipal mailbox, whatever the frame
        (
            "Har du en klage, så send den via Digital Post eller til sikkerpost@hjoerring.dk.",
            "hjoerring",
            "official_page",
            ["sikkerpost@hjoerring.dk"],
        ),
        (
            "Spørgsmål om affald går til borgerservice@vejle.dk – vi svarer inden for 5 dage.",
            "vejle",
            "official_page",
            ["borgerservice@vejle.dk"],
        ),
    ],
)
def test_official_contact_information_is_public(
    engine: Engine, text: str, municipality: str, channel: str, public_texts: list[str]
) -> None:
    report = engine.check(text, municipality=municipality, channel=channel)
    public = {e.text: e.public for e in report.entities}
    for needle in public_texts:
        assert public.get(needle) is True, (needle, public)
    assert not any(f.category == "personal_data" for f in report.findings), report.findings


# Private persons, the author's own number and homes stay personal data.
@pytest.mark.parametrize(
    ("text", "private_texts"),
    [
        ("Ring til Mikkel på 22 33 44 55, han har det svært", ["Mikkel", "22 33 44 55"]),
        ("Ring til Mikkel på 22 33 44 55 mellem kl 10 og 14", ["Mikkel", "22 33 44 55"]),
        ("Ring til mig på 22 33 44 55, hvis du vil høre mere", ["22 33 44 55"]),
        ("Ring på 22 33 44 55 hvis noget er uklart", ["22 33 44 55"]),
        ("Min private mobil er 22 33 44 55", ["22 33 44 55"]),
        ("Mit nummer er 22 33 44 55, ring bare", ["22 33 44 55"]),
        ("Skriv til mig på lise.kjaer@vejle.dk", ["lise.kjaer@vejle.dk"]),
        ("Skriv til Sofie på sofie123@gmail.com", ["Sofie", "sofie123@gmail.com"]),
        ("Skriv til Sofie på sofie@vejle.dk", ["Sofie", "sofie@vejle.dk"]),
        ("Send en mail til sofie123@gmail.com", ["sofie123@gmail.com"]),
        (
            "Ring til min kollega Mikkel på 22 33 44 55, han sælger sin bil",
            ["Mikkel", "22 33 44 55"],
        ),
        (
            "Ring til leder Birgitte Lauridsen på 22 41 87 63, det er hendes private nummer",
            ["Birgitte Lauridsen", "22 41 87 63"],
        ),
        (
            "Ring til vores køkkenmedarbejder Ditte på hendes private nummer 22 41 87 63",
            ["Ditte", "22 41 87 63"],
        ),
        (
            "Ved sygdom, så ring til Gunvor på 20 44 18 93 – det er hendes private nummer",
            ["Gunvor", "20 44 18 93"],
        ),
        ("Ring til os på 76 81 00 00 eller skriv til mig på lise@gmail.com", ["lise@gmail.com"]),
        ("Ring til Sofie på 76 81 00 00 eller skriv til sofie@vejle.dk", ["sofie@vejle.dk"]),
        # two people are no department; a person's municipal mailbox is theirs
        ("Ring til Mette og Lars på 76 81 44 92 i åbningstiden", ["Mette", "76 81 44 92"]),
        ("Borgeren kan træffes via mette.hansen@vejle.dk", ["mette.hansen@vejle.dk"]),
        ("Hendes sagsbehandler er thomas.husted@vejle.dk", ["thomas.husted@vejle.dk"]),
        ("Mikkel bor på Kirketorvet 22, 7100 Vejle.", ["Mikkel", "Kirketorvet 22, 7100 Vejle"]),
        ("Sofie flytter til Kirketorvet 22, 7100 Vejle.", ["Kirketorvet 22, 7100 Vejle"]),
        ("Vi flytter til Kirketorvet 22, 7100 Vejle.", ["Kirketorvet 22, 7100 Vejle"]),
        ("Mor flytter til Kirketorvet 22, 7100 Vejle.", ["Kirketorvet 22, 7100 Vejle"]),
        ("Vores nye adresse er Kirketorvet 22, 7100 Vejle.", ["Kirketorvet 22, 7100 Vejle"]),
        ("Her er min nye adresse: Kongevej 51, 6400 Sønderborg.", ["Kongevej 51, 6400 Sønderborg"]),
        ("Vi mødes hos mig på Kirketorvet 22, 7100 Vejle.", ["Kirketorvet 22, 7100 Vejle"]),
        (
            "Navn: Mikael Holt, CPR: 070883-1457, adresse: Grundtvigsvej 12, 7100 Vejle.",
            ["Mikael Holt", "Grundtvigsvej 12, 7100 Vejle"],
        ),
    ],
)
def test_private_contact_information_stays_personal(
    engine: Engine, text: str, private_texts: list[str]
) -> None:
    report = engine.check(text, municipality="vejle", channel="official_page")
    public = {e.text: e.public for e in report.entities}
    for needle in private_texts:
        assert public.get(needle) is False, (needle, public)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        # a citizen's message: "os" is the citizen's family, an address is a home
        ("Ring til os på 22 33 44 55 mellem kl 10 og 14, vi har brug for hjælp", "22 33 44 55"),
        (
            "Hej. Vi er flyttet, find os på Kongevej 51, 6400 Sønderborg.",
            "Kongevej 51, 6400 Sønderborg",
        ),
    ],
)
def test_citizen_messages_keep_their_contact_information(
    engine: Engine, text: str, needle: str
) -> None:
    report = engine.triage(text, municipality="vejle", channel="official_page")
    public = {e.text: e.public for e in report.entities}
    assert public.get(needle) is False, public


def test_no_contact_detections_no_work() -> None:
    doc = Document("Tak for en dejlig dag i børnehaven 🌞")
    assert mark_official_contacts(doc, []) == []
