"""The guidelines section by section, the rules, and questions to the guidelines."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..engine import Engine
from ..errors import ContextError, InputError, OmtankeError
from ..packs.schema import Pack, Rule
from .auth import User
from .limits import run_limited
from .web_base import (
    citation_sources,
    current_user,
    engine_of,
    form_field,
    guidance_available,
    not_found,
    redirect,
    render_page,
)
from .web_render import ROLE_NAMES, guideline_sections, marked_example, severity_rows

if TYPE_CHECKING:
    from ..guidance import Answer, Comparison, Guide

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

# ---------------------------------------------------------------------------------------------
# Guidelines (Retningslinjer) and rules


def _pack_or_404(engine: Engine, pack_id: str) -> Pack:
    if pack_id == "base":
        return engine.pack("base")
    try:
        return engine.pack(engine.resolve_municipality(pack_id))
    except ContextError:
        raise not_found(f"Der er ingen retningslinje med id '{pack_id[:60]}'.") from None


@router.get("/retningslinjer", response_class=HTMLResponse)
async def guidelines_page(request: Request) -> Response:
    user = await current_user(request, quiet=True)
    engine = engine_of(request)
    packs = []
    for pid in [*engine.municipalities(), "base"]:
        pack = engine.pack(pid)
        automated = sum(1 for s in pack.sections if (e := pack.coverage.get(s)) and e.rules)
        packs.append(
            {
                "id": pid,
                "name": pack.name,
                "version": pack.version,
                "sections": len(pack.sections),
                "automated": automated,
                "advice_only": len(pack.sections) - automated,
                "rules": len(pack.rules),
            }
        )
    return render_page(
        request,
        "guidelines.html",
        user=user,
        nav="guidelines",
        packs=packs,
        search_available=guidance_available(),
    )


_guides: WeakKeyDictionary[Engine, Guide] = WeakKeyDictionary()
_guides_lock = threading.Lock()


def _guide(engine: Engine) -> Guide:
    """The guidance index over the engine's packs (built once per engine, on first use)."""
    from ..guidance import Guide

    with _guides_lock:
        guide = _guides.get(engine)
        if guide is None:
            guide = _guides[engine] = Guide(engine)
    return guide


def _guidance_options(engine: Engine) -> list[tuple[str, str]]:
    return [("", "Alle kommuner"), *engine.municipalities().items()]


def _search_page(
    request: Request,
    user: User | None,
    *,
    question: str = "",
    municipality: str = "",
    answer: Answer | None = None,
    errors: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    engine = engine_of(request)
    return render_page(
        request,
        "guidance_search.html",
        user=user,
        nav="guidelines",
        status_code=status_code,
        question=question,
        municipality=municipality,
        municipality_options=_guidance_options(engine),
        answer=answer,
        errors=dict(errors or {}),
        rule_names=_rule_names(engine),
        scope_name=engine.municipalities().get(municipality, ""),
    )


@router.get("/retningslinjer/sog", response_class=HTMLResponse)
async def guidance_search_page(request: Request) -> Response:
    if not guidance_available():
        raise not_found("Søgning i retningslinjerne er ikke installeret.")
    user = await current_user(request, quiet=True)
    municipality = request.query_params.get("kommune", "")[:40]
    if municipality not in engine_of(request).municipalities():
        municipality = ""
    return _search_page(request, user, municipality=municipality)


@router.post("/retningslinjer/sog", response_class=HTMLResponse)
async def guidance_search(request: Request) -> Response:
    if not guidance_available():
        raise not_found("Søgning i retningslinjerne er ikke installeret.")
    form_data = await request.form()
    user = await current_user(request, quiet=True)
    engine = engine_of(request)
    question = form_field(form_data, "q", 2000)
    municipality = form_field(form_data, "kommune", 100)
    errors: dict[str, str] = {}
    if municipality and municipality not in engine.municipalities():
        errors["felt-kommune"] = f"Ukendt kommune '{municipality[:40]}'."
    if not question:
        errors["felt-sporgsmaal"] = "Skriv dit spørgsmål, fx 'må jeg være ven med forældrene?'."
    if errors:
        return _search_page(
            request, user, question=question, municipality="", errors=errors, status_code=422
        )
    guide = _guide(engine)
    try:
        answer = await run_limited(request, guide.ask, question, municipality or None)
    except InputError as exc:
        return _search_page(
            request,
            user,
            question=question,
            municipality=municipality,
            errors={"felt-sporgsmaal": str(exc)},
            status_code=422,
        )
    return _search_page(request, user, question=question, municipality=municipality, answer=answer)


@router.get("/retningslinjer/sammenlign", response_class=HTMLResponse)
async def guidance_compare(request: Request) -> Response:
    if not guidance_available():
        raise not_found("Sammenligning af retningslinjerne er ikke installeret.")
    user = await current_user(request, quiet=True)
    engine = engine_of(request)
    guide = _guide(engine)
    topics = await run_limited(request, guide.topics)
    wanted = request.query_params.get("emne", "")[:200].strip()
    comparison: Comparison | None = None
    errors: dict[str, str] = {}
    if wanted:
        try:
            comparison = await run_limited(request, guide.compare, wanted)
        except InputError as exc:
            errors["felt-emne"] = str(exc)
    return render_page(
        request,
        "guidance_compare.html",
        user=user,
        nav="guidelines",
        status_code=422 if errors else 200,
        topics=topics,
        topic_options=[("", "Vælg et emne"), *((t.id, t.label) for t in topics)],
        wanted=comparison.topic.id if comparison else wanted,
        comparison=comparison,
        errors=errors,
        rule_names=_rule_names(engine),
    )


def _rule_names(engine: Engine) -> dict[str, str]:
    names: dict[str, str] = {}
    for pid in ["base", *engine.municipalities()]:
        for rid, rule in engine.pack(pid).rules.items():
            names.setdefault(rid, rule.name)
    return names


@router.get("/retningslinjer/{pack_id}", response_class=HTMLResponse)
async def guideline_page(request: Request, pack_id: str) -> Response:
    user = await current_user(request, quiet=True)
    engine = engine_of(request)
    pack = _pack_or_404(engine, pack_id)
    if pack.id != pack_id:
        return redirect(f"/retningslinjer/{pack.id}")
    preamble, sections = guideline_sections(pack)
    automated = sum(1 for s in sections if s.rules)
    return render_page(
        request,
        "guideline.html",
        user=user,
        nav="guidelines",
        pack=pack,
        preamble=preamble,
        sections=sections,
        automated=automated,
        advice_only=len(sections) - automated,
        rule_names=_rule_names(engine),
        search_available=guidance_available(),
    )


def _find_rule(engine: Engine, rule_id: str) -> tuple[Pack, Rule] | None:
    owner = rule_id.split(".", 1)[0]
    order = [owner, *engine.municipalities(), "base"] if owner else ["base"]
    for pid in dict.fromkeys(order):
        try:
            pack = engine.pack(pid)
        except (ContextError, OmtankeError):
            continue
        rule = pack.rules.get(rule_id)
        if rule is not None:
            return engine.pack(rule.pack) if rule.pack != pack.id else pack, rule
    return None


def _applies_to(rule: Rule) -> str:
    parts: list[str] = []
    kinds = rule.when.kinds
    if kinds == frozenset({"inbox"}):
        parts.append("Gælder beskeder fra borgere (indbakken).")
    elif kinds == frozenset({"post"}):
        parts.append("Gælder opslag.")
    if rule.when.roles:
        roles = ", ".join(ROLE_NAMES.get(r, r).lower() for r in sorted(rule.when.roles))
        parts.append(f"Kun for rollerne: {roles}.")
    if rule.when.public_event is True:
        parts.append("Kun ved offentlige kommunale arrangementer.")
    elif rule.when.public_event is False:
        parts.append("Ikke ved offentlige kommunale arrangementer.")
    return " ".join(parts)


@router.get("/regler/{rule_id}", response_class=HTMLResponse)
async def rule_page(request: Request, rule_id: str) -> Response:
    user = await current_user(request, quiet=True)
    engine = engine_of(request)
    found = _find_rule(engine, rule_id)
    if found is None:
        raise not_found(f"Der er ingen regel med id '{rule_id[:80]}'.")
    pack, rule = found
    example = marked_example(rule.bad[0].text, rule.bad[0].spans) if rule.bad else None
    instead = rule.instead or (rule.good[0].text if rule.good else "")
    return render_page(
        request,
        "rule.html",
        user=user,
        nav="guidelines",
        pack=pack,
        rule=rule,
        severity=severity_rows(rule),
        applies_to=_applies_to(rule),
        example=example,
        instead=instead,
        bad_examples=[marked_example(ex.text, ex.spans) for ex in rule.bad],
        sources=citation_sources(engine),
    )
