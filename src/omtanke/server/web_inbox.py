"""The inbox (triage of citizens' messages, one click to register) and the register pages."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import APIRouter
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..engine import Engine
from ..model import CheckContext, TriageReport
from ..register.errors import InvalidTransitionError, RegisterInputError, UnknownReferenceError
from ..register.intake import ESCALATION_CATEGORIES, register_triaged
from ..register.service import (
    TRANSITIONS,
    ComplaintRecord,
    EscalationRecord,
    Register,
    RegisterFilter,
)
from .auth import User, allowed
from .errors import ApiError
from .limits import run_limited
from .web_base import (
    TZ,
    channel_options,
    citation_sources,
    context_errors,
    csrf_failed_page,
    current_user,
    engine_of,
    forbidden_page,
    form_field,
    form_text,
    login_needed_page,
    municipality_options,
    not_found,
    redirect,
    register_of,
    render_page,
    secure_headers,
    text_errors,
)
from .web_render import CHANNEL_NAMES, INBOX_CATEGORY_NAMES, STATUS_NAMES, highlight_segments
from .web_security import CSRF_FIELD, csrf_valid, safe_next

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_REFERENCE_RE = re.compile(r"^[A-Z]{2,8}-\d{4}-E?\d{5,}$")
_MESSAGE_SEPARATOR = re.compile(r"^\s*-{3,}\s*$", re.MULTILINE)
_MAX_MESSAGES = 20
_MAX_URL = 2000
_NOTICES = {
    "status": "Status er ændret.",
    "tildelt": "Sagsbehandleren er ændret.",
}

# ---------------------------------------------------------------------------------------------
# Inbox (Indbakke)


@dataclass(slots=True)
class _InboxForm:
    kommune: str = ""
    kanal: str = "official_page"
    modtaget: str = ""
    kilde: str = ""
    tekst: str = ""


@dataclass(slots=True)
class _InboxItem:
    number: int
    text: str
    report: TriageReport
    segments: list[Any]
    registrable: bool
    register_note: str
    detail: str


@dataclass(slots=True)
class _Registered:
    type: str
    reference: str
    kind: str = ""
    deadline: str = ""
    duplicate: bool = False


def _read_inbox_form(form_data: FormData) -> _InboxForm:
    return _InboxForm(
        kommune=form_field(form_data, "kommune", 100),
        kanal=form_field(form_data, "kanal", 100) or "official_page",
        modtaget=form_field(form_data, "modtaget", 40),
        kilde=form_field(form_data, "kilde", _MAX_URL + 1),
        tekst=form_text(form_data),
    )


def _received_at(value: str) -> datetime | None:
    """A ``datetime-local`` value (Danish time) → an aware datetime; ``None`` if empty."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=TZ)


def _inbox_errors(engine: Engine, form: _InboxForm) -> dict[str, str]:
    errors = context_errors(engine, form.kommune, form.kanal)
    if form.modtaget:
        try:
            _received_at(form.modtaget)
        except ValueError:
            errors["felt-modtaget"] = "Modtaget skal være en dato og et klokkeslæt."
    if form.kilde:
        if len(form.kilde) > _MAX_URL:
            errors["felt-kilde"] = f"Linket er for langt (højst {_MAX_URL} tegn)."
        elif not re.match(r"^https?://\S+$", form.kilde, re.IGNORECASE):
            errors["felt-kilde"] = "Linket skal begynde med http:// eller https://."
    return errors


def _split_messages(text: str) -> list[str]:
    return [part.strip("\n") for part in _MESSAGE_SEPARATOR.split(text) if part.strip()]


def _register_note(categories: tuple[str, ...]) -> tuple[bool, str]:
    complaint = "complaint" in categories
    kinds = [INBOX_CATEGORY_NAMES[k].lower() for k in ESCALATION_CATEGORIES if k in categories]
    if not complaint and not kinds:
        return False, ""
    parts = []
    if complaint:
        parts.append("klagen registreres med referencenummer og frist")
    if kinds:
        parts.append("beskeden registreres som eskalering (" + ", ".join(kinds) + ")")
    note = " og ".join(parts)
    return True, note[0].upper() + note[1:] + ". Kun maskeret tekst gemmes."


def _inbox_page(
    request: Request,
    user: User | None,
    *,
    form: _InboxForm | None = None,
    errors: Mapping[str, str] | None = None,
    results: list[_InboxItem] | None = None,
    registered: list[_Registered] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    engine = engine_of(request)
    return render_page(
        request,
        "inbox.html",
        user=user,
        nav="inbox",
        status_code=status_code,
        form=form or _InboxForm(),
        errors=dict(errors or {}),
        results=results or [],
        registered=registered or [],
        can_triage=allowed(user, "triage"),
        can_register=allowed(user, "register.write"),
        municipality_options=municipality_options(engine, "Vælg kommune"),
        channel_options=channel_options(),
        sources=citation_sources(engine),
    )


def _inbox_context(engine: Engine, form: _InboxForm) -> CheckContext:
    ctx = engine.make_context(form.kommune, form.kanal, kind="inbox")
    received = _received_at(form.modtaget)
    return CheckContext(ctx.municipality, ctx.channel, None, False, "inbox", received)


def _triage_all(engine: Engine, form: _InboxForm, messages: list[str]) -> list[_InboxItem]:
    context = _inbox_context(engine, form)
    items: list[_InboxItem] = []
    for number, text in enumerate(messages, start=1):
        report = engine.triage(text, context)
        registrable, note = _register_note(report.categories)
        names = [INBOX_CATEGORY_NAMES.get(c, c) for c in report.categories]
        items.append(
            _InboxItem(
                number=number,
                text=text,
                report=report,
                segments=highlight_segments(text, report.findings),
                registrable=registrable,
                register_note=note,
                detail=", ".join(names) if names else "Ingen kategorier",
            )
        )
    return items


@router.get("/indbakke", response_class=HTMLResponse)
async def inbox_page(request: Request) -> Response:
    user = await current_user(request)
    registered: list[_Registered] = []
    refs = [r for r in request.query_params.getlist("registreret") if _REFERENCE_RE.match(r)]
    if refs and allowed(user, "register.read"):
        reg = await register_of(request)
        for ref in refs[:10]:
            try:
                rec = await run_limited(request, reg.get, ref)
            except UnknownReferenceError:
                continue
            registered.append(_registered_row(rec))
    elif refs and user is not None:
        registered = [_Registered("escalation" if "-E" in r else "complaint", r) for r in refs]
    status_code = 200 if user is not None else 401
    # after registering, the next message is likely from the same page
    engine = engine_of(request)
    form = _InboxForm()
    if request.query_params.get("kommune", "") in engine.municipalities():
        form.kommune = request.query_params["kommune"]
    if request.query_params.get("kanal", "") in CHANNEL_NAMES:
        form.kanal = request.query_params["kanal"]
    return _inbox_page(request, user, form=form, registered=registered, status_code=status_code)


def _registered_row(rec: ComplaintRecord | EscalationRecord) -> _Registered:
    if isinstance(rec, ComplaintRecord):
        return _Registered("complaint", rec.reference, deadline=rec.deadline.strftime("%d-%m-%Y"))
    return _Registered("escalation", rec.reference, kind=rec.kind)


@router.post("/indbakke", response_class=HTMLResponse)
async def inbox_submit(request: Request) -> Response:
    form_data = await request.form()
    user = await current_user(request)
    if user is None:
        return _inbox_page(request, None, status_code=401)
    if not allowed(user, "triage"):
        return forbidden_page(request, user, "vurdere beskeder")
    if not csrf_valid(request, form_field(form_data, CSRF_FIELD, 200)):
        return csrf_failed_page(request, user)
    engine = engine_of(request)
    form = _read_inbox_form(form_data)
    errors = _inbox_errors(engine, form)
    messages = _split_messages(form.tekst)
    if not messages:
        errors["felt-tekst"] = "Indsæt den besked, du vil have vurderet."
    elif len(messages) > _MAX_MESSAGES:
        errors["felt-tekst"] = f"Højst {_MAX_MESSAGES} beskeder ad gangen."
    else:
        for text in messages:
            errors.update(text_errors(engine, text, "En af beskederne er tom."))
    if errors:
        return _inbox_page(request, user, form=form, errors=errors, status_code=422)
    results = await run_limited(request, _triage_all, engine, form, messages)
    return _inbox_page(request, user, form=form, results=results)


@router.post("/indbakke/registrer", response_class=HTMLResponse)
async def inbox_register(request: Request) -> Response:
    form_data = await request.form()
    user = await current_user(request)
    if user is None:
        return _inbox_page(request, None, status_code=401)
    if not allowed(user, "register.write"):
        return forbidden_page(request, user, "registrere klager og eskaleringer")
    if not csrf_valid(request, form_field(form_data, CSRF_FIELD, 200)):
        return csrf_failed_page(request, user)
    engine = engine_of(request)
    form = _read_inbox_form(form_data)
    errors = _inbox_errors(engine, form)
    errors.update(text_errors(engine, form.tekst, "Beskeden, der skulle registreres, er tom."))
    if errors:
        return _inbox_page(request, user, form=form, errors=errors, status_code=422)
    context = _inbox_context(engine, form)
    report = await run_limited(request, engine.triage, form.tekst, context)
    reg = await register_of(request)
    try:
        # a write that has begun is allowed to finish (never a half-registered complaint)
        records = await anyio.to_thread.run_sync(
            lambda: register_triaged(
                reg, form.tekst, report, context, source_url=form.kilde or None, actor=user.name
            )
        )
    except RegisterInputError as exc:
        return _inbox_page(request, user, form=form, errors={"register": str(exc)}, status_code=422)
    if not records:
        return _inbox_page(
            request,
            user,
            form=form,
            errors={"register": "Intet at registrere: beskeden er ikke en klage eller eskalering."},
            status_code=422,
        )
    query = urlencode(
        [("registreret", row["reference"]) for row in records]
        + [("kommune", context.municipality), ("kanal", context.channel)]
    )
    return redirect(f"/indbakke?{query}#registreret")


# ---------------------------------------------------------------------------------------------
# Register


@dataclass(slots=True)
class _Filters:
    status: str = ""
    kategori: str = ""
    kommune: str = ""
    fra: str = ""
    til: str = ""
    overskredet: bool = False
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(
            self.status or self.kategori or self.kommune or self.fra or self.til or self.overskredet
        )

    def query(self) -> str:
        pairs = [
            (k, v)
            for k, v in (
                ("status", self.status),
                ("kategori", self.kategori),
                ("kommune", self.kommune),
                ("fra", self.fra),
                ("til", self.til),
                ("overskredet", "ja" if self.overskredet else ""),
            )
            if v
        ]
        return "?" + urlencode(pairs) if pairs else ""


def _parse_filters(request: Request, engine: Engine) -> tuple[_Filters, RegisterFilter]:
    q = request.query_params
    f = _Filters(
        status=q.get("status", "")[:40],
        kategori=q.get("kategori", "")[:40],
        kommune=q.get("kommune", "")[:40],
        fra=q.get("fra", "")[:20],
        til=q.get("til", "")[:20],
        overskredet=bool(q.get("overskredet")),
    )
    if f.status and f.status not in STATUS_NAMES:
        f.errors["felt-status"] = "Ukendt status."
    if f.kategori and f.kategori not in INBOX_CATEGORY_NAMES:
        f.errors["felt-kategori"] = "Ukendt kategori."
    if f.kommune and f.kommune not in engine.municipalities():
        f.errors["felt-kommune"] = "Ukendt kommune."
    dates: dict[str, date | None] = {"fra": None, "til": None}
    for key in ("fra", "til"):
        raw = getattr(f, key)
        if raw:
            try:
                dates[key] = date.fromisoformat(raw)
            except ValueError:
                f.errors[f"felt-{key}"] = "Datoen skal skrives som ÅÅÅÅ-MM-DD."
    if dates["fra"] and dates["til"] and dates["fra"] > dates["til"]:
        f.errors["felt-til"] = "Til-datoen ligger før fra-datoen."
    if f.errors:
        return f, RegisterFilter()
    return f, RegisterFilter(
        status=f.status or None,
        category=f.kategori or None,
        municipality=f.kommune or None,
        received_from=dates["fra"],
        received_to=dates["til"],
        overdue=f.overskredet,
    )


def _register_context(user: User) -> dict[str, Any]:
    return {
        "can_read": allowed(user, "register.read"),
        "can_write": allowed(user, "register.write"),
        "can_assign": allowed(user, "register.assign"),
        "can_export": allowed(user, "register.export"),
        "transitions": TRANSITIONS,
        "today": datetime.now(TZ).date(),
    }


@router.get("/register", response_class=HTMLResponse)
async def register_page(request: Request) -> Response:
    user = await current_user(request)
    if user is None:
        return login_needed_page(request, "register.html", "register")
    if not allowed(user, "register.read"):
        return render_page(
            request, "register.html", user=user, nav="register", status_code=403, can_read=False
        )
    engine = engine_of(request)
    filters, flt = _parse_filters(request, engine)
    complaints: list[ComplaintRecord] = []
    escalations: list[EscalationRecord] = []
    errors = dict(filters.errors)
    if not errors:
        reg = await register_of(request)
        complaints = await run_limited(request, reg.list_complaints, flt)
        if not flt.overdue:
            escalations = await run_limited(request, reg.list_escalations, flt)
    context = _register_context(user)
    today = context["today"]
    municipalities = engine.municipalities()
    notice = _NOTICES.get(request.query_params.get("besked", ""), "")
    return render_page(
        request,
        "register.html",
        user=user,
        nav="register",
        status_code=422 if errors else 200,
        errors=errors,
        notice=notice,
        filters=filters,
        filtered=filters.active,
        complaints=complaints,
        escalations=escalations,
        overdue_count=sum(1 for c in complaints if c.is_overdue(today)),
        export_query=filters.query(),
        back="/register" + filters.query(),
        municipality_names=municipalities,
        status_options=[("", "Alle"), *STATUS_NAMES.items()],
        category_options=[("", "Alle"), *INBOX_CATEGORY_NAMES.items()],
        municipality_filter_options=[("", "Alle"), *municipalities.items()],
        **context,
    )


async def _csv(request: Request, escalations: bool) -> Response:
    user = await current_user(request)
    if user is None:
        return login_needed_page(request, "register.html", "register")
    if not allowed(user, "register.export"):
        return forbidden_page(request, user, "eksportere registret")
    filters, flt = _parse_filters(request, engine_of(request))
    if filters.errors:
        raise ApiError(422, "invalid_register_input", " ".join(filters.errors.values()))
    if escalations and flt.overdue:
        raise ApiError(
            422,
            "invalid_register_input",
            "Eskaleringer har ingen frist; filtret 'overskredet' gælder klager.",
        )
    reg = await register_of(request)

    def export() -> str:
        buffer = io.StringIO(newline="")
        reg.export_csv(buffer, flt, escalations=escalations)
        return buffer.getvalue()

    body = await run_limited(request, export)
    name = "eskaleringer" if escalations else "klager"
    stamp = datetime.now(TZ).strftime("%Y-%m-%d")
    response = Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}-{stamp}.csv"'},
    )
    secure_headers(response)
    return response


@router.get("/register/klager.csv")
async def register_csv_complaints(request: Request) -> Response:
    return await _csv(request, escalations=False)


@router.get("/register/eskaleringer.csv")
async def register_csv_escalations(request: Request) -> Response:
    return await _csv(request, escalations=True)


async def _detail(
    request: Request,
    user: User,
    reference: str,
    *,
    errors: Mapping[str, str] | None = None,
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    if not _REFERENCE_RE.match(reference):
        raise not_found(f"Referencenummeret '{reference[:40]}' findes ikke.")
    reg = await register_of(request)
    try:
        rec = await run_limited(request, reg.get, reference)
    except (UnknownReferenceError, RegisterInputError):
        raise not_found(f"Referencenummeret '{reference}' findes ikke.") from None
    trail = await run_limited(request, reg.audit_trail, rec.reference)
    context = _register_context(user)
    is_complaint = isinstance(rec, ComplaintRecord)
    return render_page(
        request,
        "register_detail.html",
        user=user,
        nav="register",
        status_code=status_code,
        rec=rec,
        is_complaint=is_complaint,
        overdue=isinstance(rec, ComplaintRecord) and rec.is_overdue(context["today"]),
        trail=trail,
        errors=dict(errors or {}),
        notice=notice,
        back=f"/register/{rec.reference}",
        municipality_names=engine_of(request).municipalities(),
        **context,
    )


@router.get("/register/{reference}", response_class=HTMLResponse)
async def register_detail(request: Request, reference: str) -> Response:
    user = await current_user(request)
    if user is None:
        return login_needed_page(request, "register.html", "register")
    if not allowed(user, "register.read"):
        return forbidden_page(request, user, "se registret")
    notice = _NOTICES.get(request.query_params.get("besked", ""), "")
    return await _detail(request, user, reference, notice=notice)


async def _change(
    request: Request,
    reference: str,
    permission: str,
    what: str,
    action: Callable[[Register, FormData, User], object],
    notice: str,
) -> Response:
    form_data = await request.form()
    user = await current_user(request)
    if user is None:
        return login_needed_page(request, "register.html", "register")
    if not allowed(user, permission):
        return forbidden_page(request, user, what)
    if not csrf_valid(request, form_field(form_data, CSRF_FIELD, 200)):
        return csrf_failed_page(request, user)
    if not _REFERENCE_RE.match(reference):
        raise not_found(f"Referencenummeret '{reference[:40]}' findes ikke.")
    reg = await register_of(request)
    try:
        await anyio.to_thread.run_sync(lambda: action(reg, form_data, user))
    except UnknownReferenceError:
        raise not_found(f"Referencenummeret '{reference}' findes ikke.") from None
    except InvalidTransitionError as exc:
        return await _detail(request, user, reference, errors={"status": str(exc)}, status_code=409)
    except RegisterInputError as exc:
        return await _detail(request, user, reference, errors={"input": str(exc)}, status_code=422)
    back = safe_next(form_field(form_data, "tilbage", 500), f"/register/{reference}")
    separator = "&" if "?" in back else "?"
    return redirect(f"{back}{separator}besked={notice}")


@router.post("/register/{reference}/status")
async def register_set_status(request: Request, reference: str) -> Response:
    def action(reg: Register, form: FormData, user: User) -> object:
        note = form_field(form, "notat", 500)
        return reg.set_status(reference, form_field(form, "status", 40), actor=user.name, note=note)

    return await _change(
        request, reference, "register.write", "ændre status i registret", action, "status"
    )


@router.post("/register/{reference}/tildel")
async def register_assign(request: Request, reference: str) -> Response:
    def action(reg: Register, form: FormData, user: User) -> object:
        name = form_field(form, "sagsbehandler", 200)
        return reg.assign(reference, name or None, actor=user.name)

    return await _change(
        request, reference, "register.assign", "tildele sagsbehandlere", action, "tildelt"
    )
