"""One shape for every error the server returns: ``{"error": {"code": …, "message": …}}``.

The message is Danish and never contains the text being checked (nor anything else from the
request body): validation errors name the field and the problem, not the value; an
unexpected failure is logged with its type, the path and the stack (file and line), never its
message, and the client gets ``internal_error`` without details.

=========================  ======  =====================================================
code                       status  when
=========================  ======  =====================================================
``invalid_request``        422     the body or a parameter does not match the schema
``invalid_json``           400     the body is not valid JSON
``bad_request``            400     the body cannot be read (e.g. not UTF-8)
``invalid_encoding``       400     the text is not valid Unicode text (or is binary)
``empty_text``             422     nothing to check
``text_too_long``          422     the text is over ``max_chars``
``invalid_input``          422     other unusable input
``invalid_context``        422     unknown municipality, channel or role
``invalid_image``          422     not a JPEG/PNG, broken, a decompression bomb, bad EXIF
``invalid_question``       422     an empty or too long question (``/v1/ask``)
``unknown_topic``          422     a topic ``/v1/compare`` does not know
``invalid_register_input`` 422     a value the register cannot use (status, date …)
``unmasked_data``          422     text for the register still holds a CPR number/e-mail
``unauthenticated``        401     no token, or an unknown one
``forbidden``              403     the user's role does not allow it
``not_found``              404     no such path, rule, policy or reference number
``method_not_allowed``     405     the path exists, the method does not
``conflict``               409     an invalid status change
``body_too_large``         413     the body is over ``max_body_bytes`` (``max_upload_bytes``)
``unsupported_media_type`` 415     a body of a type the endpoint does not take
``timeout``                504     the request took longer than ``request_timeout_s``
``register_unavailable``   503     the register's database cannot be reached
``pack_error``             500     a policy pack cannot be loaded (configuration)
``internal_error``         500     anything else (a bug)
=========================  ======  =====================================================
"""

from __future__ import annotations

import html
import logging
import re
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from ..errors import (
    ContextError,
    EmptyTextError,
    EncodingError,
    InputError,
    OmtankeError,
    PackError,
    TextTooLongError,
)

__all__ = [
    "ApiError",
    "ErrorRenderer",
    "SafeValueError",
    "error_body",
    "error_response",
    "install_error_handlers",
    "log_unexpected",
    "status_for",
    "validation_message",
]

logger = logging.getLogger("omtanke.server")

#: A function the web UI may provide to render errors of its own pages as HTML.
ErrorRenderer = Callable[[Request, int, str, str], Response]

_HTTP_MESSAGES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Forespørgslen kan ikke læses (er indholdet gyldig UTF-8 og JSON?)."),
    401: ("unauthenticated", "Log ind: send dit token som 'Authorization: Bearer <token>'."),
    403: ("forbidden", "Din rolle giver ikke adgang til dette."),
    404: ("not_found", "Siden eller adressen findes ikke."),
    405: ("method_not_allowed", "Metoden er ikke tilladt på denne adresse."),
    406: ("not_acceptable", "Svaret kan ikke leveres i det ønskede format."),
    413: ("body_too_large", "Forespørgslen er for stor."),
    415: (
        "unsupported_media_type",
        "Indholdet skal sendes som JSON (Content-Type: application/json).",
    ),
    422: ("invalid_request", "Forespørgslen er ugyldig."),
    500: (
        "internal_error",
        "Der skete en intern fejl. Prøv igen, og meld fejlen, hvis den gentager sig.",
    ),
    503: ("unavailable", "Tjenesten er ikke tilgængelig lige nu. Prøv igen om lidt."),
    504: ("timeout", "Forespørgslen tog for lang tid og blev afbrudt."),
}

# Danish descriptions of Pydantic's error types (the value itself is never shown).
_PROBLEMS: dict[str, str] = {
    "missing": "mangler",
    "extra_forbidden": "er ikke et kendt felt",
    "string_type": "skal være tekst",
    "string_too_short": "er for kort",
    "string_too_long": "er for lang",
    "string_pattern_mismatch": "har et ugyldigt format",
    "bool_type": "skal være true eller false",
    "bool_parsing": "skal være true eller false",
    "int_type": "skal være et helt tal",
    "int_parsing": "skal være et helt tal",
    "int_from_float": "skal være et helt tal",
    "float_type": "skal være et tal",
    "float_parsing": "skal være et tal",
    "greater_than": "er for lille",
    "greater_than_equal": "er for lille",
    "less_than": "er for stor",
    "less_than_equal": "er for stor",
    "date_type": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "date_parsing": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_inexact": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "datetime_type": "skal være et tidspunkt (ISO 8601, fx 2026-11-22T21:15:00+01:00)",
    "datetime_parsing": "skal være et tidspunkt (ISO 8601, fx 2026-11-22T21:15:00+01:00)",
    "datetime_from_date_parsing": "skal være et tidspunkt (ISO 8601, fx 2026-11-22T21:15:00+01:00)",
    "literal_error": "har en ukendt værdi",
    "enum": "har en ukendt værdi",
    "model_type": "skal være et JSON-objekt",
    "model_attributes_type": "skal være et JSON-objekt",
    "dict_type": "skal være et JSON-objekt",
    "list_type": "skal være en liste",
    "too_long": "har for mange elementer",
    "too_short": "har for få elementer",
    "url_parsing": "skal være et link (http:// eller https://)",
    "url_scheme": "skal være et link (http:// eller https://)",
    "url_type": "skal være et link (http:// eller https://)",
    "value_error": "har en ugyldig værdi",
    "assertion_error": "har en ugyldig værdi",
}
_WHERE = {"body": "", "query": "parameteren ", "path": "adressens del ", "header": "headeren "}


class ApiError(Exception):
    """An error with an HTTP status, a stable code and a Danish message."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def error_response(
    status_code: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status_code, headers=headers)


def status_for(exc: OmtankeError) -> tuple[int, str]:
    """The HTTP status and error code of an :class:`~omtanke.errors.OmtankeError`."""
    from ..register.errors import (
        InvalidTransitionError,
        RegisterDatabaseError,
        RegisterInputError,
        UnknownReferenceError,
        UnmaskedDataError,
    )
    from .settings import SettingsError
    from .users import UnknownUserError, UserError

    table: Sequence[tuple[type[OmtankeError], int, str]] = (
        (EmptyTextError, 422, "empty_text"),
        (TextTooLongError, 422, "text_too_long"),
        (EncodingError, 400, "invalid_encoding"),
        (InputError, 422, "invalid_input"),
        (ContextError, 422, "invalid_context"),
        (PackError, 500, "pack_error"),
        (UnmaskedDataError, 422, "unmasked_data"),
        (RegisterInputError, 422, "invalid_register_input"),
        (UnknownReferenceError, 404, "not_found"),
        (InvalidTransitionError, 409, "conflict"),
        (RegisterDatabaseError, 503, "register_unavailable"),
        (UnknownUserError, 404, "not_found"),
        (UserError, 422, "invalid_input"),
        (SettingsError, 500, "internal_error"),
    )
    from ..errors import ImageError, QuestionError

    if isinstance(exc, ImageError):
        return 422, "invalid_image"
    if isinstance(exc, QuestionError):
        return 422, "unknown_topic" if exc.reason == "unknown_topic" else "invalid_question"
    for cls, status, code in table:
        if isinstance(exc, cls):
            return status, code
    return 422, "invalid_input"


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,39}$")


def _field(loc: Sequence[Any]) -> str:
    # A field name comes from the client too (an unknown key): shown only when it looks like
    # a name, so that no text can be echoed through it.
    parts = [
        str(p) if isinstance(p, int) or _IDENTIFIER.match(str(p)) else "(ukendt navn)" for p in loc
    ]
    where = ""
    if parts and parts[0] in _WHERE:
        where = _WHERE[parts[0]]
        parts = parts[1:]
    name = ".".join(parts)
    if not name:
        return "indholdet"
    return f"{where}'{name}'" if where else f"feltet '{name}'"


def validation_message(errors: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """Code and Danish message for Pydantic/FastAPI validation errors (values never shown)."""
    if any(e.get("type") == "json_invalid" for e in errors):
        return "invalid_json", "Indholdet er ikke gyldig JSON."
    problems: list[str] = []
    for err in errors[:5]:
        loc = err.get("loc") or ()
        etype = str(err.get("type", ""))
        if etype == "missing" and tuple(loc) == ("body",):
            problems.append("indholdet mangler (send et JSON-objekt)")
            continue
        problem = _PROBLEMS.get(etype, "har en ugyldig værdi")
        if etype == "value_error":
            ctx = err.get("ctx") or {}
            reason = ctx.get("error")
            if isinstance(reason, SafeValueError):
                problem = str(reason)
        problems.append(f"{_field(loc)} {problem}")
    more = f" (og {len(errors) - 5} fejl mere)" if len(errors) > 5 else ""
    return "invalid_request", "Forespørgslen er ugyldig: " + "; ".join(problems) + more + "."


class SafeValueError(ValueError):
    """A validator's error whose Danish message may be shown: it must hold no input."""


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/v1") or path in ("/v1", "/openapi.json"):
        return False
    return "text/html" in request.headers.get("accept", "")


def _render(
    request: Request,
    status_code: int,
    code: str,
    message: str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    if _wants_html(request):
        renderer: ErrorRenderer | None = getattr(request.app.state, "html_error_renderer", None)
        if renderer is not None:
            response = renderer(request, status_code, code, message)
        else:
            response = HTMLResponse(
                '<!doctype html><html lang="da"><meta charset="utf-8">'
                f"<title>Omtanke – fejl {status_code}</title>"
                f"<h1>Fejl {status_code}</h1><p>{html.escape(message)}</p>"
                '<p><a href="/">Til forsiden</a></p></html>',
                status_code=status_code,
            )
        for key, value in (headers or {}).items():
            response.headers[key] = value
        return response
    return error_response(status_code, code, message, headers)


def log_unexpected(request_path: str, exc: BaseException) -> None:
    """Log an unexpected failure: type, path and stack only. The exception's message (which
    could quote input) is never logged."""
    stack = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("uventet fejl (%s) ved %s\n%s", type(exc).__name__, request_path, stack)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the one shape."""

    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return _render(request, exc.status_code, exc.code, exc.message, exc.headers)

    async def on_omtanke_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, OmtankeError)
        status_code, code = status_for(exc)
        if status_code >= 500:
            log_unexpected(request.url.path, exc)
            if code == "internal_error":
                return _render(request, 500, code, _HTTP_MESSAGES[500][1])
        return _render(request, status_code, code, str(exc))

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        code, message = validation_message(list(exc.errors()))
        return _render(request, 400 if code == "invalid_json" else 422, code, message)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code, default = _HTTP_MESSAGES.get(
            exc.status_code, ("http_error", "Forespørgslen fejlede.")
        )
        # Starlette's and FastAPI's own details are English: the Danish text for the status is
        # shown instead (raise ApiError for a message of your own).
        return _render(request, exc.status_code, code, default, exc.headers)

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(OmtankeError, on_omtanke_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
