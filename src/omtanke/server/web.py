"""The Danish web UI: server-rendered pages over the same engine and register as the API.

==========================================  ========================================  ===================
page                                        what                                      who
==========================================  ========================================  ===================
``GET/POST /``                              check a post, optionally with a photo     everyone
``GET/POST /indbakke``                      triage citizens' messages (Indbakke)      ``triage``
``POST /indbakke/registrer``                register a complaint / escalations        ``register.write``
``GET /register``                           the register, with filters                ``register.read``
``GET /register/{reference}``               one complaint or escalation, audit trail  ``register.read``
``POST /register/{reference}/status``       change its status                         ``register.write``
``POST /register/{reference}/tildel``       assign a case handler                     ``register.assign``
``GET /register/klager.csv``                CSV export (also ``eskaleringer.csv``)    ``register.export``
``GET /retningslinjer``                     the guidelines (Retningslinjer)           everyone
``GET /retningslinjer/{id}``                one guideline, section by section         everyone
``GET/POST /retningslinjer/sog``            ask the guidelines a question             everyone
``GET /retningslinjer/sammenlign``          compare the guidelines on a topic         everyone
``GET /regler/{rule}``                      one rule: what, why, example, instead     everyone
``GET/POST /log-ind``, ``POST /log-ud``     log in with a token, log out              everyone
==========================================  ========================================  ===================

The pages live in this module (check, log-in), :mod:`.web_inbox` (inbox and register) and
:mod:`.web_guidelines` (guidelines, rules, questions); :mod:`.web_base` holds the layout and
helpers, :mod:`.web_render` the highlighting, :mod:`.web_security` the log-in cookie and
CSRF protection, :mod:`.web_images` the photo preview.

Every page works without JavaScript: forms POST and the server renders the result;
``static/app.js`` only adds copy buttons and small conveniences. The checked text is only
ever sent in a POST body, is never put in a URL and never logged. Pages that show a text
are sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from fastapi import APIRouter
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..errors import ImageError
from ..model import Level, Report
from .auth import User, authenticate_token
from .limits import run_limited
from .web_base import (
    channel_options,
    citation_sources,
    context_errors,
    csrf_failed_page,
    current_user,
    engine_of,
    form_field,
    form_text,
    images_available,
    municipality_options,
    redirect,
    register_of,
    render_error,
    render_page,
    role_options,
    text_errors,
)
from .web_guidelines import router as guidelines_router
from .web_images import ImageView, image_view
from .web_inbox import router as inbox_router
from .web_render import CHANNEL_NAMES, highlight_segments
from .web_security import CSRF_FIELD, clear_login_cookie, csrf_valid, safe_next, set_login_cookie

__all__ = ["render_error", "router"]

router = APIRouter(include_in_schema=False)

# ---------------------------------------------------------------------------------------------
# Check (Tjek opslag)


@dataclass(slots=True)
class _CheckForm:
    kommune: str = ""
    kanal: str = "private_profile"
    rolle: str = ""
    offentligt_arrangement: bool = False
    tekst: str = ""


def _check_page(
    request: Request,
    user: User | None,
    form: _CheckForm,
    *,
    errors: Mapping[str, str] | None = None,
    report: Report | None = None,
    status_code: int = 200,
    extra: Mapping[str, Any] | None = None,
) -> HTMLResponse:
    engine = engine_of(request)
    context: dict[str, Any] = {
        "form": form,
        "errors": dict(errors or {}),
        "report": report,
        "municipality_options": municipality_options(engine, "Vælg din kommune"),
        "channel_options": channel_options(),
        "role_options": role_options(),
        "max_chars": engine.max_chars,
        "images_available": images_available(),
        "max_upload_bytes": request.app.state.settings.max_body_bytes,
        "images": [],
    }
    if report is not None:
        ctx = engine.make_context(form.kommune, form.kanal, form.rolle or None)
        pack = engine.pack(ctx.municipality)
        count = len(report.findings)
        context.update(
            text=form.tekst,
            context=ctx,
            segments=highlight_segments(form.tekst, report.findings),
            text_marked=any(f.image is None and f.spans for f in report.findings),
            text_verdict=max(
                (f.severity for f in report.findings if f.image is None), default=Level.OK
            ).id,
            sources=citation_sources(engine),
            policy_name=pack.name,
            verdict_detail=(
                f"{count} fund · {pack.name} · {CHANNEL_NAMES[ctx.channel]}"
                if count
                else f"{pack.name} · {CHANNEL_NAMES[ctx.channel]}"
            ),
        )
    context.update(extra or {})
    return render_page(
        request, "check.html", user=user, nav="check", status_code=status_code, **context
    )


@router.get("/", response_class=HTMLResponse)
async def check_page(request: Request) -> Response:
    user = await current_user(request, quiet=True)
    return _check_page(request, user, _CheckForm())


@router.post("/", response_class=HTMLResponse)
async def check_submit(request: Request) -> Response:
    form_data = await request.form()
    user = await current_user(request, quiet=True)
    engine = engine_of(request)
    form = _CheckForm(
        kommune=form_field(form_data, "kommune", 100),
        kanal=form_field(form_data, "kanal", 100) or "private_profile",
        rolle=form_field(form_data, "rolle", 100),
        offentligt_arrangement=bool(form_field(form_data, "offentligt_arrangement", 10)),
        tekst=form_text(form_data),
    )
    photo = await _upload(form_data, "billede") if images_available() else None
    errors = context_errors(engine, form.kommune, form.kanal, form.rolle or None)
    if photo is None or form.tekst.strip():
        errors.update(
            text_errors(engine, form.tekst, "Skriv eller indsæt det opslag, du vil tjekke.")
        )
    if errors:
        return _check_page(request, user, form, errors=errors, status_code=422)
    ctx = engine.make_context(
        form.kommune, form.kanal, form.rolle or None, form.offentligt_arrangement
    )
    if photo is None:
        report = await run_limited(request, engine.check, form.tekst, ctx)
        return _check_page(request, user, form, report=report)

    data, name = photo

    def check_with_photo() -> tuple[Report, list[ImageView]]:
        from ..images import ImageInput

        report = engine.check(form.tekst, ctx, images=[ImageInput(data, name)])
        views = [image_view(data, name, summary, report.findings) for summary in report.images]
        return report, views

    try:
        report, views = await run_limited(request, check_with_photo)
    except ImageError as exc:
        return _check_page(request, user, form, errors={"felt-billede": str(exc)}, status_code=422)
    return _check_page(request, user, form, report=report, extra={"images": views})


async def _upload(form: FormData, name: str) -> tuple[bytes, str] | None:
    """The bytes and file name of an uploaded file; ``None`` when no file was chosen."""
    upload = form.get(name)
    if upload is None or isinstance(upload, str):
        return None
    data = await upload.read()
    if not data and not upload.filename:
        return None
    filename = (upload.filename or "billede").replace("\\", "/").rsplit("/", 1)[-1][:200]
    return data, filename or "billede"


# ---------------------------------------------------------------------------------------------
# Log in and out


@router.get("/log-ind", response_class=HTMLResponse)
async def login_page(request: Request) -> Response:
    user = await current_user(request, quiet=True)
    next_path = safe_next(request.query_params.get("neste"), "/indbakke")
    return render_page(request, "login.html", user=user, next_path=next_path, error=None)


@router.post("/log-ind", response_class=HTMLResponse)
async def login_submit(request: Request) -> Response:
    form_data = await request.form()
    next_path = safe_next(form_field(form_data, "neste", 500), "/indbakke")
    if not csrf_valid(request, form_field(form_data, CSRF_FIELD, 200)):
        return csrf_failed_page(request, None)
    token = form_field(form_data, "token", 300)
    user: User | None = None
    if token:
        reg = await register_of(request)
        user = await anyio.to_thread.run_sync(authenticate_token, token, reg)
    if user is None:
        error = (
            "Tokenet blev ikke genkendt. Tjek, at du har kopieret det hele."
            if token
            else "Indsæt dit token."
        )
        return render_page(
            request,
            "login.html",
            user=None,
            status_code=401,
            next_path=next_path,
            error=error,
        )
    response = redirect(next_path)
    set_login_cookie(request, response, token)
    return response


@router.post("/log-ud")
async def logout_submit(request: Request) -> Response:
    form_data = await request.form()
    if not csrf_valid(request, form_field(form_data, CSRF_FIELD, 200)):
        user = await current_user(request, quiet=True)
        return csrf_failed_page(request, user)
    response = redirect("/")
    clear_login_cookie(request, response)
    return response


router.include_router(inbox_router)
router.include_router(guidelines_router)
