"""The register's tables as SQLAlchemy 2 declarative models.

The schema is created and changed only by the Alembic migrations in ``migrations/``; a test
checks that autogenerate finds no difference between these models and the migrated schema.

Times are stored in UTC (:class:`UTCDateTime`: timezone-aware in, timezone-aware out, also on
SQLite, which has no time zones); deadlines are plain dates in Danish local time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "COMPLAINT_SERIES",
    "ESCALATION_KINDS",
    "ESCALATION_SERIES",
    "STATUSES",
    "USER_ROLES",
    "ApiUser",
    "AuditEvent",
    "Base",
    "Complaint",
    "ComplaintCategory",
    "Escalation",
    "EscalationCategory",
    "ReferenceCounter",
    "Setting",
    "UTCDateTime",
]

#: Every status a complaint or escalation can have, in workflow order.
STATUSES: tuple[str, ...] = ("modtaget", "under behandling", "besvaret", "videresendt", "lukket")
#: The kinds of escalation (triage categories that must go to a manager or be notified).
ESCALATION_KINDS: tuple[str, ...] = ("harassment", "threat", "child_welfare")
#: Roles of the users of the HTTP API and the web UI (see omtanke.server.auth).
USER_ROLES: tuple[str, ...] = ("employee", "page_admin", "manager")
#: Reference-number series in the counter table: complaints and escalations count separately.
COMPLAINT_SERIES = "K"
ESCALATION_SERIES = "E"

_NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the register; use an aware datetime")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _status_check() -> CheckConstraint:
    values = ", ".join(f"'{s}'" for s in STATUSES)
    return CheckConstraint(f"status IN ({values})", name="status")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)


class Setting(Base):
    """Register-wide settings; ``fingerprint_salt`` is created by the first migration."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReferenceCounter(Base):
    """The last number handed out per series, municipality code and year.

    Incremented with an UPSERT … RETURNING in the same transaction as the insert it numbers,
    so numbers are gapless and never handed out twice, whatever runs in parallel.
    """

    __tablename__ = "reference_counters"

    series: Mapped[str] = mapped_column(String(1), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class _RecordColumns:
    """The columns complaints and escalations share (copied into each table)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    municipality: Mapped[str] = mapped_column(String(40), index=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(String(40))
    source_url: Mapped[str | None] = mapped_column(Text)
    masked_text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    assignee: Mapped[str | None] = mapped_column(String(200))


class Complaint(_RecordColumns, Base):
    """A complaint (klage) that arrived through an official channel: it cannot be rejected."""

    __tablename__ = "complaints"
    __table_args__ = (_status_check(),)

    text_hash: Mapped[str] = mapped_column(String(64))
    deadline: Mapped[date] = mapped_column(Date, index=True)

    category_rows: Mapped[list[ComplaintCategory]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ComplaintCategory.category"
    )


class ComplaintCategory(Base):
    __tablename__ = "complaint_categories"

    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class Escalation(_RecordColumns, Base):
    """Harassment, a threat or a child-welfare concern, kept as evidence (masked + hash)."""

    __tablename__ = "escalations"
    __table_args__ = (
        _status_check(),
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in ESCALATION_KINDS) + ")", name="kind"
        ),
    )

    kind: Mapped[str] = mapped_column(String(20), index=True)
    evidence_hash: Mapped[str] = mapped_column(String(64))

    category_rows: Mapped[list[EscalationCategory]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="EscalationCategory.category"
    )


class EscalationCategory(Base):
    __tablename__ = "escalation_categories"

    escalation_id: Mapped[int] = mapped_column(
        ForeignKey("escalations.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class AuditEvent(Base):
    """One line of the append-only audit trail (database triggers forbid UPDATE/DELETE)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(32), index=True)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class ApiUser(Base):
    """A user of the HTTP API and the web UI (``omtanke users add``): a name, a role and the
    SHA-256 hash of the user's bearer token. The token itself is never stored."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN (" + ", ".join(f"'{r}'" for r in USER_ROLES) + ")", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
