"""The register: settings, reference counters, complaints, escalations, audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-05-20

Also creates the per-register secret ``fingerprint_salt`` (used to hash original texts) and
the triggers that make ``audit_events`` append-only on SQLite and PostgreSQL.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATUSES = "'modtaget', 'under behandling', 'besvaret', 'videresendt', 'lukket'"
_KINDS = "'harassment', 'threat', 'child_welfare'"
_AUDIT_MESSAGE = "Revisionssporet (audit_events) kan kun tilføjes; ændring og sletning er forbudt."


def _ts() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _case_columns() -> list[sa.Column[Any]]:
    """The columns complaints and escalations share, in table order after ``number``."""
    return [
        sa.Column("received_at", _ts(), nullable=False),
        sa.Column("registered_at", _ts(), nullable=False),
        sa.Column("updated_at", _ts(), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("masked_text", sa.Text(), nullable=False),
    ]


def upgrade() -> None:
    settings = op.create_table(
        "settings",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )
    op.bulk_insert(settings, [{"key": "fingerprint_salt", "value": secrets.token_hex(32)}])

    op.create_table(
        "reference_counters",
        sa.Column("series", sa.String(1), nullable=False),
        sa.Column("municipality_code", sa.String(8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "series", "municipality_code", "year", name="pk_reference_counters"
        ),
    )

    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("municipality", sa.String(40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        *_case_columns(),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("assignee", sa.String(200), nullable=True),
        sa.CheckConstraint(f"status IN ({_STATUSES})", name="ck_complaints_status"),
        sa.PrimaryKeyConstraint("id", name="pk_complaints"),
        sa.UniqueConstraint("reference", name="uq_complaints_reference"),
    )
    op.create_index("ix_complaints_municipality", "complaints", ["municipality"])
    op.create_index("ix_complaints_received_at", "complaints", ["received_at"])
    op.create_index("ix_complaints_deadline", "complaints", ["deadline"])
    op.create_index("ix_complaints_status", "complaints", ["status"])

    op.create_table(
        "complaint_categories",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name="fk_complaint_categories_complaint_id_complaints",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("complaint_id", "category", name="pk_complaint_categories"),
    )
    op.create_index("ix_complaint_categories_category", "complaint_categories", ["category"])

    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("municipality", sa.String(40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        *_case_columns(),
        sa.Column("evidence_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("assignee", sa.String(200), nullable=True),
        sa.CheckConstraint(f"status IN ({_STATUSES})", name="ck_escalations_status"),
        sa.CheckConstraint(f"kind IN ({_KINDS})", name="ck_escalations_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_escalations"),
        sa.UniqueConstraint("reference", name="uq_escalations_reference"),
    )
    op.create_index("ix_escalations_municipality", "escalations", ["municipality"])
    op.create_index("ix_escalations_kind", "escalations", ["kind"])
    op.create_index("ix_escalations_received_at", "escalations", ["received_at"])
    op.create_index("ix_escalations_status", "escalations", ["status"])

    op.create_table(
        "escalation_categories",
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
            name="fk_escalation_categories_escalation_id_escalations",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("escalation_id", "category", name="pk_escalation_categories"),
    )
    op.create_index("ix_escalation_categories_category", "escalation_categories", ["category"])

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", _ts(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_reference", "audit_events", ["reference"])

    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION omtanke_audit_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{_AUDIT_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; "
            "END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION omtanke_audit_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION omtanke_audit_append_only()"
        )
    elif dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                f"BEGIN SELECT RAISE(ABORT, '{_AUDIT_MESSAGE}'); END"
            )


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS omtanke_audit_append_only()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    for table in (
        "audit_events",
        "escalation_categories",
        "escalations",
        "complaint_categories",
        "complaints",
        "reference_counters",
        "settings",
    ):
        op.drop_table(table)
