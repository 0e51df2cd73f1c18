"""The register's Python API: :class:`Register`.

>>> reg = Register("sqlite:////tmp/register.sqlite3")          # doctest: +SKIP
>>> rec = reg.register_complaint(
...     municipality="hjoerring", channel="official_page",
...     masked_text=mask(text, spans), text_hash=reg.fingerprint(text),
...     categories=["complaint", "personal_data"], source_url=link, actor="mette")
>>> rec.reference, rec.deadline                                  # doctest: +SKIP
('HJO-2026-00042', datetime.date(2026, 3, 16))

Every write is one database transaction: the reference number is taken from the counter
table, the row and its audit event are inserted, and all of it commits together or not at
all. Numbers are gapless per municipality, year and series (complaints ``HJO-2026-00042``,
escalations ``HJO-2026-E00007``) and never handed out twice, also with many processes
writing at once: on PostgreSQL the counter row is locked by an ``INSERT … ON CONFLICT DO
UPDATE … RETURNING`` until commit; on SQLite the transaction starts with ``BEGIN IMMEDIATE``.

Nothing here logs, and no error message contains the text of a complaint.
"""

from __future__ import annotations

import csv
import getpass
import hmac
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import IO, Any, TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from . import db
from .errors import (
    InvalidTransitionError,
    RegisterDatabaseError,
    RegisterInputError,
    UnknownReferenceError,
    UnmaskedDataError,
)
from .models import (
    COMPLAINT_SERIES,
    ESCALATION_KINDS,
    ESCALATION_SERIES,
    STATUSES,
    AuditEvent,
    Complaint,
    ComplaintCategory,
    Escalation,
    EscalationCategory,
    ReferenceCounter,
    Setting,
)
from .privacy import find_unmasked
from .privacy import fingerprint as _fingerprint
from .workdays import add_working_days

__all__ = [
    "CATEGORY_LABELS",
    "CSV_COLUMNS",
    "DEFAULT_DEADLINE_WORKING_DAYS",
    "ESCALATION_CSV_COLUMNS",
    "MUNICIPALITY_CODES",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "TZ",
    "AuditRecord",
    "ComplaintRecord",
    "EscalationRecord",
    "Register",
    "RegisterFilter",
    "category_names",
    "default_actor",
    "local_time",
    "normalize_category",
    "normalize_municipality",
    "normalize_status",
]

TZ = ZoneInfo("Europe/Copenhagen")

#: Municipality (policy pack id) → the code that starts its reference numbers.
MUNICIPALITY_CODES: dict[str, str] = {
    "aabenraa": "AAB",
    "soenderborg": "SON",
    "vejle": "VEJ",
    "hjoerring": "HJO",
}

#: Allowed status changes. A complaint cannot be rejected, so it cannot be closed before it
#: has been answered or forwarded; an answered or forwarded case can be taken up again
#: (e.g. the citizen writes back) until it is closed; ``lukket`` is final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "modtaget": ("under behandling", "besvaret", "videresendt"),
    "under behandling": ("besvaret", "videresendt"),
    "besvaret": ("lukket", "under behandling"),
    "videresendt": ("lukket", "under behandling"),
    "lukket": (),
}
#: Statuses in which a passed deadline counts as overdue (overskredet).
OPEN_STATUSES: tuple[str, ...] = ("modtaget", "under behandling")
DEFAULT_DEADLINE_WORKING_DAYS = 10

#: Danish names of the triage categories (used in output; accepted as input too).
CATEGORY_LABELS: dict[str, str] = {
    "complaint": "klage",
    "personal_data": "personoplysninger",
    "case_request": "sagshenvendelse",
    "harassment": "chikane",
    "threat": "trussel",
    "child_welfare": "bekymring for barn",
    "question": "spørgsmål",
}

#: Column names of the complaints CSV export, in order.
CSV_COLUMNS: tuple[str, ...] = (
    "Referencenummer",
    "Modtaget",
    "Kanal",
    "Kilde",
    "Kategorier",
    "Frist",
    "Status",
    "Sagsbehandler",
    "Tekst (maskeret)",
    "Hash",
)
ESCALATION_CSV_COLUMNS: tuple[str, ...] = (
    "Referencenummer",
    "Modtaget",
    "Type",
    "Kanal",
    "Kilde",
    "Kategorier",
    "Status",
    "Sagsbehandler",
    "Tekst (maskeret)",
    "Hash",
)

_MAX_TEXT = 200_000
_MAX_NAME = 200
_MAX_URL = 2_000
_FUTURE_SLACK = timedelta(minutes=5)
_HASH_RE = re.compile(r"^[0-9a-f]{64}$")
_CATEGORY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_REFERENCE_RE = re.compile(r"^([A-Z]{2,8})-(\d{4})-(E?)(\d{5,})$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_RETRIES = 6

T = TypeVar("T")


# ---------------------------------------------------------------------------------------------
# Records returned by the API (plain values, independent of any database session)


@dataclass(frozen=True, slots=True)
class ComplaintRecord:
    """A registered complaint (klage)."""

    reference: str
    municipality: str
    received_at: datetime
    registered_at: datetime
    updated_at: datetime
    channel: str
    source_url: str | None
    masked_text: str
    text_hash: str
    categories: tuple[str, ...]
    deadline: date
    status: str
    assignee: str | None
    #: True when register_complaint found this message (same municipality, source link and
    #: fingerprint) already registered and returned the existing complaint instead.
    duplicate: bool = False

    def is_overdue(self, today: date | None = None) -> bool:
        """Deadline passed and not yet answered, forwarded or closed."""
        return self.status in OPEN_STATUSES and self.deadline < (today or _today())

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "municipality": self.municipality,
            "received_at": self.received_at.isoformat(),
            "registered_at": self.registered_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "channel": self.channel,
            "source_url": self.source_url,
            "masked_text": self.masked_text,
            "text_hash": self.text_hash,
            "categories": list(self.categories),
            "deadline": self.deadline.isoformat(),
            "status": self.status,
            "assignee": self.assignee,
            "overdue": self.is_overdue(),
        }


@dataclass(frozen=True, slots=True)
class EscalationRecord:
    """A registered escalation: harassment, a threat or a child-welfare concern."""

    reference: str
    municipality: str
    kind: str
    received_at: datetime
    registered_at: datetime
    updated_at: datetime
    channel: str
    source_url: str | None
    masked_text: str
    evidence_hash: str
    categories: tuple[str, ...]
    status: str
    assignee: str | None
    duplicate: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "municipality": self.municipality,
            "kind": self.kind,
            "received_at": self.received_at.isoformat(),
            "registered_at": self.registered_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "channel": self.channel,
            "source_url": self.source_url,
            "masked_text": self.masked_text,
            "evidence_hash": self.evidence_hash,
            "categories": list(self.categories),
            "status": self.status,
            "assignee": self.assignee,
        }


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One event of the audit trail: who did what, when, from which value to which."""

    at: datetime
    actor: str
    action: str
    reference: str
    old_value: str | None
    new_value: str | None
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "reference": self.reference,
            "old_value": self.old_value,
            "new_value": self.new_value,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class RegisterFilter:
    """Which complaints or escalations to list or export. Every field is optional.

    ``received_from`` and ``received_to`` are inclusive days in Danish local time;
    ``overdue`` keeps only open complaints whose deadline is before ``today``.
    """

    status: str | None = None
    category: str | None = None
    municipality: str | None = None
    kind: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool = False
    assignee: str | None = None
    limit: int | None = None
    today: date | None = field(default=None, compare=False)


# ---------------------------------------------------------------------------------------------
# Normalisation of user input (Danish spellings accepted)


def _fold(value: str) -> str:
    v = unicodedata.normalize("NFC", value).strip().lower()
    return v.replace("ø", "oe").replace("æ", "ae").replace("å", "aa")


def normalize_municipality(value: str, codes: Mapping[str, str] = MUNICIPALITY_CODES) -> str:
    """The municipality id for a name, id or code: "Hjørring", "HJO" → ``hjoerring``."""
    folded = _fold(value or "")
    if folded in codes:
        return folded
    by_code = {code.lower(): mid for mid, code in codes.items()}
    if folded in by_code:
        return by_code[folded]
    known = ", ".join(sorted(codes))
    raise RegisterInputError(f"Ukendt kommune '{value}'. Kendte kommuner: {known}.")


def normalize_status(value: str) -> str:
    """A status from user input: ``under_behandling``/``Under-behandling`` → ``under behandling``."""
    v = re.sub(r"[\s_\-]+", " ", (value or "").strip().lower())
    if v in STATUSES:
        return v
    allowed = ", ".join(f"'{s}'" for s in STATUSES)
    raise RegisterInputError(f"Ukendt status '{value}'. Brug en af: {allowed}.")


def normalize_category(value: str) -> str:
    """A category id from an id or its Danish name (``klage`` → ``complaint``)."""
    v = re.sub(r"[\s\-]+", "_", (value or "").strip().lower())
    by_label = {label.replace(" ", "_"): cid for cid, label in CATEGORY_LABELS.items()}
    v = by_label.get(v, v)
    if not _CATEGORY_RE.match(v):
        raise RegisterInputError(
            f"Ugyldig kategori '{value}'. Kendte kategorier: " + ", ".join(CATEGORY_LABELS) + "."
        )
    return v


def _normalize_kind(value: str) -> str:
    kind = normalize_category(value)
    if kind not in ESCALATION_KINDS:
        names = ", ".join(f"{k} ({CATEGORY_LABELS[k]})" for k in ESCALATION_KINDS)
        raise RegisterInputError(f"Ukendt type eskalering '{value}'. Brug en af: {names}.")
    return kind


def default_actor() -> str:
    """The OS user name, used as ``actor`` when none is given."""
    try:
        return getpass.getuser() or "ukendt"
    except Exception:
        return "ukendt"


def _clean_name(value: str | None, what: str, *, required: bool = True) -> str | None:
    if value is None or not value.strip():
        if required:
            raise RegisterInputError(f"{what} mangler.")
        return None
    v = unicodedata.normalize("NFC", value).strip()
    if _CONTROL_RE.search(v):
        raise RegisterInputError(f"{what} må ikke indeholde kontroltegn eller linjeskift.")
    if len(v) > _MAX_NAME:
        raise RegisterInputError(f"{what} er for lang ({len(v)} tegn; højst {_MAX_NAME}).")
    return v


def _clean_text(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RegisterInputError(f"{what} er tom.")
    if "\x00" in value:
        raise RegisterInputError(f"{what} indeholder et nul-tegn.")
    if len(value) > _MAX_TEXT:
        raise RegisterInputError(f"{what} er for lang ({len(value)} tegn; højst {_MAX_TEXT}).")
    found = find_unmasked(value)
    if found:
        raise UnmaskedDataError(found, what)
    return unicodedata.normalize("NFC", value)


def _clean_hash(value: str, what: str) -> str:
    v = (value or "").strip().lower()
    if not _HASH_RE.match(v):
        raise RegisterInputError(
            f"{what} skal være 64 hexadecimale tegn (SHA-256); brug Register.fingerprint()."
        )
    return v


def _clean_url(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    v = value.strip()
    if len(v) > _MAX_URL or _CONTROL_RE.search(v) or " " in v:
        raise RegisterInputError(
            "Kildelinket er ugyldigt (mellemrum, kontroltegn eller for langt)."
        )
    return v


def _clean_categories(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    return tuple(sorted({normalize_category(v) for v in values}))


def _now() -> datetime:
    return datetime.now(UTC)


def _today() -> date:
    return datetime.now(TZ).date()


def _local_day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=TZ).astimezone(UTC)


def _check_received(value: datetime | None) -> datetime:
    now = _now()
    if value is None:
        return now
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise RegisterInputError("Modtagelsestidspunktet skal have en tidszone.")
    if value - now > _FUTURE_SLACK:
        raise RegisterInputError("Modtagelsestidspunktet ligger i fremtiden.")
    return value.astimezone(UTC)


def _parse_reference(reference: str) -> tuple[str, bool]:
    ref = (reference or "").strip().upper()
    m = _REFERENCE_RE.match(ref)
    if not m:
        raise RegisterInputError(
            f"'{reference}' er ikke et referencenummer (fx HJO-2026-00042 eller HJO-2026-E00007)."
        )
    return ref, bool(m.group(3))


def _retryable(exc: DBAPIError) -> bool:
    orig = exc.orig
    state = getattr(orig, "sqlstate", None)
    if state in ("40001", "40P01", "55P03"):
        return True
    msg = str(orig).lower()
    return "database is locked" in msg or "database is busy" in msg


# ---------------------------------------------------------------------------------------------


class Register:
    """The complaint and escalation register.

    ``url``: the database (see :func:`omtanke.register.db.resolve_url`; default: a SQLite file
    in the user's data directory). ``migrate``: bring the schema up to date on opening (safe
    to do from many processes at once). ``deadline_working_days``: the default deadline of a
    complaint, in Danish working days after the day it was received.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        migrate: bool = True,
        deadline_working_days: int = DEFAULT_DEADLINE_WORKING_DAYS,
        municipalities: Mapping[str, str] | None = None,
        engine: Engine | None = None,
    ) -> None:
        if deadline_working_days < 0:
            raise RegisterInputError("Fristen skal være et positivt antal arbejdsdage.")
        self.url = (
            db.resolve_url(url)
            if engine is None
            else engine.url.render_as_string(hide_password=False)
        )
        self.deadline_working_days = deadline_working_days
        self.municipalities: dict[str, str] = dict(MUNICIPALITY_CODES)
        if municipalities:
            for mid, code in municipalities.items():
                if not re.match(r"^[A-Z]{2,8}$", code):
                    raise RegisterInputError(
                        f"Kommunekoden '{code}' skal være 2–8 store bogstaver."
                    )
                self.municipalities[_fold(mid)] = code
        self._own_engine = engine is None
        self.engine: Engine = engine if engine is not None else db.create_engine(self.url)
        self._write_engine = self.engine.execution_options(**{db.WRITE_OPTION: True})
        self._salt: str | None = None
        #: Test hook, called inside the write transaction at named stages ("counter", "row",
        #: "audit"): lets a test kill the process mid-transaction.
        self._stage_hook: Callable[[str], None] | None = None
        if migrate:
            try:
                db.migrate(engine=self.engine)
            except BaseException:
                self.close()
                raise

    # -- life cycle --------------------------------------------------------------------------

    def close(self) -> None:
        if self._own_engine:
            self.engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- privacy -----------------------------------------------------------------------------

    def _get_salt(self) -> str:
        if self._salt is None:
            salt = self._read(
                lambda s: s.scalar(
                    sa.select(Setting.value).where(Setting.key == "fingerprint_salt")
                )
            )
            if not salt:
                raise RegisterDatabaseError(
                    "Registret mangler sit hemmelige salt; kør 'omtanke register migrate'."
                )
            self._salt = salt
        return self._salt

    def fingerprint(self, text: str) -> str:
        """The salted fingerprint of an original text (HMAC-SHA-256, hex; see privacy.py)."""
        return _fingerprint(text, self._get_salt())

    def matches(self, text: str, text_hash: str) -> bool:
        """Whether ``text`` is the original whose fingerprint is ``text_hash`` (evidence check)."""
        return hmac.compare_digest(self.fingerprint(text), (text_hash or "").strip().lower())

    def municipality_code(self, municipality: str) -> str:
        return self.municipalities[normalize_municipality(municipality, self.municipalities)]

    # -- transactions ------------------------------------------------------------------------

    def _stage(self, name: str) -> None:
        if self._stage_hook is not None:
            self._stage_hook(name)

    def _read(self, fn: Callable[[Session], T]) -> T:
        try:
            with Session(self.engine) as session, session.begin():
                return fn(session)
        except SQLAlchemyError as exc:
            raise self._db_error(exc, "læse fra") from None

    def _write(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn`` in one write transaction; retry the whole of it if the database is busy."""
        delay = 0.05
        for attempt in range(_RETRIES):
            try:
                with Session(self._write_engine) as session, session.begin():
                    return fn(session)
            except DBAPIError as exc:
                if attempt + 1 < _RETRIES and _retryable(exc):
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise self._db_error(exc, "skrive i") from None
            except SQLAlchemyError as exc:
                raise self._db_error(exc, "skrive i") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _db_error(self, exc: SQLAlchemyError, verb: str) -> RegisterDatabaseError:
        orig = getattr(exc, "orig", None)
        name = type(orig).__name__ if orig is not None else type(exc).__name__
        if isinstance(exc, sa.exc.OperationalError) and orig is not None:
            first = (str(orig).strip().splitlines() or [name])[0][:200]
            return RegisterDatabaseError(
                f"Omtanke kunne ikke {verb} registret ({name}: {first}). Intet er gemt halvt."
            )
        return RegisterDatabaseError(
            f"Omtanke kunne ikke {verb} registret ({name}). Intet er gemt halvt."
        )

    def _next_number(self, session: Session, series: str, code: str, year: int) -> int:
        values = {"series": series, "municipality_code": code, "year": year, "last_number": 1}
        keys = ["series", "municipality_code", "year"]
        bump = {"last_number": ReferenceCounter.last_number + 1}
        stmt: Any
        if self.dialect == "postgresql":
            stmt = pg_dialect.insert(ReferenceCounter).values(values)
            stmt = stmt.on_conflict_do_update(index_elements=keys, set_=bump)
        elif self.dialect == "sqlite":
            stmt = sqlite_dialect.insert(ReferenceCounter).values(values)
            stmt = stmt.on_conflict_do_update(index_elements=keys, set_=bump)
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            raise RegisterDatabaseError(f"Databasetypen '{self.dialect}' understøttes ikke.")
        number = session.execute(stmt.returning(ReferenceCounter.last_number)).scalar_one()
        return int(number)

    @staticmethod
    def _audit(
        session: Session,
        *,
        actor: str,
        action: str,
        reference: str,
        old: str | None,
        new: str | None,
        note: str | None = None,
        at: datetime,
    ) -> None:
        session.add(
            AuditEvent(
                at=at,
                actor=actor,
                action=action,
                reference=reference,
                old_value=old,
                new_value=new,
                note=note,
            )
        )

    # -- writing -----------------------------------------------------------------------------

    def register_complaint(
        self,
        *,
        municipality: str,
        masked_text: str,
        text_hash: str,
        channel: str,
        categories: Iterable[str] = ("complaint",),
        received_at: datetime | None = None,
        source_url: str | None = None,
        actor: str | None = None,
        deadline: date | None = None,
        assignee: str | None = None,
    ) -> ComplaintRecord:
        """Register a complaint; returns it with its reference number and deadline.

        ``masked_text`` must already be masked (see :func:`mask`): text that still holds a
        CPR number or an e-mail address is refused. ``text_hash`` is
        :meth:`fingerprint` of the original. If the same message (same municipality, source
        link and fingerprint) is already registered, that complaint is returned with
        ``duplicate=True`` and nothing is written.
        """
        mid, code, text, chan, received, url, who, handler = self._clean_common(
            municipality, masked_text, channel, received_at, source_url, actor, assignee
        )
        digest = _clean_hash(text_hash, "Hashen af teksten")
        cats = _clean_categories(categories)
        received_day = received.astimezone(TZ).date()
        if deadline is None:
            due = add_working_days(received_day, self.deadline_working_days)
        else:
            if deadline < received_day:
                raise RegisterInputError("Fristen ligger før modtagelsesdagen.")
            due = deadline
        year = received.astimezone(TZ).year

        def work(session: Session) -> ComplaintRecord:
            number = self._next_number(session, COMPLAINT_SERIES, code, year)
            self._stage("counter")
            if url is not None:
                existing = session.scalars(
                    sa.select(Complaint).where(
                        Complaint.municipality == mid,
                        Complaint.source_url == url,
                        Complaint.text_hash == digest,
                    )
                ).first()
                if existing is not None:
                    raise _Duplicate(replace(_complaint_record(existing), duplicate=True))
            now = _now()
            reference = f"{code}-{year}-{number:05d}"
            row = Complaint(
                reference=reference,
                municipality=mid,
                year=year,
                number=number,
                received_at=received,
                registered_at=now,
                updated_at=now,
                channel=chan,
                source_url=url,
                masked_text=text,
                text_hash=digest,
                deadline=due,
                status="modtaget",
                assignee=handler,
                category_rows=[ComplaintCategory(category=c) for c in cats],
            )
            self._insert_with_audit(session, row, actor=who, handler=handler, at=now)
            return _complaint_record(row)

        try:
            return self._write(work)
        except _Duplicate as dup:
            assert isinstance(dup.record, ComplaintRecord)
            return dup.record

    def register_escalation(
        self,
        *,
        municipality: str,
        kind: str,
        masked_text: str,
        evidence_hash: str,
        channel: str,
        categories: Iterable[str] = (),
        received_at: datetime | None = None,
        source_url: str | None = None,
        actor: str | None = None,
        assignee: str | None = None,
    ) -> EscalationRecord:
        """Register harassment, a threat or a child-welfare concern, with its evidence.

        ``kind`` is ``harassment``, ``threat`` or ``child_welfare`` (Danish names accepted);
        ``evidence_hash`` is :meth:`fingerprint` of the original message. ``categories``
        defaults to the kind itself.
        """
        mid, code, text, chan, received, url, who, handler = self._clean_common(
            municipality, masked_text, channel, received_at, source_url, actor, assignee
        )
        what = _normalize_kind(kind)
        digest = _clean_hash(evidence_hash, "Hashen af beviset")
        cats = tuple(sorted(set(_clean_categories(categories)) | {what}))
        year = received.astimezone(TZ).year

        def work(session: Session) -> EscalationRecord:
            number = self._next_number(session, ESCALATION_SERIES, code, year)
            self._stage("counter")
            if url is not None:
                existing = session.scalars(
                    sa.select(Escalation).where(
                        Escalation.municipality == mid,
                        Escalation.kind == what,
                        Escalation.source_url == url,
                        Escalation.evidence_hash == digest,
                    )
                ).first()
                if existing is not None:
                    raise _Duplicate(replace(_escalation_record(existing), duplicate=True))
            now = _now()
            reference = f"{code}-{year}-E{number:05d}"
            row = Escalation(
                reference=reference,
                municipality=mid,
                year=year,
                number=number,
                kind=what,
                received_at=received,
                registered_at=now,
                updated_at=now,
                channel=chan,
                source_url=url,
                masked_text=text,
                evidence_hash=digest,
                status="modtaget",
                assignee=handler,
                category_rows=[EscalationCategory(category=c) for c in cats],
            )
            self._insert_with_audit(session, row, actor=who, handler=handler, at=now)
            return _escalation_record(row)

        try:
            return self._write(work)
        except _Duplicate as dup:
            assert isinstance(dup.record, EscalationRecord)
            return dup.record

    def _clean_common(
        self,
        municipality: str,
        masked_text: str,
        channel: str,
        received_at: datetime | None,
        source_url: str | None,
        actor: str | None,
        assignee: str | None,
    ) -> tuple[str, str, str, str, datetime, str | None, str, str | None]:
        """Validate what complaints and escalations share; Danish errors for bad input."""
        mid = normalize_municipality(municipality, self.municipalities)
        text = _clean_text(masked_text, "Den maskerede tekst")
        chan = _clean_name(channel, "Kanalen")
        assert chan is not None
        received = _check_received(received_at)
        url = _clean_url(source_url)
        who = _clean_name(actor or default_actor(), "Brugeren (actor)")
        assert who is not None
        handler = _clean_name(assignee, "Sagsbehandleren", required=False)
        return mid, self.municipalities[mid], text, chan, received, url, who, handler

    def _insert_with_audit(
        self,
        session: Session,
        row: Complaint | Escalation,
        *,
        actor: str,
        handler: str | None,
        at: datetime,
    ) -> None:
        """Add a new complaint or escalation and its "oprettet" audit event, in the caller's
        transaction (the test hooks ``_stage`` mark the points a crash test kills at)."""
        session.add(row)
        session.flush()
        self._stage("row")
        self._audit(
            session,
            actor=actor,
            action="oprettet",
            reference=row.reference,
            old=None,
            new="modtaget",
            note="sagsbehandler: " + handler if handler else None,
            at=at,
        )
        session.flush()
        self._stage("audit")

    @staticmethod
    def _find(session: Session, reference: str, *, lock: bool = False) -> Complaint | Escalation:
        ref, is_escalation = _parse_reference(reference)
        row: Complaint | Escalation | None
        if is_escalation:
            stmt_e = sa.select(Escalation).where(Escalation.reference == ref)
            row = session.scalars(stmt_e.with_for_update() if lock else stmt_e).first()
        else:
            stmt_c = sa.select(Complaint).where(Complaint.reference == ref)
            row = session.scalars(stmt_c.with_for_update() if lock else stmt_c).first()
        if row is None:
            raise UnknownReferenceError(ref)
        return row

    def set_status(
        self, reference: str, status: str, actor: str | None = None, note: str | None = None
    ) -> ComplaintRecord | EscalationRecord:
        """Change the status (see :data:`TRANSITIONS`); an invalid change raises an error."""
        new = normalize_status(status)
        who = _clean_name(actor or default_actor(), "Brugeren (actor)")
        clean_note = _clean_text(note, "Notatet") if note is not None and note.strip() else None

        def work(session: Session) -> ComplaintRecord | EscalationRecord:
            row = self._find(session, reference, lock=True)
            old = row.status
            allowed = TRANSITIONS[old]
            if new not in allowed:
                raise InvalidTransitionError(row.reference, old, new, allowed)
            now = _now()
            row.status = new
            row.updated_at = now
            assert who is not None
            self._audit(
                session,
                actor=who,
                action="status",
                reference=row.reference,
                old=old,
                new=new,
                note=clean_note,
                at=now,
            )
            session.flush()
            return _record(row)

        return self._write(work)

    def assign(
        self, reference: str, assignee: str | None, actor: str | None = None
    ) -> ComplaintRecord | EscalationRecord:
        """Set (or, with ``None``, remove) the case handler (sagsbehandler)."""
        handler = _clean_name(assignee, "Sagsbehandleren", required=False)
        who = _clean_name(actor or default_actor(), "Brugeren (actor)")

        def work(session: Session) -> ComplaintRecord | EscalationRecord:
            row = self._find(session, reference, lock=True)
            old = row.assignee
            if old == handler:
                return _record(row)
            now = _now()
            row.assignee = handler
            row.updated_at = now
            assert who is not None
            self._audit(
                session,
                actor=who,
                action="tildelt",
                reference=row.reference,
                old=old,
                new=handler,
                at=now,
            )
            session.flush()
            return _record(row)

        return self._write(work)

    # -- reading -----------------------------------------------------------------------------

    def get(self, reference: str) -> ComplaintRecord | EscalationRecord:
        """The complaint (``HJO-2026-00042``) or escalation (``HJO-2026-E00007``)."""
        _parse_reference(reference)
        return self._read(lambda session: _record(self._find(session, reference)))

    def get_complaint(self, reference: str) -> ComplaintRecord:
        rec = self.get(reference)
        if not isinstance(rec, ComplaintRecord):
            raise UnknownReferenceError(rec.reference)
        return rec

    def get_escalation(self, reference: str) -> EscalationRecord:
        rec = self.get(reference)
        if not isinstance(rec, EscalationRecord):
            raise UnknownReferenceError(rec.reference)
        return rec

    def _where(
        self, model: type[Complaint] | type[Escalation], flt: RegisterFilter
    ) -> list[sa.ColumnElement[bool]]:
        conds: list[sa.ColumnElement[bool]] = []
        if flt.status:
            conds.append(model.status == normalize_status(flt.status))
        if flt.municipality:
            conds.append(
                model.municipality == normalize_municipality(flt.municipality, self.municipalities)
            )
        if flt.category:
            cat = normalize_category(flt.category)
            if model is Complaint:
                conds.append(
                    Complaint.id.in_(
                        sa.select(ComplaintCategory.complaint_id).where(
                            ComplaintCategory.category == cat
                        )
                    )
                )
            else:
                conds.append(
                    Escalation.id.in_(
                        sa.select(EscalationCategory.escalation_id).where(
                            EscalationCategory.category == cat
                        )
                    )
                )
        if flt.received_from:
            conds.append(model.received_at >= _local_day_start(flt.received_from))
        if flt.received_to:
            conds.append(model.received_at < _local_day_start(flt.received_to + timedelta(days=1)))
        if flt.assignee:
            conds.append(model.assignee == flt.assignee.strip())
        if flt.limit is not None and flt.limit < 0:
            raise RegisterInputError("Grænsen (--limit) skal være et positivt tal.")
        if flt.received_from and flt.received_to and flt.received_from > flt.received_to:
            raise RegisterInputError("Fra-datoen ligger efter til-datoen.")
        return conds

    def list_complaints(self, filters: RegisterFilter | None = None) -> list[ComplaintRecord]:
        """Complaints matching the filters, oldest first."""
        flt = filters or RegisterFilter()
        conds = self._where(Complaint, flt)
        if flt.kind:
            raise RegisterInputError("Filtret 'type' gælder kun eskaleringer.")
        if flt.overdue:
            conds.append(Complaint.status.in_(OPEN_STATUSES))
            conds.append(Complaint.deadline < (flt.today or _today()))
        stmt = sa.select(Complaint).where(*conds).order_by(Complaint.received_at, Complaint.id)
        if flt.limit is not None:
            stmt = stmt.limit(flt.limit)
        return self._read(lambda s: [_complaint_record(r) for r in s.scalars(stmt)])

    def list_escalations(self, filters: RegisterFilter | None = None) -> list[EscalationRecord]:
        """Escalations matching the filters, oldest first (``overdue`` does not apply)."""
        flt = filters or RegisterFilter()
        conds = self._where(Escalation, flt)
        if flt.kind:
            conds.append(Escalation.kind == _normalize_kind(flt.kind))
        if flt.overdue:
            raise RegisterInputError(
                "Eskaleringer har ingen frist; filtret 'overskredet' gælder klager."
            )
        stmt = sa.select(Escalation).where(*conds).order_by(Escalation.received_at, Escalation.id)
        if flt.limit is not None:
            stmt = stmt.limit(flt.limit)
        return self._read(lambda s: [_escalation_record(r) for r in s.scalars(stmt)])

    def audit_trail(self, reference: str) -> list[AuditRecord]:
        """Every event of a complaint or escalation, oldest first."""
        _parse_reference(reference)

        def work(session: Session) -> list[AuditRecord]:
            ref = self._find(session, reference).reference
            rows = session.scalars(
                sa.select(AuditEvent).where(AuditEvent.reference == ref).order_by(AuditEvent.id)
            )
            return [
                AuditRecord(
                    at=r.at,
                    actor=r.actor,
                    action=r.action,
                    reference=r.reference,
                    old_value=r.old_value,
                    new_value=r.new_value,
                    note=r.note,
                )
                for r in rows
            ]

        return self._read(work)

    def counts(self) -> dict[str, int]:
        """Row counts (complaints, escalations, audit events), for checks and benchmarks."""

        def work(session: Session) -> dict[str, int]:
            return {
                "complaints": int(session.scalar(sa.select(sa.func.count(Complaint.id))) or 0),
                "escalations": int(session.scalar(sa.select(sa.func.count(Escalation.id))) or 0),
                "audit_events": int(session.scalar(sa.select(sa.func.count(AuditEvent.id))) or 0),
            }

        return self._read(work)

    # -- export ------------------------------------------------------------------------------

    def export_csv(
        self, stream: IO[str], filters: RegisterFilter | None = None, *, escalations: bool = False
    ) -> int:
        """Write the complaints (or escalations) as CSV for Danish Excel; returns the row count.

        UTF-8 with a byte-order mark, ``;`` as separator, CRLF line ends, Danish column names
        (:data:`CSV_COLUMNS`), local Danish times. Open a file for it with ``newline=""``.
        Cells that Excel would read as a formula (starting with ``= + - @``) get a leading
        apostrophe, so a citizen's text can never run as a formula.
        """
        writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        stream.write("\ufeff")
        count = 0
        if escalations:
            writer.writerow(ESCALATION_CSV_COLUMNS)
            for e in self.list_escalations(filters):
                writer.writerow(
                    [
                        _cell(v)
                        for v in (
                            e.reference,
                            local_time(e.received_at),
                            CATEGORY_LABELS.get(e.kind, e.kind),
                            e.channel,
                            e.source_url or "",
                            category_names(e.categories),
                            e.status,
                            e.assignee or "",
                            e.masked_text,
                            e.evidence_hash,
                        )
                    ]
                )
                count += 1
            return count
        writer.writerow(CSV_COLUMNS)
        for c in self.list_complaints(filters):
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        c.reference,
                        local_time(c.received_at),
                        c.channel,
                        c.source_url or "",
                        category_names(c.categories),
                        c.deadline.isoformat(),
                        c.status,
                        c.assignee or "",
                        c.masked_text,
                        c.text_hash,
                    )
                ]
            )
            count += 1
        return count


class _Duplicate(Exception):
    """Raised inside a write transaction to roll it back and return an existing record."""

    def __init__(self, record: ComplaintRecord | EscalationRecord) -> None:
        super().__init__("duplicate")
        self.record = record


def category_names(categories: Sequence[str]) -> str:
    """Danish names of categories, comma-separated (``klage, personoplysninger``)."""
    return ", ".join(CATEGORY_LABELS.get(c, c) for c in categories)


def local_time(value: datetime) -> str:
    return value.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def _cell(value: str) -> str:
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _complaint_record(row: Complaint) -> ComplaintRecord:
    return ComplaintRecord(
        reference=row.reference,
        municipality=row.municipality,
        received_at=row.received_at,
        registered_at=row.registered_at,
        updated_at=row.updated_at,
        channel=row.channel,
        source_url=row.source_url,
        masked_text=row.masked_text,
        text_hash=row.text_hash,
        categories=tuple(sorted(c.category for c in row.category_rows)),
        deadline=row.deadline,
        status=row.status,
        assignee=row.assignee,
    )


def _escalation_record(row: Escalation) -> EscalationRecord:
    return EscalationRecord(
        reference=row.reference,
        municipality=row.municipality,
        kind=row.kind,
        received_at=row.received_at,
        registered_at=row.registered_at,
        updated_at=row.updated_at,
        channel=row.channel,
        source_url=row.source_url,
        masked_text=row.masked_text,
        evidence_hash=row.evidence_hash,
        categories=tuple(sorted(c.category for c in row.category_rows)),
        status=row.status,
        assignee=row.assignee,
    )


def _record(row: Complaint | Escalation) -> ComplaintRecord | EscalationRecord:
    if isinstance(row, Complaint):
        return _complaint_record(row)
    return _escalation_record(row)
