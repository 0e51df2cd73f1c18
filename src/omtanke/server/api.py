"""The JSON API under ``/v1``: a thin layer over the engine, the pack loader and the register.

Nothing here checks, triages or registers by itself: ``Engine.check``, ``Engine.triage``,
the loaded packs, :func:`omtanke.register.intake.register_triaged` and :class:`Register` do
the work; this module validates the request, checks the user's permission, runs the work
under the time limit (:func:`~omtanke.server.limits.run_limited`) and shapes the answer.
See docs/API.md.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import anyio.to_thread
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..engine import Engine
from ..errors import ContextError, EncodingError
from ..model import CheckContext, Report, TriageReport
from ..packs.schema import Example, Pack, Rule
from ..register import Register, RegisterFilter
from ..register.intake import register_triaged
from .app_state import engine_of, guide_of, open_register
from .auth import User, allowed, token_from_request, user_from_request
from .errors import ApiError, validation_message
from .limits import run_limited
from .schemas import (
    AnswerResponse,
    AssignRequest,
    CheckForm,
    CheckRequest,
    CheckResponse,
    ComparisonResponse,
    ComplaintList,
    ErrorResponse,
    EscalationList,
    HealthResponse,
    PolicyList,
    PolicyModel,
    RecordResponse,
    RegisterRequest,
    RegisterResponse,
    RuleDetail,
    RuleList,
    StatusRequest,
    TopicList,
    TriageRequest,
    TriageResponse,
)

if TYPE_CHECKING:
    from ..images import ImageInput

__all__ = ["MAX_IMAGES", "extra_schemas", "router"]

M = TypeVar("M", bound=BaseModel)

router = APIRouter()

_bearer = HTTPBearer(
    auto_error=False,
    description="Token fra `omtanke users add NAVN --role ROLLE` (eller cookien omtanke_token).",
)

#: What each permission lets a user do, in Danish (for 403 messages).
_PERMISSION_TEXT = {
    "triage": "vurdere borgeres beskeder",
    "register.read": "se registret",
    "register.write": "registrere i registret eller ændre status",
    "register.assign": "tildele sagsbehandlere",
    "register.export": "eksportere registret",
}


def _err(description: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description}


_INPUT_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _err("Indholdet er ikke gyldig JSON eller UTF-8 (invalid_json, invalid_encoding)."),
    413: _err("Forespørgslen er større end grænsen (body_too_large)."),
    422: _err(
        "Ugyldig forespørgsel, tom tekst, for lang tekst, ukendt kommune, kanal eller rolle."
    ),
    504: _err("Tidsgrænsen blev overskredet (timeout)."),
}
_BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _INPUT_ERRORS[400],
    413: _INPUT_ERRORS[413],
}
_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _err("Intet eller ukendt token (unauthenticated)."),
    403: _err("Rollen giver ikke adgang (forbidden)."),
}
_REGISTER_ERRORS: dict[int | str, dict[str, Any]] = {
    **_AUTH_ERRORS,
    422: _err("Ugyldig værdi (fx ukendt status, kategori eller dato)."),
    503: _err("Registrets database kan ikke nås (register_unavailable)."),
    504: _err("Tidsgrænsen blev overskredet (timeout)."),
}


def require(permission: str) -> Any:
    """A dependency that returns the user, or answers 401/403 (Danish message)."""
    if permission not in _PERMISSION_TEXT:
        raise ValueError(permission)

    def dependency(
        request: Request,
        _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> User:
        user = user_from_request(request)
        if user is None:
            if token_from_request(request) is None:
                message = (
                    "Dette kræver et token: send 'Authorization: Bearer <token>'. "
                    "Få et af en administrator ('omtanke users add')."
                )
            else:
                message = "Tokenet er ukendt eller fjernet. Få et nyt af en administrator."
            raise ApiError(401, "unauthenticated", message, {"WWW-Authenticate": "Bearer"})
        if not allowed(user, permission):
            raise ApiError(
                403,
                "forbidden",
                f"Som {user.role_label} må du ikke {_PERMISSION_TEXT[permission]}.",
            )
        return user

    return dependency


TriageUser = Annotated[User, Depends(require("triage"))]
ReaderUser = Annotated[User, Depends(require("register.read"))]
WriterUser = Annotated[User, Depends(require("register.write"))]
AssignerUser = Annotated[User, Depends(require("register.assign"))]
ExporterUser = Annotated[User, Depends(require("register.export"))]


# -- check and triage ------------------------------------------------------------------------


#: The most photos one check takes.
MAX_IMAGES = 10
_JSON_TYPES = ("application/json",)
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _invalid(exc: ValidationError) -> ApiError:
    errors = [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors()]
    code, message = validation_message(errors)
    return ApiError(400 if code == "invalid_json" else 422, code, message)


async def _json_body(request: Request, model: type[M]) -> M:
    """Parse and validate a JSON body by hand (for endpoints that also take other types)."""
    kind = _content_type(request)
    if kind and kind not in _JSON_TYPES and not kind.endswith("+json"):
        raise ApiError(
            415,
            "unsupported_media_type",
            "Indholdet skal sendes som JSON (Content-Type: application/json) eller som en "
            "formular (multipart/form-data, med billeder).",
        )
    raw = await request.body()
    if not raw.strip():
        raise ApiError(
            422,
            "invalid_request",
            "Forespørgslen er ugyldig: indholdet mangler (send et JSON-objekt).",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EncodingError("Indholdet") from None
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        raise _invalid(exc) from None


async def _check_form(request: Request) -> tuple[CheckRequest, list[ImageInput], bool]:
    """A form (``multipart/form-data``, or urlencoded without photos): the fields of
    :class:`CheckRequest`, ``ocr`` and ``images``."""
    from ..images import ImageInput

    try:
        form = await request.form(max_files=MAX_IMAGES, max_fields=20)
    except StarletteHTTPException:
        raise ApiError(
            422,
            "invalid_request",
            f"Formularen kan ikke læses. Send højst {MAX_IMAGES} billeder i feltet 'images' "
            "og felterne text, municipality, channel, role, public_event og ocr som tekst.",
        ) from None
    try:
        fields: dict[str, Any] = {}
        images: list[ImageInput] = []
        ocr = True
        for key, value in form.multi_items():
            if key == "images":
                if isinstance(value, str):
                    raise ApiError(
                        422, "invalid_request", "Feltet 'images' skal indeholde filer (billeder)."
                    )
                data = await value.read()
                images.append(ImageInput(data, value.filename or f"billede {len(images) + 1}"))
            elif isinstance(value, str):
                if key == "ocr":
                    ocr = value.strip().lower() not in ("0", "false", "nej", "off", "no")
                else:
                    fields[key] = value
            else:
                raise ApiError(422, "invalid_request", "Kun feltet 'images' må indeholde filer.")
    finally:
        await form.close()
    fields.setdefault("text", "")
    if fields.get("role") == "":
        fields.pop("role")
    try:
        body = CheckRequest.model_validate(fields)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return body, images, ocr


def _check(
    engine: Engine, body: CheckRequest, images: Sequence[ImageInput] = (), ocr: bool = True
) -> Report:
    if images:
        return engine.check(
            body.text,
            municipality=body.municipality,
            channel=body.channel,
            role=body.role,
            public_event=body.public_event,
            images=images,
            ocr=ocr,
        )
    return engine.check(
        body.text,
        municipality=body.municipality,
        channel=body.channel,
        role=body.role,
        public_event=body.public_event,
    )


#: Models the OpenAPI schema needs that no endpoint declares as a parameter (``/v1/check``
#: parses its body by hand, as JSON or as a form): added by :func:`extra_schemas`.
_BY_HAND: tuple[type[BaseModel], ...] = (CheckRequest, CheckForm)


def extra_schemas() -> dict[str, Any]:
    """Component schemas to add to the OpenAPI document (see ``create_app``)."""
    return {
        m.__name__: m.model_json_schema(ref_template="#/components/schemas/{model}")
        for m in _BY_HAND
    }


_CHECK_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/CheckRequest"}},
            "multipart/form-data": {"schema": {"$ref": "#/components/schemas/CheckForm"}},
            "application/x-www-form-urlencoded": {
                "schema": {"$ref": "#/components/schemas/CheckRequest"}
            },
        },
    }
}


@router.post(
    "/check",
    response_model=CheckResponse,
    tags=["tjek"],
    summary="Tjek et opslag",
    description="Tjekker et opslag mod kommunens retningslinje: vurdering (ok < advice < "
    "warning < stop), fund med tekststeder og citater, personoplysninger og et omskrevet "
    "forslag. Som JSON, eller som multipart/form-data med billeder i feltet `images` "
    f"(JPEG eller PNG, højst {MAX_IMAGES}): ansigter, GPS og andre metadata, og tekst i "
    "billedet (OCR). Kræver intet token. Teksten logges aldrig og gemmes ikke.",
    responses={
        **_INPUT_ERRORS,
        415: _err("Indholdet er hverken JSON eller en formular."),
        422: _err(
            "Ugyldig forespørgsel, tom tekst, for lang tekst, ukendt kommune, kanal eller "
            "rolle, et billede der ikke kan bruges (invalid_image)."
        ),
    },
    openapi_extra=_CHECK_BODY,
)
async def check(request: Request) -> Response:
    images: list[ImageInput] = []
    ocr = True
    if _content_type(request) in _FORM_TYPES:
        body, images, ocr = await _check_form(request)
    else:
        body = await _json_body(request, CheckRequest)
    report = await run_limited(request, _check, engine_of(request), body, images, ocr)
    return JSONResponse(report.to_dict())


def _inbox_context(engine: Engine, body: TriageRequest) -> CheckContext:
    ctx = engine.make_context(body.municipality, body.channel, kind="inbox")
    return CheckContext(ctx.municipality, ctx.channel, ctx.role, False, "inbox", body.received_at)


def _triage(engine: Engine, body: TriageRequest) -> tuple[CheckContext, TriageReport]:
    context = _inbox_context(engine, body)
    return context, engine.triage(body.text, context)


@router.post(
    "/triage",
    response_model=TriageResponse,
    tags=["triage"],
    summary="Vurdér en besked fra en borger",
    description="Kategorier (klage, personoplysninger, sagshenvendelse, chikane, trussel, "
    "bekymring for barn, spørgsmål), hvad retningslinjen siger, du skal gøre, og et "
    "svarforslag bygget af skabeloner. Registrerer intet (brug POST /v1/register). "
    "Kræver et token (alle roller).",
    responses={**_INPUT_ERRORS, **_AUTH_ERRORS},
)
async def triage(body: TriageRequest, request: Request, _user: TriageUser) -> Response:
    _context, report = await run_limited(request, _triage, engine_of(request), body)
    return JSONResponse(report.to_dict())


# -- the register ----------------------------------------------------------------------------


@router.post(
    "/register",
    response_model=RegisterResponse,
    status_code=201,
    tags=["register"],
    summary="Vurdér og registrér en besked",
    description="Vurderer beskeden som POST /v1/triage og registrerer en klage og én "
    "eskalering pr. slags (chikane, trussel, bekymring for barn). Kun maskeret tekst og et "
    "saltet fingeraftryk gemmes. 201 når noget nyt er registreret; 200 når der intet er at "
    "registrere, eller beskeden allerede var registreret. Rolle: page_admin eller manager.",
    responses={
        200: {"model": RegisterResponse, "description": "Intet nyt registreret."},
        **_INPUT_ERRORS,
        **_REGISTER_ERRORS,
    },
)
async def register_message(body: RegisterRequest, request: Request, user: WriterUser) -> Response:
    context, report = await run_limited(request, _triage, engine_of(request), body)
    reg = await anyio.to_thread.run_sync(open_register, request.app)
    # A write that has begun is not abandoned at the time limit: it commits or rolls back.
    registered = await anyio.to_thread.run_sync(
        lambda: register_triaged(
            reg, body.text, report, context, source_url=body.source_url, actor=user.name
        )
    )
    created = any(not row["duplicate"] for row in registered)
    return JSONResponse(
        {"triage": report.to_dict(), "registered": registered},
        status_code=201 if created else 200,
    )


def _filters(
    status: Annotated[
        str | None, Query(max_length=40, description="Fx modtaget, under behandling.")
    ] = None,
    category: Annotated[
        str | None,
        Query(max_length=40, description="Triagekategori (complaint) eller dansk navn (klage)."),
    ] = None,
    municipality: Annotated[
        str | None, Query(max_length=100, description="Kommune (id eller navn).")
    ] = None,
    received_from: Annotated[
        date | None, Query(description="Modtaget fra og med (ÅÅÅÅ-MM-DD).")
    ] = None,
    received_to: Annotated[
        date | None, Query(description="Modtaget til og med (ÅÅÅÅ-MM-DD).")
    ] = None,
    assignee: Annotated[str | None, Query(max_length=200, description="Sagsbehandler.")] = None,
    limit: Annotated[
        int | None, Query(ge=1, le=100_000, description="Højst så mange rækker.")
    ] = None,
) -> RegisterFilter:
    return RegisterFilter(
        status=status or None,
        category=category or None,
        municipality=municipality or None,
        received_from=received_from,
        received_to=received_to,
        assignee=assignee or None,
        limit=limit,
    )


def _overdue(
    overdue: Annotated[
        bool, Query(description="Kun klager, hvis frist er overskredet, og som ikke er besvaret.")
    ] = False,
) -> bool:
    return overdue


def _kind(
    kind: Annotated[
        str | None,
        Query(max_length=40, description="harassment, threat, child_welfare (eller dansk navn)."),
    ] = None,
) -> str | None:
    return kind or None


Filters = Annotated[RegisterFilter, Depends(_filters)]
Overdue = Annotated[bool, Depends(_overdue)]
Kind = Annotated[str | None, Depends(_kind)]


async def _register(request: Request) -> Register:
    return await anyio.to_thread.run_sync(open_register, request.app)


@router.get(
    "/register/complaints",
    response_model=ComplaintList,
    tags=["register"],
    summary="List klager",
    description="Klager, ældste først, med filtre. Rolle: page_admin eller manager.",
    responses=_REGISTER_ERRORS,
)
async def list_complaints(
    request: Request,
    filters: Filters,
    overdue: Overdue,
    _user: ReaderUser,
) -> Response:
    reg = await _register(request)
    flt = replace(filters, overdue=overdue)
    items = await run_limited(request, reg.list_complaints, flt, cpu=False)
    return JSONResponse({"count": len(items), "items": [c.to_dict() for c in items]})


@router.get(
    "/register/escalations",
    response_model=EscalationList,
    tags=["register"],
    summary="List eskaleringer",
    description="Chikane, trusler og bekymringer for børn, ældste først. "
    "Rolle: page_admin eller manager.",
    responses=_REGISTER_ERRORS,
)
async def list_escalations(
    request: Request,
    filters: Filters,
    kind: Kind,
    _user: ReaderUser,
) -> Response:
    reg = await _register(request)
    flt = replace(filters, kind=kind)
    items = await run_limited(request, reg.list_escalations, flt, cpu=False)
    return JSONResponse({"count": len(items), "items": [e.to_dict() for e in items]})


@router.get(
    "/register/export",
    response_class=Response,
    tags=["register"],
    summary="Eksportér registret som CSV",
    description="CSV til dansk Excel: UTF-8 med BOM, semikolon, danske kolonnenavne "
    "(Referencenummer, Modtaget, Kanal, Kilde, Kategorier, Frist, Status, Sagsbehandler, "
    "Tekst (maskeret), Hash). Samme filtre som listerne. Rolle: manager.",
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "CSV-filen (klager.csv eller eskaleringer.csv).",
        },
        **_REGISTER_ERRORS,
    },
)
async def export_csv(
    request: Request,
    filters: Filters,
    overdue: Overdue,
    kind: Kind,
    _user: ExporterUser,
    type: Annotated[
        Literal["complaints", "escalations"],
        Query(description="complaints (klager) eller escalations (eskaleringer)."),
    ] = "complaints",
) -> Response:
    reg = await _register(request)
    escalations = type == "escalations"
    flt = replace(filters, overdue=overdue, kind=kind)

    def work() -> str:
        buffer = io.StringIO(newline="")
        reg.export_csv(buffer, flt, escalations=escalations)
        return buffer.getvalue()

    text = await run_limited(request, work, cpu=False)
    name = "eskaleringer" if escalations else "klager"
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}-{date.today()}.csv"'},
    )


_REFERENCE = Path(
    max_length=40,
    description="Referencenummer: HJO-2026-00042 (klage) eller HJO-2026-E00007 (eskalering).",
    examples=["HJO-2026-00042"],
)


def _record_view(reg: Register, reference: str) -> dict[str, Any]:
    record = reg.get(reference)
    audit = reg.audit_trail(record.reference)
    kind = "escalation" if hasattr(record, "kind") else "complaint"
    return {"type": kind, "record": record.to_dict(), "audit": [a.to_dict() for a in audit]}


@router.get(
    "/register/{reference}",
    response_model=RecordResponse,
    tags=["register"],
    summary="Vis en klage eller eskalering",
    description="Med revisionssporet. Rolle: page_admin eller manager.",
    responses={**_REGISTER_ERRORS, 404: _err("Intet med det referencenummer (not_found).")},
)
async def get_record(
    request: Request,
    reference: Annotated[str, _REFERENCE],
    _user: ReaderUser,
) -> Response:
    reg = await _register(request)
    return JSONResponse(await run_limited(request, _record_view, reg, reference, cpu=False))


@router.post(
    "/register/{reference}/status",
    response_model=RecordResponse,
    tags=["register"],
    summary="Skift status",
    description="modtaget → under behandling → besvaret | videresendt → lukket; en klage kan "
    "ikke lukkes, før den er besvaret eller videresendt. Skiftet skrives i revisionssporet "
    "med brugerens navn. Rolle: page_admin eller manager.",
    responses={
        **_BODY_ERRORS,
        **_REGISTER_ERRORS,
        404: _err("Intet med det referencenummer (not_found)."),
        409: _err("Skiftet er ikke tilladt fra den nuværende status (conflict)."),
    },
)
async def set_status(
    body: StatusRequest,
    request: Request,
    reference: Annotated[str, _REFERENCE],
    user: WriterUser,
) -> Response:
    reg = await _register(request)

    def work() -> dict[str, Any]:
        record = reg.set_status(reference, body.status, actor=user.name, note=body.note)
        return _record_view(reg, record.reference)

    return JSONResponse(await anyio.to_thread.run_sync(work))


@router.post(
    "/register/{reference}/assign",
    response_model=RecordResponse,
    tags=["register"],
    summary="Tildel en sagsbehandler",
    description="Sæt (eller, med null, fjern) sagsbehandleren; skrives i revisionssporet. "
    "Rolle: manager.",
    responses={
        **_BODY_ERRORS,
        **_REGISTER_ERRORS,
        404: _err("Intet med det referencenummer (not_found)."),
    },
)
async def assign(
    body: AssignRequest,
    request: Request,
    reference: Annotated[str, _REFERENCE],
    user: AssignerUser,
) -> Response:
    reg = await _register(request)

    def work() -> dict[str, Any]:
        record = reg.assign(reference, body.assignee, actor=user.name)
        return _record_view(reg, record.reference)

    return JSONResponse(await anyio.to_thread.run_sync(work))


# -- rules and policies ----------------------------------------------------------------------


def _level(value: Any) -> str | None:
    return None if value is None else str(value.id)


def rule_summary(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "pack": rule.pack,
        "name": rule.name,
        "category": rule.category,
        "kind": rule.kind,
        "severity": {channel: _level(level) for channel, level in rule.severity.items()},
        "message": rule.message,
        "advice": rule.advice,
        "citations": [c.to_dict() for c in rule.citations],
    }


def _example(example: Example) -> dict[str, Any]:
    return {
        "text": example.text,
        "spans": [{"start": s, "end": e, "text": example.text[s:e]} for s, e in example.spans],
        "channel": example.channel,
    }


def rule_detail(rule: Rule) -> dict[str, Any]:
    when = rule.when
    return {
        **rule_summary(rule),
        "description": rule.description,
        "why": rule.why,
        "instead": rule.instead,
        "replaces": rule.replaces,
        "applies_when": {
            "channels": sorted(when.channels),
            "roles": sorted(when.roles),
            "kinds": sorted(when.kinds),
            "public_event": when.public_event,
        },
        "bad_examples": [_example(x) for x in rule.bad],
        "good_examples": [_example(x) for x in rule.good],
    }


def _packs(engine: Engine, municipality: str | None) -> list[Pack]:
    if municipality:
        return [engine.pack(municipality)]
    return [engine.pack(pid) for pid in [*engine.municipalities(), "base"]]


def _rules(engine: Engine, municipality: str | None) -> dict[str, Any]:
    seen: dict[str, Rule] = {}
    for pack in _packs(engine, municipality):
        for rule in pack.rules.values():
            seen.setdefault(rule.id, rule)
    rules = [rule_summary(r) for r in sorted(seen.values(), key=lambda r: r.id)]
    return {"count": len(rules), "rules": rules}


_MUNICIPALITY = Query(
    max_length=100,
    description="Kun reglerne, der gælder for denne kommune (egne og arvede fra base).",
    examples=["vejle"],
)


@router.get(
    "/rules",
    response_model=RuleList,
    tags=["regler"],
    summary="List regler",
    description="Alle regler (eller én kommunes), med alvor pr. kanal og citater.",
    responses={422: _err("Ukendt kommune (invalid_context)."), 504: _INPUT_ERRORS[504]},
)
async def list_rules(
    request: Request, municipality: Annotated[str | None, _MUNICIPALITY] = None
) -> Response:
    return JSONResponse(await run_limited(request, _rules, engine_of(request), municipality))


def _rule(engine: Engine, rule_id: str, municipality: str | None) -> dict[str, Any]:
    for pack in _packs(engine, municipality):
        rule = pack.rules.get(rule_id)
        if rule is not None:
            return rule_detail(rule)
    where = f" for {municipality}" if municipality else ""
    raise ApiError(
        404, "not_found", f"Ukendt regel '{rule_id}'{where}. Se GET /v1/rules for listen."
    )


@router.get(
    "/rules/{rule_id}",
    response_model=RuleDetail,
    tags=["regler"],
    summary="Forklar en regel",
    description="Hvad reglen fanger, hvorfor, dens egne eksempler og hvad man skriver i stedet.",
    responses={
        404: _err("Ukendt regel (not_found)."),
        422: _err("Ukendt kommune (invalid_context)."),
        504: _INPUT_ERRORS[504],
    },
)
async def get_rule(
    request: Request,
    rule_id: Annotated[str, Path(max_length=120, examples=["vejle.tavshedspligt"])],
    municipality: Annotated[str | None, _MUNICIPALITY] = None,
) -> Response:
    return JSONResponse(
        await run_limited(request, _rule, engine_of(request), rule_id, municipality)
    )


def policy_dict(pack: Pack) -> dict[str, Any]:
    sections = []
    for section in pack.sections.values():
        cov = pack.coverage.get(section.id)
        sections.append(
            {
                "id": section.id,
                "title": section.title,
                "anchor": section.anchor,
                "coverage": None
                if cov is None
                else {"rules": list(cov.rules), "advice_only": cov.advice_only or None},
            }
        )
    return {
        "id": pack.id,
        "name": pack.name,
        "version": pack.version,
        "extends": pack.extends,
        "url": pack.url,
        "aliases": list(pack.aliases),
        "rule_count": len(pack.rules),
        "sections": sections,
    }


def _policies(engine: Engine) -> dict[str, Any]:
    policies = [policy_dict(engine.pack(pid)) for pid in sorted(engine.loader.available())]
    return {"count": len(policies), "policies": policies}


@router.get(
    "/policies",
    response_model=PolicyList,
    tags=["regler"],
    summary="List retningslinjerne",
    description="Hver kommunes regelpakke (og basispakken med loven) med afsnit, og for "
    "hvert afsnit de regler, der håndhæver det, eller hvorfor det kun er et råd.",
    responses={504: _INPUT_ERRORS[504]},
)
async def list_policies(request: Request) -> Response:
    return JSONResponse(await run_limited(request, _policies, engine_of(request)))


def _policy(engine: Engine, policy_id: str) -> dict[str, Any]:
    try:
        pack = engine.pack(policy_id.strip().lower() if policy_id.strip() else policy_id)
    except ContextError as exc:
        raise ApiError(404, "not_found", str(exc)) from None
    return policy_dict(pack)


@router.get(
    "/policies/{policy_id}",
    response_model=PolicyModel,
    tags=["regler"],
    summary="Vis én retningslinje",
    description="Pakke-id, kommunenavn ('Hjørring') eller 'base' (loven).",
    responses={404: _err("Ukendt retningslinje (not_found)."), 504: _INPUT_ERRORS[504]},
)
async def get_policy(
    request: Request,
    policy_id: Annotated[str, Path(max_length=100, examples=["hjoerring"])],
) -> Response:
    return JSONResponse(await run_limited(request, _policy, engine_of(request), policy_id))


# -- guidance: ask and compare ---------------------------------------------------------------

_NO_TOKEN = "Kræver intet token."


@router.get(
    "/ask",
    response_model=AnswerResponse,
    tags=["vejledning"],
    summary="Spørg retningslinjerne",
    description="De afsnit af retningslinjerne (og loven), der svarer på spørgsmålet, bedst "
    "først og ordret citeret; eller `covered: false`, når retningslinjerne ikke dækker det. "
    "Uden `municipality` afgrænser en kommune nævnt i spørgsmålet søgningen. " + _NO_TOKEN,
    responses={
        422: _err("Tomt eller for langt spørgsmål, ukendt kommune (invalid_question)."),
        504: _INPUT_ERRORS[504],
    },
)
async def ask(
    request: Request,
    q: Annotated[
        str,
        Query(
            max_length=1000,
            description="Spørgsmålet.",
            examples=["må jeg være ven med forældrene på Facebook?"],
        ),
    ],
    municipality: Annotated[
        str | None, Query(max_length=100, description="Kun denne kommunes retningslinje.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=20, description="Højst så mange afsnit.")] = 5,
) -> Response:
    guide = await anyio.to_thread.run_sync(guide_of, request)
    answer = await run_limited(request, guide.ask, q, municipality, limit)
    return JSONResponse(answer.to_dict())


@router.get(
    "/compare/topics",
    response_model=TopicList,
    tags=["vejledning"],
    summary="Emner, der kan sammenlignes",
    description=_NO_TOKEN,
    responses={504: _INPUT_ERRORS[504]},
)
async def compare_topics(request: Request) -> Response:
    guide = await anyio.to_thread.run_sync(guide_of, request)
    topics = await run_limited(request, guide.topics)
    return JSONResponse({"count": len(topics), "topics": [t.to_dict() for t in topics]})


@router.get(
    "/compare",
    response_model=ComparisonResponse,
    tags=["vejledning"],
    summary="Sammenlign retningslinjerne om et emne",
    description="Hvad hver kommunes retningslinje siger om emnet, side om side (eller "
    "`silent: true`), og hvad loven siger. " + _NO_TOKEN,
    responses={
        422: _err("Tomt eller ukendt emne (unknown_topic)."),
        504: _INPUT_ERRORS[504],
    },
)
async def compare(
    request: Request,
    topic: Annotated[
        str,
        Query(
            max_length=200,
            description="Emnets id, navn eller et synonym (se /v1/compare/topics).",
            examples=["billeder"],
        ),
    ],
) -> Response:
    guide = await anyio.to_thread.run_sync(guide_of, request)
    comparison = await run_limited(request, guide.compare, topic)
    return JSONResponse(comparison.to_dict())


# -- photos: a redacted copy -----------------------------------------------------------------

_IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}


async def _image_upload(request: Request) -> tuple[bytes, str]:
    kind = _content_type(request)
    if kind == "multipart/form-data":
        try:
            form = await request.form(max_files=1, max_fields=5)
        except StarletteHTTPException:
            raise ApiError(
                422, "invalid_request", "Formularen kan ikke læses. Send ét billede i 'image'."
            ) from None
        try:
            upload = form.get("image")
            if upload is None or isinstance(upload, str):
                raise ApiError(
                    422, "invalid_request", "Feltet 'image' mangler eller er ikke en fil."
                )
            return await upload.read(), upload.filename or "billede"
        finally:
            await form.close()
    if kind.startswith("image/") or kind == "application/octet-stream":
        return await request.body(), "billede"
    raise ApiError(
        415,
        "unsupported_media_type",
        "Send billedet som multipart/form-data (feltet 'image') eller som image/jpeg "
        "eller image/png.",
    )


def _redact(data: bytes, name: str) -> tuple[bytes, str, tuple[Any, ...], tuple[str, ...]]:
    from ..images import redact

    result = redact(data, name=name)
    return result.data, result.format, result.faces, result.removed


@router.post(
    "/redact-image",
    response_class=Response,
    tags=["tjek"],
    summary="Lav en renset kopi af et billede",
    description="Ansigter sløres, og alle metadata (EXIF med GPS, XMP, IPTC, kommentarer) "
    "fjernes; samme format (JPEG eller PNG). Billedet sendes som multipart/form-data i "
    "feltet `image` eller direkte som image/jpeg eller image/png. Headerne "
    "`X-Omtanke-Faces-Blurred` og `X-Omtanke-Metadata-Removed` fortæller, hvad der blev "
    "gjort. Intet gemmes. " + _NO_TOKEN,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["image"],
                        "properties": {"image": {"type": "string", "format": "binary"}},
                    }
                },
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
    responses={
        200: {
            "content": {
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            },
            "description": "Den rensede kopi.",
        },
        400: _INPUT_ERRORS[400],
        413: _INPUT_ERRORS[413],
        415: _err("Hverken multipart/form-data eller et billede."),
        422: _err("Ikke et JPEG- eller PNG-billede, beskadiget, for stort (invalid_image)."),
        504: _INPUT_ERRORS[504],
    },
)
async def redact_image(request: Request) -> Response:
    data, name = await _image_upload(request)
    if not data:
        raise ApiError(422, "invalid_image", "Billedet er tomt.")
    out, fmt, faces, removed = await run_limited(request, _redact, data, name)
    media_type, extension = _IMAGE_TYPES.get(fmt, ("application/octet-stream", "bin"))
    stem = "".join(c for c in name.rsplit(".", 1)[0] if c.isalnum() or c in "-_")[:60]
    return Response(
        out,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{stem or "billede"}-renset.{extension}"',
            "X-Omtanke-Faces-Blurred": str(len(faces)),
            "X-Omtanke-Metadata-Removed": ", ".join(removed).encode("ascii", "replace").decode()
            or "-",
        },
    )


# -- health ----------------------------------------------------------------------------------


@router.get(
    "/health",
    response_model=HealthResponse,
    tags=["drift"],
    summary="Kører tjenesten?",
    description="Svarer, når motoren er klar; nævner de kendte kommuner.",
    responses={504: _INPUT_ERRORS[504]},
)
async def health(request: Request) -> Response:
    municipalities = await run_limited(request, engine_of(request).municipalities)
    return JSONResponse({"status": "ok", "version": __version__, "municipalities": municipalities})
