"""Where the register lives and how to connect to it.

The database URL is, in order: the URL given explicitly (``--db``), the environment variable
``OMTANKE_REGISTER_URL``, or a SQLite file in the user's data directory
(``$XDG_DATA_HOME/omtanke/register.sqlite3``, else ``~/.local/share/omtanke/register.sqlite3``;
the folder is created with mode 0700 and the file with 0600). A plain path is taken as a SQLite
file; ``postgresql://…`` (or ``postgres://…``) uses the psycopg 3 driver.

SQLite runs in WAL mode with ``synchronous=FULL``, a busy timeout and foreign keys on; every
write transaction starts with ``BEGIN IMMEDIATE`` so that writers queue up at the start of the
transaction instead of failing half-way. PostgreSQL needs nothing special.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from .errors import RegisterDatabaseError, RegisterInputError

__all__ = [
    "ENV_SQLITE_SYNC",
    "ENV_URL",
    "MIGRATIONS_DIR",
    "WRITE_OPTION",
    "alembic_config",
    "create_engine",
    "current_revision",
    "default_path",
    "describe_url",
    "head_revision",
    "migrate",
    "resolve_url",
]

ENV_URL = "OMTANKE_REGISTER_URL"
#: SQLite's ``synchronous`` setting: FULL (default) survives power loss; NORMAL (WAL) survives
#: a crashed or killed process but may lose the last commits on power loss.
ENV_SQLITE_SYNC = "OMTANKE_REGISTER_SQLITE_SYNCHRONOUS"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Execution option that makes a SQLite transaction start with BEGIN IMMEDIATE.
WRITE_OPTION = "omtanke_write"
#: Key of the PostgreSQL advisory lock held while migrating (two processes may start at once).
_MIGRATION_LOCK = 0x6F6D74616E6B65  # "omtanke"
_SQLITE_BUSY_MS = 60_000


def default_path() -> Path:
    """The default SQLite file: ``$XDG_DATA_HOME/omtanke/register.sqlite3``."""
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".local" / "share"
    return base / "omtanke" / "register.sqlite3"


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except (ArgumentError, ValueError):
        raise RegisterInputError(
            "Databaseadressen kan ikke læses. Brug fx 'sqlite:////sti/register.sqlite3', "
            "en filsti, eller 'postgresql://bruger@vært:5432/database'."
        ) from None


def resolve_url(url: str | None = None) -> str:
    """The database URL to use: explicit > ``$OMTANKE_REGISTER_URL`` > the default file."""
    chosen = (url or "").strip() or os.environ.get(ENV_URL, "").strip()
    if not chosen:
        return f"sqlite:///{default_path()}"
    if "://" not in chosen:
        if chosen == ":memory:":
            raise RegisterInputError(
                "Registret kan ikke ligge i hukommelsen (':memory:'); angiv en fil."
            )
        return f"sqlite:///{Path(chosen).expanduser().absolute()}"
    parsed = _parse(chosen)
    backend, _, driver = parsed.drivername.partition("+")
    if backend in ("postgresql", "postgres"):
        parsed = parsed.set(drivername=f"postgresql+{driver or 'psycopg'}")
    elif backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise RegisterInputError(
                "Registret kan ikke ligge i hukommelsen; angiv en fil: sqlite:////sti/fil.sqlite3"
            )
    else:
        raise RegisterInputError(
            f"Databasetypen '{backend}' understøttes ikke. Brug SQLite (en fil) eller PostgreSQL."
        )
    return parsed.render_as_string(hide_password=False)


def describe_url(url: str | None = None) -> str:
    """The URL for messages and output: the password is never shown."""
    try:
        return _parse(resolve_url(url)).render_as_string(hide_password=True)
    except RegisterInputError:
        return "(ugyldig databaseadresse)"


def _prepare_sqlite_file(database: str) -> None:
    if database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.exists():
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise RegisterDatabaseError(
                f"Mappen til registret kan ikke oprettes: {path.parent} ({exc.strerror})."
            ) from None
    if not path.exists():
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return
        except OSError as exc:
            raise RegisterDatabaseError(
                f"Registerfilen kan ikke oprettes: {path} ({exc.strerror})."
            ) from None
        os.close(fd)
    elif path.is_dir():
        raise RegisterInputError(f"'{path}' er en mappe; angiv en fil til registret.")


def _sqlite_synchronous() -> str:
    value = os.environ.get(ENV_SQLITE_SYNC, "").strip().upper() or "FULL"
    if value not in ("NORMAL", "FULL", "EXTRA"):
        raise RegisterInputError(f"{ENV_SQLITE_SYNC} skal være NORMAL, FULL eller EXTRA.")
    return value


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver must not open transactions on its own: the "begin" hook below does it.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute(f"PRAGMA synchronous = {_sqlite_synchronous()}")
        cur.execute("PRAGMA foreign_keys = ON")
    finally:
        cur.close()


def _sqlite_on_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def create_engine(url: str | None = None) -> Engine:
    """An engine for the register, configured for safe concurrent writes."""
    parsed = _parse(resolve_url(url))
    try:
        if parsed.get_backend_name() == "sqlite":
            if parsed.database:
                _prepare_sqlite_file(parsed.database)
            engine = sa.create_engine(
                parsed,
                hide_parameters=True,
                connect_args={"timeout": _SQLITE_BUSY_MS / 1000},
            )
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_on_begin)
            return engine
        return sa.create_engine(parsed, hide_parameters=True, pool_pre_ping=True)
    except NoSuchModuleError:
        raise RegisterInputError(
            f"Databasedriveren til '{parsed.drivername}' findes ikke. Brug 'postgresql://…' "
            "(psycopg 3) eller SQLite."
        ) from None
    except ImportError as exc:
        raise RegisterDatabaseError(
            f"Databasedriveren kan ikke indlæses ({exc.name}); installer 'psycopg[binary]'."
        ) from None


def alembic_config(url: str | None = None) -> Any:
    """A programmatic Alembic configuration pointing at the migrations in this package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", resolve_url(url).replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest migration shipped with this version of Omtanke."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _connect_error(engine: Engine, exc: BaseException) -> RegisterDatabaseError:
    orig = getattr(exc, "orig", None) or exc
    first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    if isinstance(orig, sqlite3.Error):
        first = f"SQLite: {first}"
    where = engine.url.render_as_string(hide_password=True)
    return RegisterDatabaseError(f"Registret kan ikke åbnes ({where}): {first}")


def migrate(url: str | None = None, *, engine: Engine | None = None) -> str:
    """Bring the database to the newest schema (Alembic ``upgrade head``); returns the revision.

    Safe to call every time and from several processes at once: on PostgreSQL an advisory
    lock, on SQLite ``BEGIN IMMEDIATE``, makes the others wait, and they then find nothing to do.
    """
    from alembic import command
    from alembic.util import CommandError

    own = engine is None
    eng = engine if engine is not None else create_engine(url)
    cfg = alembic_config()
    try:
        with eng.execution_options(**{WRITE_OPTION: True}).begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        return head_revision()
    except CommandError:
        raise RegisterDatabaseError(
            "Databasens skema kendes ikke af denne version af omtanke (er den lavet af en "
            "nyere version?). Opdatér omtanke, eller brug en anden database."
        ) from None
    except sa.exc.OperationalError as exc:
        raise _connect_error(eng, exc) from None
    except OSError as exc:
        raise _connect_error(eng, exc) from None
    finally:
        if own:
            eng.dispose()
