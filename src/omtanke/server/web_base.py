"""What every page of the web UI shares: the templates, the layout, request helpers.

See :mod:`omtanke.server.web` for the pages. Everything a user reads is Danish; the
checked text is never logged and never put in a URL.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import anyio.to_thread
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .. import __version__
from ..engine import Engine
from ..errors import ContextError, EmptyTextError, TextTooLongError
from ..register.errors import RegisterDatabaseError
from ..register.service import Register
from .app_state import engine_of, get_register
from .auth import User, user_from_request
from .errors import ApiError
from .web_render import (
    CATEGORY_NAMES,
    CHANNEL_NAMES,
    ENTITY_NAMES,
    INBOX_CATEGORY_NAMES,
    LEVEL_NAMES,
    ROLE_NAMES,
    STATUS_NAMES,
    TRIAGE_VERDICT_TEXTS,
    VERDICT_TEXTS,
    section_anchor,
)
from .web_security import ensure_csrf_cookie, form_csrf_token

__all__ = [
    "TEMPLATE_DIR",
    "TZ",
    "CitationSource",
    "channel_options",
    "citation_sources",
    "context_errors",
    "csrf_failed_page",
    "current_user",
    "engine_of",
    "forbidden_page",
    "form_field",
    "form_text",
    "guidance_available",
    "images_available",
    "login_needed_page",
    "municipality_options",
    "not_found",
    "optional_module",
    "redirect",
    "register_of",
    "render_error",
    "render_page",
    "role_options",
    "secure_headers",
    "text_errors",
]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TZ = ZoneInfo("Europe/Copenhagen")
_NAV_ITEMS = (
    ("/", "Tjek opslag", "check"),
    ("/indbakke", "Indbakke", "inbox"),
    ("/register", "Register", "register"),
    ("/retningslinjer", "Retningslinjer", "guidelines"),
)
#: Content-Security-Policy of every page: nothing from outside, no inline script or style.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_AUDIT_NAMES = {
    "oprettet": "Oprettet",
    "status": "Status ændret",
    "tildelt": "Sagsbehandler",
}


# ---------------------------------------------------------------------------------------------
# Templates


def _local_time(value: datetime) -> str:
    return value.astimezone(TZ).strftime("%d-%m-%Y %H:%M")


def _local_date(value: datetime) -> str:
    return value.astimezone(TZ).strftime("%d-%m-%Y")


def _local_clock(value: datetime) -> str:
    return value.astimezone(TZ).strftime("%H:%M")


def _day(value: date) -> str:
    return value.strftime("%d-%m-%Y")


def _category_list(categories: tuple[str, ...]) -> str:
    return ", ".join(INBOX_CATEGORY_NAMES.get(c, c) for c in categories)


_env = Environment(
    loader=FileSystemLoader(str(TEMPLATE_DIR)),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["section_anchor"] = section_anchor
_env.filters["local_time"] = _local_time
_env.filters["local_date"] = _local_date
_env.filters["local_clock"] = _local_clock
_env.filters["category_list"] = _category_list
_env.filters["day"] = _day
_env.globals.update(
    nav_items=_NAV_ITEMS,
    asset_version=__version__,
    level_names=LEVEL_NAMES,
    verdict_texts=VERDICT_TEXTS,
    triage_verdict_texts=TRIAGE_VERDICT_TEXTS,
    category_names=CATEGORY_NAMES,
    inbox_category_names=INBOX_CATEGORY_NAMES,
    channel_names=CHANNEL_NAMES,
    entity_names=ENTITY_NAMES,
    status_names=STATUS_NAMES,
    audit_names=_AUDIT_NAMES,
)


def render_page(
    request: Request,
    template: str,
    *,
    user: User | None,
    nav: str = "",
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a page with the shared layout, security headers and the CSRF cookie."""
    path = request.url.path
    if request.method == "GET" and request.url.query:
        path += "?" + request.url.query
    body = _env.get_template(template).render(
        user=user,
        nav_active=nav,
        csrf_token=form_csrf_token(request),
        request_path=path,
        **context,
    )
    response = HTMLResponse(body, status_code=status_code)
    secure_headers(response)
    ensure_csrf_cookie(request, response)
    return response


def secure_headers(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"


_ERROR_HEADINGS = {
    400: "Forespørgslen kan ikke læses",
    401: "Log ind",
    403: "Ingen adgang",
    404: "Siden findes ikke",
    405: "Metoden er ikke tilladt",
    409: "Ændringen er ikke mulig",
    413: "For stor forespørgsel",
    422: "Ugyldige oplysninger",
    500: "Der skete en fejl",
    503: "Registret er ikke tilgængeligt",
    504: "Det tog for lang tid",
}


def render_error(request: Request, status_code: int, code: str, message: str) -> Response:
    """The HTML error page (used by the app's error handlers for browser requests)."""
    del code
    user: User | None = None
    try:
        user = user_from_request(request)
    except Exception:  # the error may be the register itself being unavailable
        user = None
    return render_page(
        request,
        "error.html",
        user=user,
        status_code=status_code,
        heading=_ERROR_HEADINGS.get(status_code, "Der skete en fejl"),
        message=message,
    )


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


# ---------------------------------------------------------------------------------------------
# Request helpers


async def current_user(request: Request, *, quiet: bool = False) -> User | None:
    """The logged-in user (a database look-up, run in a worker thread).

    ``quiet``: on a page that needs no log-in, a register that cannot be reached means
    "not logged in" rather than an error page.
    """
    try:
        return await anyio.to_thread.run_sync(user_from_request, request)
    except RegisterDatabaseError:
        if quiet:
            return None
        raise


async def register_of(request: Request) -> Register:
    """The app's register (opened on first use, in a worker thread)."""
    return await anyio.to_thread.run_sync(get_register, request)


def form_field(form: FormData, name: str, limit: int = 1000) -> str:
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    return value[:limit].strip()


def form_text(form: FormData, name: str = "tekst") -> str:
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    # browsers send a textarea's line breaks as CR LF; offsets are shown on the LF form
    return value.replace("\r\n", "\n").replace("\r", "\n")


def forbidden_page(request: Request, user: User, what: str) -> HTMLResponse:
    return render_page(
        request,
        "error.html",
        user=user,
        status_code=403,
        heading="Ingen adgang",
        message=f"Din rolle ({user.role_label}) giver ikke adgang til at {what}.",
    )


def csrf_failed_page(request: Request, user: User | None) -> HTMLResponse:
    return render_page(
        request,
        "error.html",
        user=user,
        status_code=403,
        heading="Formularen er udløbet",
        message=(
            "Formularen kunne ikke godkendes (den er for gammel, eller den kom fra en anden "
            "side). Gå tilbage, genindlæs siden, og prøv igen."
        ),
    )


def municipality_options(engine: Engine, placeholder: str) -> list[tuple[str, str]]:
    return [("", placeholder), *engine.municipalities().items()]


def channel_options() -> list[tuple[str, str]]:
    return list(CHANNEL_NAMES.items())


def role_options() -> list[tuple[str, str]]:
    return [("", "Ikke angivet"), *ROLE_NAMES.items()]


@dataclass(frozen=True, slots=True)
class CitationSource:
    pack: str
    name: str


def citation_sources(engine: Engine) -> dict[str, CitationSource]:
    """Citation source (a pack's ``cite_as``) → the pack to link to and its name."""
    out: dict[str, CitationSource] = {}
    for pid in ["base", *engine.municipalities()]:
        pack = engine.pack(pid)
        out[pack.cite_as] = CitationSource(pid, "Loven" if pid == "base" else pack.name)
    return out


def context_errors(
    engine: Engine, municipality: str, channel: str, role: str | None = None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not municipality:
        errors["felt-kommune"] = "Vælg din kommune."
    else:
        try:
            engine.resolve_municipality(municipality)
        except ContextError as exc:
            errors["felt-kommune"] = str(exc)
    try:
        engine.resolve_channel(channel)
    except ContextError as exc:
        errors["felt-kanal"] = str(exc)
    if role is not None:
        try:
            engine.resolve_role(role)
        except ContextError as exc:
            errors["felt-rolle"] = str(exc)
    return errors


def text_errors(engine: Engine, text: str, empty: str) -> dict[str, str]:
    try:
        engine.validate_text(text)
    except EmptyTextError:
        return {"felt-tekst": empty}
    except TextTooLongError as exc:
        return {"felt-tekst": str(exc)}
    return {}


def optional_module(module: str, *names: str) -> ModuleType | None:
    """An optional part of Omtanke (photos, guidance), if it is installed and complete.

    The names are looked up in the module's ``__all__`` (or its namespace) without touching
    them, so a lazily loaded part (OpenCV for photos) is not imported just to render a form.
    """
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    public = set(getattr(mod, "__all__", ())) | set(vars(mod))
    return mod if all(name in public for name in names) else None


def images_available() -> bool:
    return optional_module("omtanke.images", "ImageInput", "redact_image") is not None


def guidance_available() -> bool:
    return optional_module("omtanke.guidance", "Guide") is not None


def redirect(url: str) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def login_needed_page(request: Request, template: str, nav: str, **context: Any) -> HTMLResponse:
    return render_page(request, template, user=None, nav=nav, status_code=401, **context)
