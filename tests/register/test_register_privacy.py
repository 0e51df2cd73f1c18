"""Privacy of the register: masking, the salted fingerprint, and refusing unmasked text."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from omtanke.register import (
    Register,
    RegisterInputError,
    UnmaskedDataError,
    find_unmasked,
    fingerprint,
    mask,
    placeholder,
)

RAW = "Jeg hedder Mette Hansen, cpr 010190-1234, mail mette@example.dk. Min søn er syg."


def test_mask_replaces_spans_with_danish_placeholders() -> None:
    spans = [(11, 23, "PERSON"), (29, 40, "CPR"), (47, 63, "EMAIL")]
    assert RAW[11:23] == "Mette Hansen" and RAW[29:40] == "010190-1234"
    assert RAW[47:63] == "mette@example.dk"
    masked = mask(RAW, spans)
    assert masked == ("Jeg hedder [navn], cpr [cpr-nummer], mail [e-mail]. Min søn er syg.")
    assert find_unmasked(masked) is None


@dataclass
class _Entity:
    start: int
    end: int
    label: str


def test_mask_accepts_entity_objects_and_merges_overlaps() -> None:
    text = "Ring til 40 12 88 93 eller kom på Vestergade 12, 7100 Vejle"
    spans = [_Entity(9, 20, "PHONE"), _Entity(34, 59, "ADDRESS"), _Entity(34, 47, "ADDRESS")]
    assert mask(text, spans) == "Ring til [telefonnummer] eller kom på [adresse]"


def test_placeholders_cover_labels_and_danish_aliases() -> None:
    assert placeholder("CPR") == "[cpr-nummer]"
    assert placeholder("phone") == "[telefonnummer]"
    assert placeholder("telefon") == "[telefonnummer]"
    assert placeholder("E-mail") == "[e-mail]"
    assert placeholder("ADDRESS") == "[adresse]"
    assert placeholder("navn") == "[navn]"
    assert placeholder("HEALTH") == "[helbred]"
    assert placeholder("something_else") == "[personoplysning]"


def test_mask_rejects_spans_outside_the_text() -> None:
    with pytest.raises(RegisterInputError, match="uden for teksten"):
        mask("kort", [(0, 10, "PERSON")])
    with pytest.raises(RegisterInputError):
        mask("kort", [(3, 2, "PERSON")])


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("cpr 010190-1234", "CPR"),
        ("cpr 0101901234", "CPR"),
        ("cpr 010190 1234", "CPR"),
        ("skriv til a.b@kommune.dk", "e-mail"),
        ("skriv til mette (at) kommune (dot) dk", "e-mail"),
        ("sagsnummer 2023000123", None),  # not a date: 20/23 is no month
        ("ordre 99999999999", None),  # eleven digits
        ("ring 40 12 88 93", None),
        ("[cpr-nummer] og [e-mail]", None),
        ("hej @Mette, tak", None),
    ],
)
def test_find_unmasked(text: str, found: str | None) -> None:
    result = find_unmasked(text)
    if found is None:
        assert result is None
    else:
        assert result is not None and found in result


def test_fingerprint_is_stable_salted_and_nfc_normalised() -> None:
    nfc = unicodedata.normalize("NFC", "Søren på Åvej")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    assert fingerprint(nfc, "salt-a") == fingerprint(nfd, "salt-a")
    assert fingerprint(nfc, "salt-a") == fingerprint(nfc, "salt-a")
    assert fingerprint(nfc, "salt-a") != fingerprint(nfc, "salt-b")
    digest = fingerprint(nfc, "salt-a")
    assert len(digest) == 64 and int(digest, 16) >= 0
    # The construction (HMAC-SHA-256 keyed with the salt, over NFC UTF-8) must never change
    # silently: stored evidence hashes would stop matching.
    expected = hmac.new("kø".encode(), nfc.encode(), hashlib.sha256).hexdigest()
    assert fingerprint(nfd, "kø") == expected
    with pytest.raises(RegisterInputError):
        fingerprint("abc", "")


def test_register_fingerprint_uses_its_own_secret_salt(tmp_path: Path) -> None:
    with Register(f"sqlite:///{tmp_path / 'a.sqlite3'}") as a:
        first = a.fingerprint("010190-1234")
        assert a.fingerprint("010190-1234") == first
        assert a.matches("010190-1234", first)
        assert not a.matches("010190-1235", first)
    # The salt is stored in the database: reopening gives the same fingerprint ...
    with Register(f"sqlite:///{tmp_path / 'a.sqlite3'}") as again:
        assert again.fingerprint("010190-1234") == first
    # ... and another register has another salt, so hashes cannot be compared or guessed.
    with Register(f"sqlite:///{tmp_path / 'b.sqlite3'}") as b:
        assert b.fingerprint("010190-1234") != first


def test_register_refuses_unmasked_text(register: Register) -> None:
    raw = "Min cpr er 010190-1234 og jeg klager"
    for text in (raw, "skriv til mette@example.dk", "mette (at) example (dot) dk"):
        with pytest.raises(UnmaskedDataError, match="maskeret"):
            register.register_complaint(
                municipality="vejle",
                masked_text=text,
                text_hash=register.fingerprint(text),
                channel="official_page",
            )
        with pytest.raises(UnmaskedDataError):
            register.register_escalation(
                municipality="vejle",
                kind="threat",
                masked_text=text,
                evidence_hash=register.fingerprint(text),
                channel="official_page",
            )
    assert register.counts() == {"complaints": 0, "escalations": 0, "audit_events": 0}


def test_error_messages_never_contain_the_text(register: Register) -> None:
    raw = "Min cpr er 010190-1234"
    with pytest.raises(UnmaskedDataError) as info:
        register.register_complaint(
            municipality="vejle", masked_text=raw, text_hash="0" * 64, channel="x"
        )
    assert "010190" not in str(info.value)


def test_status_notes_are_checked_too(register: Register) -> None:
    rec = register.register_complaint(
        municipality="vejle", masked_text="Klage over [navn]", text_hash="a" * 64, channel="x"
    )
    with pytest.raises(UnmaskedDataError):
        register.set_status(rec.reference, "under behandling", actor="bo", note="cpr 010190-1234")
    assert register.get(rec.reference).status == "modtaget"


def test_hash_must_be_a_sha256_hex_digest(register: Register) -> None:
    with pytest.raises(RegisterInputError, match="64 hexadecimale"):
        register.register_complaint(
            municipality="vejle", masked_text="Klage", text_hash="010190-1234", channel="x"
        )
