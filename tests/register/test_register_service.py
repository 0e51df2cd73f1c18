"""The register's Python API, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from omtanke.register import (
    TRANSITIONS,
    ComplaintRecord,
    EscalationRecord,
    InvalidTransitionError,
    Register,
    RegisterFilter,
    RegisterInputError,
    UnknownReferenceError,
    add_working_days,
)

CPH = ZoneInfo("Europe/Copenhagen")


def _complaint(reg: Register, **kw: object) -> ComplaintRecord:
    args: dict[str, object] = {
        "municipality": "hjoerring",
        "masked_text": "Jeg klager over sagsbehandlingen af [navn]s sag.",
        "text_hash": reg.fingerprint("original"),
        "channel": "official_page",
        "categories": ["complaint"],
        "actor": "mette",
    }
    args.update(kw)
    return reg.register_complaint(**args)  # type: ignore[arg-type]


def test_register_complaint_gets_reference_deadline_and_status(register: Register) -> None:
    received = datetime(2026, 3, 2, 9, 30, tzinfo=CPH)  # a Monday
    rec = _complaint(
        register,
        received_at=received,
        source_url="https://www.facebook.com/hjoerringkommune/posts/1?comment_id=2",
        categories=["complaint", "personoplysninger"],
    )
    assert rec.reference == "HJO-2026-00001"
    assert rec.municipality == "hjoerring"
    assert rec.status == "modtaget"
    assert rec.assignee is None
    assert rec.categories == ("complaint", "personal_data")
    assert rec.received_at == received
    assert rec.received_at.tzinfo is not None
    assert rec.deadline == date(2026, 3, 16)  # ten working days later
    assert rec.source_url and rec.source_url.endswith("comment_id=2")
    assert rec.duplicate is False
    assert register.get(rec.reference) == rec


def test_reference_numbers_count_per_municipality_year_and_series(register: Register) -> None:
    refs = [_complaint(register).reference for _ in range(3)]
    year = datetime.now(CPH).year
    assert refs == [f"HJO-{year}-{n:05d}" for n in (1, 2, 3)]
    assert _complaint(register, municipality="Sønderborg").reference == f"SON-{year}-00001"
    assert _complaint(register, municipality="AAB").reference == f"AAB-{year}-00001"
    assert _complaint(register, municipality="vejle").reference == f"VEJ-{year}-00001"
    last_year = datetime(year - 1, 6, 1, 12, tzinfo=CPH)
    assert _complaint(register, received_at=last_year).reference == f"HJO-{year - 1}-00001"
    esc = register.register_escalation(
        municipality="hjoerring",
        kind="harassment",
        masked_text="Du er en idiot, [navn]",
        evidence_hash=register.fingerprint("x"),
        channel="official_page",
        actor="mette",
    )
    assert esc.reference == f"HJO-{year}-E00001"
    assert _complaint(register).reference == f"HJO-{year}-00004"


def test_year_of_reference_is_danish_local_time(register: Register) -> None:
    # 23:30 UTC on New Year's Eve is already 00:30 on 1 January in Copenhagen.
    rec = _complaint(register, received_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    assert rec.reference == "HJO-2026-00001"


def test_default_deadline_skips_weekends_and_holidays(register: Register) -> None:
    # Received Wednesday before Easter 2026 (1 April): skærtorsdag, langfredag and
    # 2. påskedag are days off, so the tenth working day is Monday 20 April.
    rec = _complaint(register, received_at=datetime(2026, 4, 1, 10, tzinfo=CPH))
    assert rec.deadline == date(2026, 4, 20)
    explicit = _complaint(
        register, received_at=datetime(2026, 4, 1, 10, tzinfo=CPH), deadline=date(2026, 5, 1)
    )
    assert explicit.deadline == date(2026, 5, 1)


def test_deadline_is_configurable(db_url: str) -> None:
    with Register(db_url, deadline_working_days=3) as reg:
        rec = _complaint(reg, received_at=datetime(2026, 3, 6, 16, tzinfo=CPH))  # Friday
        assert rec.deadline == date(2026, 3, 11)
        assert rec.deadline == add_working_days(date(2026, 3, 6), 3)


def test_status_transitions_and_audit_trail(register: Register) -> None:
    rec = _complaint(register)
    r1 = register.set_status(rec.reference, "under_behandling", actor="bo", note="ringet op")
    assert r1.status == "under behandling"
    r2 = register.set_status(rec.reference, "besvaret", actor="bo")
    assert r2.status == "besvaret"
    r3 = register.set_status(rec.reference, "lukket", actor="karen")
    assert r3.status == "lukket"
    trail = register.audit_trail(rec.reference)
    assert [(a.action, a.old_value, a.new_value, a.actor) for a in trail] == [
        ("oprettet", None, "modtaget", "mette"),
        ("status", "modtaget", "under behandling", "bo"),
        ("status", "under behandling", "besvaret", "bo"),
        ("status", "besvaret", "lukket", "karen"),
    ]
    assert trail[1].note == "ringet op"
    assert all(a.reference == rec.reference for a in trail)
    assert [a.at for a in trail] == sorted(a.at for a in trail)
    assert all(a.at.tzinfo is not None for a in trail)


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        ([], "lukket"),  # a complaint cannot be closed without an answer (cannot be rejected)
        ([], "modtaget"),  # already
        (["under behandling"], "modtaget"),
        (["besvaret", "lukket"], "under behandling"),  # closed is final
        (["videresendt", "lukket"], "besvaret"),
    ],
)
def test_invalid_transitions_raise_danish_errors(
    register: Register, path: list[str], bad: str
) -> None:
    rec = _complaint(register)
    for status in path:
        register.set_status(rec.reference, status, actor="bo")
    before = register.audit_trail(rec.reference)
    with pytest.raises(InvalidTransitionError) as info:
        register.set_status(rec.reference, bad, actor="bo")
    message = str(info.value)
    assert rec.reference in message
    assert "kan ikke" in message or "har allerede" in message
    assert register.audit_trail(rec.reference) == before


def test_transition_table_is_what_docs_say() -> None:
    assert TRANSITIONS["modtaget"] == ("under behandling", "besvaret", "videresendt")
    assert TRANSITIONS["lukket"] == ()
    assert "lukket" not in TRANSITIONS["modtaget"]
    assert "lukket" not in TRANSITIONS["under behandling"]


def test_unknown_status_and_reference(register: Register) -> None:
    rec = _complaint(register)
    with pytest.raises(RegisterInputError, match="Ukendt status"):
        register.set_status(rec.reference, "afvist", actor="bo")
    with pytest.raises(UnknownReferenceError, match="HJO-2026-99999"):
        register.get("hjo-2026-99999")
    with pytest.raises(RegisterInputError, match="ikke et referencenummer"):
        register.get("42")
    with pytest.raises(UnknownReferenceError):
        register.set_status("VEJ-2026-00077", "besvaret", actor="bo")


def test_assign_and_unassign_are_audited(register: Register) -> None:
    rec = _complaint(register)
    assert register.assign(rec.reference, "Karen Madsen", actor="bo").assignee == "Karen Madsen"
    # Assigning the same person again changes nothing and writes nothing.
    register.assign(rec.reference, "Karen Madsen", actor="bo")
    assert register.assign(rec.reference, None, actor="bo").assignee is None
    trail = [(a.action, a.old_value, a.new_value) for a in register.audit_trail(rec.reference)]
    assert trail == [
        ("oprettet", None, "modtaget"),
        ("tildelt", None, "Karen Madsen"),
        ("tildelt", "Karen Madsen", None),
    ]
    with pytest.raises(RegisterInputError):
        register.assign(rec.reference, "x" * 500, actor="bo")


def test_list_filters(register: Register) -> None:
    a = _complaint(
        register, received_at=datetime(2026, 1, 5, 10, tzinfo=CPH), categories=["complaint"]
    )
    b = _complaint(
        register,
        received_at=datetime(2026, 2, 10, 10, tzinfo=CPH),
        categories=["complaint", "personal_data"],
        municipality="vejle",
    )
    c = _complaint(register, received_at=datetime(2026, 2, 28, 23, 59, tzinfo=CPH))
    register.set_status(b.reference, "under behandling", actor="bo")
    register.assign(c.reference, "Karen", actor="bo")

    def refs(**kw: object) -> list[str]:
        return [r.reference for r in register.list_complaints(RegisterFilter(**kw))]  # type: ignore[arg-type]

    assert refs() == [a.reference, b.reference, c.reference]
    assert refs(status="modtaget") == [a.reference, c.reference]
    assert refs(status="under behandling") == [b.reference]
    assert refs(category="personal_data") == [b.reference]
    assert refs(category="personoplysninger") == [b.reference]
    assert refs(category="klage") == [a.reference, b.reference, c.reference]
    assert refs(municipality="Vejle") == [b.reference]
    assert refs(received_from=date(2026, 2, 1)) == [b.reference, c.reference]
    assert refs(received_to=date(2026, 2, 28)) == [a.reference, b.reference, c.reference]
    assert refs(received_to=date(2026, 2, 27)) == [a.reference, b.reference]
    assert refs(received_from=date(2026, 2, 1), received_to=date(2026, 2, 10)) == [b.reference]
    assert refs(assignee="Karen") == [c.reference]
    assert refs(limit=2) == [a.reference, b.reference]
    with pytest.raises(RegisterInputError, match="Ukendt kommune"):
        refs(municipality="odense")
    with pytest.raises(RegisterInputError, match="Fra-datoen"):
        refs(received_from=date(2026, 3, 1), received_to=date(2026, 2, 1))


def test_overdue_filter(register: Register) -> None:
    today = date(2026, 3, 20)
    old = _complaint(register, received_at=datetime(2026, 3, 2, 9, tzinfo=CPH))  # due 16 March
    due_today = _complaint(register, received_at=datetime(2026, 3, 6, 9, tzinfo=CPH))  # 20 March
    answered = _complaint(register, received_at=datetime(2026, 3, 2, 9, tzinfo=CPH))
    working = _complaint(register, received_at=datetime(2026, 3, 3, 9, tzinfo=CPH))
    register.set_status(answered.reference, "besvaret", actor="bo")
    register.set_status(working.reference, "under behandling", actor="bo")
    overdue = register.list_complaints(RegisterFilter(overdue=True, today=today))
    assert [r.reference for r in overdue] == [old.reference, working.reference]
    assert old.is_overdue(today) and not due_today.is_overdue(today)
    assert not register.get_complaint(answered.reference).is_overdue(today)


def test_escalations(register: Register) -> None:
    text = "Jeg ved hvor du bor, [navn]. Pas på."
    esc = register.register_escalation(
        municipality="aabenraa",
        kind="trussel",
        masked_text=text,
        evidence_hash=register.fingerprint("Jeg ved hvor du bor, Mette. Pas på."),
        channel="official_page",
        source_url="https://facebook.com/aabenraa/posts/9",
        categories=["harassment"],
        actor="leder",
    )
    assert isinstance(esc, EscalationRecord)
    assert esc.kind == "threat"
    assert esc.categories == ("harassment", "threat")
    assert esc.status == "modtaget"
    assert register.matches("Jeg ved hvor du bor, Mette. Pas på.", esc.evidence_hash)
    child = register.register_escalation(
        municipality="vejle",
        kind="child_welfare",
        masked_text="[navn] kommer tit sulten i børnehave",
        evidence_hash=register.fingerprint("y"),
        channel="work_profile",
    )
    assert register.get_escalation(child.reference).kind == "child_welfare"
    assert [e.reference for e in register.list_escalations()] == [esc.reference, child.reference]
    assert [e.reference for e in register.list_escalations(RegisterFilter(kind="trussel"))] == [
        esc.reference
    ]
    assert [
        e.reference for e in register.list_escalations(RegisterFilter(category="harassment"))
    ] == [esc.reference]
    register.set_status(esc.reference, "videresendt", actor="leder", note="sendt til chefen")
    register.assign(esc.reference, "Afdelingsleder", actor="leder")
    actions = [a.action for a in register.audit_trail(esc.reference)]
    assert actions == ["oprettet", "status", "tildelt"]
    assert register.list_complaints() == []
    with pytest.raises(RegisterInputError, match="Ukendt type"):
        register.register_escalation(
            municipality="vejle",
            kind="complaint",
            masked_text="x",
            evidence_hash="a" * 64,
            channel="x",
        )
    with pytest.raises(UnknownReferenceError):
        register.get_complaint(esc.reference)


def test_same_message_twice_is_not_registered_twice(register: Register) -> None:
    link = "https://facebook.com/hjoerring/posts/1?comment_id=7"
    first = _complaint(register, source_url=link)
    again = _complaint(register, source_url=link)
    assert again.duplicate is True
    assert again.reference == first.reference
    other = _complaint(register, source_url=link, text_hash=register.fingerprint("andet"))
    assert other.reference != first.reference
    # The counter is not advanced by the duplicate: numbers stay gapless.
    assert other.reference.endswith("-00002")
    assert register.counts()["audit_events"] == 2


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("municipality", "odense", "Ukendt kommune"),
        ("masked_text", "   ", "tom"),
        ("channel", "", "Kanalen mangler"),
        ("channel", "a\nb", "kontroltegn"),
        ("categories", ["not a category!"], "Ugyldig kategori"),
        ("received_at", datetime(2026, 1, 1, 12), "tidszone"),
        ("received_at", datetime.now(UTC) + timedelta(days=2), "fremtiden"),
        ("source_url", "https://x.dk/a b", "Kildelinket"),
        ("deadline", date(2000, 1, 1), "før modtagelsesdagen"),
        ("actor", "x" * 300, "for lang"),
    ],
)
def test_bad_input_is_refused_with_danish_messages(
    register: Register, field: str, value: object, match: str
) -> None:
    with pytest.raises(RegisterInputError, match=match):
        _complaint(register, **{field: value})
    assert register.counts()["complaints"] == 0


def test_records_serialise_to_json_friendly_dicts(register: Register) -> None:
    rec = _complaint(register)
    data = rec.to_dict()
    assert data["reference"] == rec.reference
    assert data["categories"] == ["complaint"]
    assert data["overdue"] is False
    assert isinstance(data["received_at"], str) and isinstance(data["deadline"], str)
    trail = register.audit_trail(rec.reference)
    assert trail[0].to_dict()["action"] == "oprettet"
