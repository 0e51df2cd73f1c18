"""The FastAPI app: :func:`create_app` builds one app with the API (``/v1``) and the web UI.

>>> app = create_app(Settings(register_url="/tmp/register.sqlite3"))   # doctest: +SKIP

``app.state`` holds what every request shares:

* ``settings`` — the :class:`~omtanke.server.settings.Settings`;
* ``engine`` — one :class:`~omtanke.engine.Engine`, created once (thread-safe; its packs and
  models are loaded at start-up when ``settings.warm_up``);
* ``guide`` — the :class:`~omtanke.guidance.Guide` (ask, compare), made on first use: get it
  with ``open_guide(app)`` / ``guide_of(request)``;
* ``register`` — the :class:`~omtanke.register.Register`, opened (and migrated) on first use:
  ``None`` until then, so always get it with :func:`get_register` (``open_register(app)``
  outside a request). Blocking: call it from a ``def`` endpoint or a worker thread.

Run it with ``omtanke serve`` (uvicorn), or ``uvicorn --factory omtanke.server.app:create_app``
(settings from ``OMTANKE_*`` variables).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..engine import Engine
from ..register import Register
from .api import extra_schemas
from .api import router as api_router
from .app_state import get_register, open_guide, open_register
from .errors import install_error_handlers
from .limits import GuardMiddleware
from .settings import Settings
from .web import render_error
from .web import router as web_router

__all__ = ["STATIC_DIR", "create_app", "get_register", "open_guide", "open_register"]

STATIC_DIR = Path(__file__).resolve().parent / "static"

logger = logging.getLogger("omtanke.server")

_DESCRIPTION = """\
Omtanke tjekker opslag på sociale medier mod kommunens retningslinjer – lokalt. API'et er et
tyndt lag over samme motor som kommandolinjen.

* `POST /v1/check` tjekker et opslag (intet token).
* `POST /v1/triage` vurderer en borgers besked (token).
* `/v1/register/…` er registret over klager og eskaleringer (token; rollen afgør adgangen).
* `GET /v1/rules`, `GET /v1/policies` viser regler og retningslinjer.
* `GET /v1/ask`, `GET /v1/compare` svarer ud fra retningslinjerne og sammenligner dem.
* `POST /v1/redact-image` laver en renset kopi af et billede (ansigter sløret, metadata væk).

Token: `Authorization: Bearer <token>` (lav et med `omtanke users add NAVN --role ROLLE`).
Fejl har altid formen `{"error": {"code": "…", "message": "…"}}`. Teksten, der tjekkes,
logges aldrig.
"""

_TAGS = [
    {"name": "tjek", "description": "Tjek et opslag før det offentliggøres."},
    {"name": "triage", "description": "Vurdér en besked fra en borger."},
    {"name": "register", "description": "Registret over klager og eskaleringer."},
    {"name": "regler", "description": "Regler og retningslinjer (policy packs)."},
    {"name": "vejledning", "description": "Spørg og sammenlign retningslinjerne."},
    {"name": "drift", "description": "Driftsstatus."},
]


def _warm_up(app: FastAPI) -> None:
    """Load every pack and every detector's model, and build the guidance index, once, so
    no request pays for it."""
    engine: Engine = app.state.engine
    for municipality in engine.municipalities():
        engine.check("Godmorgen fra os alle.", municipality=municipality)
    open_guide(app).topics()


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.engine_limiter = anyio.CapacityLimiter(app.state.settings.engine_threads)
    if app.state.settings.warm_up:
        await anyio.to_thread.run_sync(_warm_up, app)
    try:
        yield
    finally:
        reg: Register | None = app.state.register
        if reg is not None:
            app.state.register = None
            reg.close()


def _add_schemas(app: FastAPI, schemas: dict[str, Any]) -> None:
    """Add component schemas to the generated OpenAPI document (once, when it is built)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            document.setdefault("components", {}).setdefault("schemas", {}).update(schemas)
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: API under ``/v1``, the web UI, ``/static``; settings from the
    environment when none are given (``uvicorn --factory``)."""
    settings = settings if settings is not None else Settings.from_env()
    app = FastAPI(
        title="Omtanke",
        version=__version__,
        description=_DESCRIPTION,
        openapi_tags=_TAGS,
        docs_url=None,  # the interactive pages load scripts from a CDN: not allowed here
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = Engine(settings.pack_paths, max_chars=settings.max_chars)
    app.state.register = None
    app.state.guide = None
    app.state.register_lock = threading.Lock()
    install_error_handlers(app)
    _add_schemas(app, extra_schemas())
    app.include_router(api_router, prefix="/v1")
    app.include_router(web_router)
    # The web UI renders errors of its own pages (HTML); the API's stay JSON.
    app.state.html_error_renderer = render_error
    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(
        GuardMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        owner=app,
    )
    return app
