"""Shared fixtures of the register tests: the same tests on SQLite and on a real PostgreSQL.

PostgreSQL is started by the test session itself: ``initdb`` into a temporary directory, a
free port on 127.0.0.1, the socket in the same directory, ``pg_ctl start``; one server for
the whole session and a fresh database per test; ``pg_ctl stop -m fast`` afterwards. The
binaries are looked up on PATH and in /usr/lib/postgresql/*/bin (or $OMTANKE_TEST_PG_BIN).
As root (CI), initdb refuses to run, so the server runs as the ``postgres`` system user (or
``nobody``) and owns its directory. Without the binaries the PostgreSQL variants are skipped with a clear message,
except under CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from omtanke.register import Register, migrate

_MISSING = (
    "PostgreSQL-binærerne (initdb, pg_ctl, postgres) findes ikke på PATH eller i "
    "/usr/lib/postgresql/*/bin"
)
_INSTALL = "Installer dem med 'apt-get install -y postgresql'."


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "slow: takes tens of seconds (8 processes × 500 complaints); runs by default, "
        "deselect with -m 'not slow'",
    )


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def find_pg_bin() -> Path | None:
    """The directory with initdb, pg_ctl and postgres, newest version first.

    ``OMTANKE_TEST_PG_BIN=/usr/lib/postgresql/16/bin`` picks a directory (a wrong one counts as
    "absent", which is how the skip / CI-failure path can be tried out).
    """
    names = ("initdb", "pg_ctl", "postgres")
    chosen = os.environ.get("OMTANKE_TEST_PG_BIN", "").strip()
    if chosen:
        d = Path(chosen)
        return d if all((d / name).is_file() for name in names) else None
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    candidates: list[Path] = []
    if initdb and pg_ctl:
        candidates.append(Path(initdb).resolve().parent)

    def version(d: str) -> tuple[int, ...]:
        m = re.search(r"/postgresql/([\d.]+)/", d)
        return tuple(int(x) for x in m.group(1).split(".")) if m else (0,)

    candidates += [
        Path(d) for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    ]
    for d in candidates:
        if all((d / name).is_file() for name in names):
            return d
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    bindir: Path
    root: Path
    port: int
    user: str = "omtanke"
    run_as: pwd.struct_passwd | None = None
    running: bool = False

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL program, as the unprivileged user when we are root."""
        env = {
            "PATH": f"{self.bindir}:/usr/bin:/bin",
            "LANG": "C",
            "LC_ALL": "C",
            "HOME": str(self.root),
        }
        return subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            user=self.run_as.pw_uid if self.run_as else None,
            group=self.run_as.pw_gid if self.run_as else None,
            extra_groups=[] if self.run_as else None,
        )

    def initdb(self) -> None:
        r = self._run(
            "initdb",
            "-D",
            str(self.datadir),
            "-U",
            self.user,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        if r.returncode != 0:
            raise RuntimeError(f"initdb fejlede ({r.returncode}):\n{r.stdout}\n{r.stderr}")

    def start(self) -> None:
        last = ""
        for _attempt in range(3):
            self.port = _free_port()
            opts = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                "-c max_connections=60 -c shared_buffers=32MB "
                # A throwaway server: skip disk flushes. Transactions, locks and crash-safety
                # against a killed client are unaffected; only a power cut could lose data.
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            r = self._run(
                "pg_ctl",
                "-D",
                str(self.datadir),
                "-l",
                str(self.root / "server.log"),
                "-o",
                opts,
                "-w",
                "-t",
                "60",
                "start",
            )
            if r.returncode == 0:
                self.running = True
                return
            log = self.root / "server.log"
            last = r.stdout + r.stderr + (log.read_text(errors="replace") if log.exists() else "")
        raise RuntimeError(f"PostgreSQL kunne ikke starte:\n{last[-3000:]}")

    def stop(self) -> None:
        if self.running:
            self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop", timeout=60)
            self.running = False
        shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, template: str = "template1", name: str | None = None) -> str:
        import psycopg

        name = name or f"omtanke_test_{next(_db_counter)}"
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as conn:
            # Both names are ours, not user input.
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop_database(self, name: str) -> None:
        import psycopg

        with (
            contextlib.suppress(Exception),
            psycopg.connect(
                host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
            ) as conn,
        ):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_db_counter = itertools.count(1)


def _unprivileged_user() -> pwd.struct_passwd:
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("Ingen upriviligeret bruger (postgres/nobody) at køre PostgreSQL som.")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = find_pg_bin()
    if bindir is None:
        if in_ci():
            pytest.fail(f"{_MISSING}; under CI (CI=true) er det en fejl. {_INSTALL}")
        pytest.skip(f"{_MISSING}; PostgreSQL-variant springes over. {_INSTALL}")
    # Not pytest's tmp_path: its parent is mode 0700 and root-owned, which the server's user
    # could not enter. mkdtemp makes a private 0700 directory directly under /tmp.
    root = Path(tempfile.mkdtemp(prefix="omtanke-pg-"))
    run_as = None
    if os.geteuid() == 0:
        run_as = _unprivileged_user()
        os.chown(root, run_as.pw_uid, run_as.pw_gid)
    server = PgServer(bindir=bindir, root=root, port=0, run_as=run_as)
    atexit.register(server.stop)
    try:
        server.initdb()
        server.start()
    except BaseException:
        server.stop()
        raise
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """A database migrated once per session, copied for each test (much faster)."""
    name = pg_server.create_database(name="omtanke_template")
    migrate(pg_server.url(name))
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "register.sqlite3"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of the test: ``sqlite`` or ``postgresql``."""
    return str(request.param)


@pytest.fixture
def empty_db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database (no tables): a SQLite file or a new PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'register.sqlite3'}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database with the register's schema (a copy of a migrated template)."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "register.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.create_database(template=request.getfixturevalue("pg_template"))
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture
def register(db_url: str) -> Iterator[Register]:
    """A register on a fresh database."""
    reg = Register(db_url)
    try:
        yield reg
    finally:
        reg.close()
