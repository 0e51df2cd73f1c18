"""Database location, engines, migrations and the append-only audit table."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import omtanke.register
from omtanke.register import Register, RegisterDatabaseError, RegisterInputError, migrate
from omtanke.register.db import (
    ENV_URL,
    MIGRATIONS_DIR,
    alembic_config,
    create_engine,
    current_revision,
    default_path,
    describe_url,
    head_revision,
    resolve_url,
)
from omtanke.register.models import Base

TABLES = {
    "alembic_version",
    "audit_events",
    "complaint_categories",
    "complaints",
    "escalation_categories",
    "escalations",
    "reference_counters",
    "users",
    "settings",
}


# -- where the register lives ----------------------------------------------------------------


def test_url_precedence_explicit_env_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(ENV_URL, raising=False)
    assert default_path() == tmp_path / "xdg" / "omtanke" / "register.sqlite3"
    assert resolve_url() == f"sqlite:///{tmp_path / 'xdg' / 'omtanke' / 'register.sqlite3'}"
    monkeypatch.setenv(ENV_URL, "postgresql://env@127.0.0.1/reg")
    assert resolve_url() == "postgresql+psycopg://env@127.0.0.1/reg"
    assert resolve_url("sqlite:////x/y.sqlite3") == "sqlite:////x/y.sqlite3"


def test_default_path_without_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_path() == tmp_path / ".local" / "share" / "omtanke" / "register.sqlite3"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/dir")  # not absolute: ignored, per the spec
    assert default_path() == tmp_path / ".local" / "share" / "omtanke" / "register.sqlite3"


def test_url_forms(tmp_path: Path) -> None:
    assert resolve_url(str(tmp_path / "r.db")) == f"sqlite:///{tmp_path / 'r.db'}"
    assert resolve_url("postgres://u:p%40ss@h:5433/d") == "postgresql+psycopg://u:p%40ss@h:5433/d"
    assert describe_url("postgresql://u:secret@h/d") == "postgresql+psycopg://u:***@h/d"
    for bad, match in [
        ("mysql://u@h/d", "understøttes ikke"),
        ("sqlite://", "hukommelsen"),
        (":memory:", "hukommelsen"),
        ("://", "kan ikke læses"),
    ]:
        with pytest.raises(RegisterInputError, match=match):
            resolve_url(bad)


def test_default_file_is_private(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(ENV_URL, raising=False)
    with Register() as reg:
        assert reg.url.endswith("/xdg/omtanke/register.sqlite3")
    folder = tmp_path / "xdg" / "omtanke"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "register.sqlite3").stat().st_mode) == 0o600


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = create_engine(str(tmp_path / "p.sqlite3"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 60_000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    engine.dispose()


def test_unreachable_database_is_a_clear_error() -> None:
    with pytest.raises(RegisterDatabaseError, match="kan ikke åbnes") as info:
        Register("postgresql://nobody:topsecret@127.0.0.1:1/none")
    assert "topsecret" not in str(info.value)


# -- migrations ------------------------------------------------------------------------------


def test_migrations_ship_inside_the_package() -> None:
    package_dir = Path(omtanke.register.__file__).resolve().parent
    assert package_dir / "migrations" == MIGRATIONS_DIR
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()
    script = ScriptDirectory.from_config(alembic_config())
    assert Path(script.dir).resolve() == MIGRATIONS_DIR
    revisions = list(script.walk_revisions())
    assert [r.revision for r in revisions][-1] == "0001"
    assert head_revision() == revisions[0].revision


def test_upgrade_from_empty_and_autogenerate_finds_no_diff(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    try:
        assert current_revision(engine) is None
        assert migrate(empty_db_url) == head_revision()
        assert current_revision(engine) == head_revision()
        assert set(sa.inspect(engine).get_table_names()) == TABLES
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, Base.metadata) == []
            salt = conn.execute(
                sa.text("SELECT value FROM settings WHERE key = 'fingerprint_salt'")
            ).scalar_one()
            assert len(salt) == 64
        # Running it again (every Register() does) changes nothing.
        assert migrate(empty_db_url) == head_revision()
    finally:
        engine.dispose()


def test_alembic_autogenerate_through_env_py_writes_an_empty_revision(
    db_url: str, tmp_path: Path
) -> None:
    """What a developer runs to add a migration: it must find nothing to do."""
    import shutil

    from alembic import command

    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    cfg = alembic_config(db_url)
    cfg.set_main_option("script_location", str(scripts))
    script = command.revision(cfg, "probe", autogenerate=True, rev_id="probe")
    assert script is not None and not isinstance(script, list)
    body = Path(script.path).read_text(encoding="utf-8")
    upgrade = body.split("def upgrade() -> None:")[1].split("def downgrade")[0]
    lines = [
        ln.strip() for ln in upgrade.splitlines() if ln.strip() and not ln.strip().startswith("#")
    ]
    assert lines == ["pass"], body


def test_downgrade_and_upgrade_again(empty_db_url: str) -> None:
    from alembic import command

    migrate(empty_db_url)
    engine = create_engine(empty_db_url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    migrate(empty_db_url)
    with Register(empty_db_url) as reg:
        assert reg.counts() == {"complaints": 0, "escalations": 0, "audit_events": 0}


def test_database_from_a_newer_version_is_refused(db_url: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(RegisterDatabaseError, match="nyere version"):
        Register(db_url)


# -- the audit trail is append-only ----------------------------------------------------------


def test_audit_rows_cannot_be_updated_or_deleted(register: Register) -> None:
    register.register_complaint(
        municipality="vejle", masked_text="Klage", text_hash="a" * 64, channel="x", actor="bo"
    )
    for statement in (
        "UPDATE audit_events SET actor = 'mallory'",
        "DELETE FROM audit_events",
    ):
        with pytest.raises(sa.exc.DatabaseError) as info, register.engine.begin() as conn:
            conn.execute(sa.text(statement))
        assert "Revisionssporet" in str(info.value.orig)
    if register.dialect == "postgresql":
        with pytest.raises(sa.exc.DatabaseError), register.engine.begin() as conn:
            conn.execute(sa.text("TRUNCATE audit_events"))
    with register.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT actor FROM audit_events")).scalars().all()
    assert rows == ["bo"]
    # Appending still works.
    with register.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO audit_events (at, actor, action, reference) "
                "VALUES (CURRENT_TIMESTAMP, 'x', 'note', 'VEJ-2026-00001')"
            )
        )


def test_register_has_no_api_to_change_or_delete_history() -> None:
    names = {n for n in dir(Register) if not n.startswith("_")}
    assert not {n for n in names if "delete" in n or "remove" in n or "purge" in n}
