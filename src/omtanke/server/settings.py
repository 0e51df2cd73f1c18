"""Settings of the HTTP server: :class:`Settings`, read from ``OMTANKE_*`` variables.

============================  =============================================  =================
variable                      meaning                                        default
============================  =============================================  =================
``OMTANKE_HOST``              address to listen on                           ``127.0.0.1``
``OMTANKE_PORT``              port                                           ``8000``
``OMTANKE_WORKERS``           worker processes                               ``1``
``OMTANKE_REGISTER_URL``      the register's database (docs/REGISTER.md)     a SQLite file
``OMTANKE_MAX_BODY_BYTES``    largest request body                           1,000,000 (1 MB)
``OMTANKE_MAX_UPLOAD_BYTES``  largest body with photos (multipart, image/*)  25,000,000
``OMTANKE_REQUEST_TIMEOUT``   time limit per request, in seconds             ``10``
``OMTANKE_MAX_CHARS``         longest text accepted                          50,000 characters
``OMTANKE_PACKS``             extra policy pack folders (``:``-separated)    none
``OMTANKE_ENGINE_THREADS``    checks run at once per worker process          ``2``
``OMTANKE_WARM_UP``           load packs and models at start-up (1/0)        ``1``
============================  =============================================  =================

Stdlib only: ``omtanke --help`` imports this module through ``omtanke.server.cli``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import OmtankeError

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_CHARS",
    "DEFAULT_MAX_UPLOAD_BYTES",
    "DEFAULT_PORT",
    "DEFAULT_REQUEST_TIMEOUT_S",
    "Settings",
    "SettingsError",
]

DEFAULT_PORT = 8000
DEFAULT_MAX_BODY_BYTES = 1_000_000
DEFAULT_MAX_UPLOAD_BYTES = 25_000_000
DEFAULT_REQUEST_TIMEOUT_S = 10.0
#: Same as :data:`omtanke.engine.DEFAULT_MAX_CHARS` (not imported: the engine is heavy).
DEFAULT_MAX_CHARS = 50_000


class SettingsError(OmtankeError):
    """A setting (an ``OMTANKE_*`` variable or a command-line option) cannot be used."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the server needs to know; immutable once the app is built.

    ``register_url`` ``None`` means the register's own default (``$OMTANKE_REGISTER_URL``,
    else a SQLite file in the user's data directory; see docs/REGISTER.md).
    """

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    workers: int = 1
    register_url: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    #: The limit for bodies that carry photos (``multipart/form-data`` or ``image/*``).
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    request_timeout_s: float = DEFAULT_REQUEST_TIMEOUT_S
    max_chars: int = DEFAULT_MAX_CHARS
    pack_paths: tuple[Path, ...] = field(default=())
    #: Checks and triages that run at the same time in one worker process (CPU-bound work:
    #: more threads only contend for the interpreter lock); the others queue in order.
    engine_threads: int = 2
    #: Load the packs and the detectors' models when the app starts, so that the first
    #: request is as fast as the others.
    warm_up: bool = True

    def __post_init__(self) -> None:
        if not self.host.strip():
            raise SettingsError("Adressen (host) må ikke være tom.")
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"Porten skal være mellem 0 og 65535 (fik {self.port}).")
        if self.workers < 1:
            raise SettingsError("Antallet af arbejdsprocesser (workers) skal være mindst 1.")
        if self.max_body_bytes < 1:
            raise SettingsError("Grænsen for forespørgslens størrelse skal være et positivt tal.")
        if self.max_upload_bytes < 1:
            raise SettingsError("Grænsen for uploads (billeder) skal være et positivt tal.")
        if not self.request_timeout_s > 0:
            raise SettingsError("Tidsgrænsen pr. forespørgsel skal være et positivt tal.")
        if self.engine_threads < 1:
            raise SettingsError("Antallet af tråde til tjek (engine_threads) skal være mindst 1.")
        if self.max_chars < 1:
            raise SettingsError("Den største tekstlængde skal være et positivt tal.")

    @property
    def url(self) -> str:
        """Where the server can be reached (for the start-up line)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``OMTANKE_*`` variables (``os.environ`` by default); keyword
        arguments override them (``Settings.from_env(port=0)``)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        if host := env.get("OMTANKE_HOST", "").strip():
            values["host"] = host
        for name, key in (
            ("OMTANKE_PORT", "port"),
            ("OMTANKE_WORKERS", "workers"),
            ("OMTANKE_MAX_BODY_BYTES", "max_body_bytes"),
            ("OMTANKE_MAX_UPLOAD_BYTES", "max_upload_bytes"),
            ("OMTANKE_MAX_CHARS", "max_chars"),
            ("OMTANKE_ENGINE_THREADS", "engine_threads"),
        ):
            if raw := env.get(name, "").strip():
                values[key] = _int(name, raw)
        if raw := env.get("OMTANKE_REQUEST_TIMEOUT", "").strip():
            values["request_timeout_s"] = _float("OMTANKE_REQUEST_TIMEOUT", raw)
        if url := env.get("OMTANKE_REGISTER_URL", "").strip():
            values["register_url"] = url
        if raw := env.get("OMTANKE_PACKS", "").strip():
            values["pack_paths"] = tuple(Path(p) for p in raw.split(os.pathsep) if p.strip())
        if raw := env.get("OMTANKE_WARM_UP", "").strip():
            values["warm_up"] = _bool("OMTANKE_WARM_UP", raw)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def to_env(self) -> dict[str, str]:
        """The ``OMTANKE_*`` variables that give these settings back with :meth:`from_env`
        (``omtanke serve`` passes them to its worker processes)."""
        env = {
            "OMTANKE_HOST": self.host,
            "OMTANKE_PORT": str(self.port),
            "OMTANKE_WORKERS": str(self.workers),
            "OMTANKE_MAX_BODY_BYTES": str(self.max_body_bytes),
            "OMTANKE_MAX_UPLOAD_BYTES": str(self.max_upload_bytes),
            "OMTANKE_REQUEST_TIMEOUT": repr(self.request_timeout_s),
            "OMTANKE_MAX_CHARS": str(self.max_chars),
            "OMTANKE_PACKS": os.pathsep.join(str(p) for p in self.pack_paths),
            "OMTANKE_ENGINE_THREADS": str(self.engine_threads),
            "OMTANKE_WARM_UP": "1" if self.warm_up else "0",
        }
        if self.register_url:
            env["OMTANKE_REGISTER_URL"] = self.register_url
        return env


def _int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} skal være et helt tal (fik '{raw}').") from None


def _float(name: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name} skal være et tal i sekunder (fik '{raw}').") from None


def _bool(name: str, raw: str) -> bool:
    value = raw.lower()
    if value in ("1", "true", "yes", "ja", "on"):
        return True
    if value in ("0", "false", "no", "nej", "off"):
        return False
    raise SettingsError(f"{name} skal være 1 eller 0 (fik '{raw}').")
