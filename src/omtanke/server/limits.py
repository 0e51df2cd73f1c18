"""Limits on every request: the body size and the time it may take.

:class:`GuardMiddleware` (pure ASGI, the outermost layer the app adds) does four things:

* refuses a body over ``max_body_bytes`` (``max_upload_bytes`` for photos: a
  ``multipart/form-data`` or ``image/*`` body) with 413 — from ``Content-Length`` before
  reading anything, and while reading for a body sent in chunks without a length; the body is
  read here, up to the limit, and handed on to the app, so nothing in the app sees a larger
  one;
* catches any exception the app let through and answers 500 ``internal_error`` (logged with
  type, path and stack, never the message), so that no traceback reaches a client or a log
  line with request data in it;
* sets :data:`omtanke.server.auth.current_app` for the request;
* adds ``Cache-Control: no-store`` and ``X-Content-Type-Options: nosniff`` to API responses
  (they may hold personal data).

:func:`run_limited` runs blocking work (a check, a triage, a register read) in a worker thread
under the per-request time limit (``request_timeout_s``); past it the client gets 504
``timeout`` at once. Python cannot stop a thread, so the abandoned work finishes in the
background and its result is dropped. Register writes are not run under the limit: a write
that has begun is allowed to commit, so a complaint is never half-registered nor registered
without the client being told its reference number.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .auth import current_app
from .errors import ApiError, error_body, log_unexpected

__all__ = ["GuardMiddleware", "run_limited"]

T = TypeVar("T")


def _json_bytes(status: int, code: str, message: str) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    body = json.dumps(error_body(code, message), ensure_ascii=False).encode("utf-8")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"x-content-type-options", b"nosniff"),
    ]
    return body, headers


def body_too_large_message(limit: int) -> str:
    return (
        f"Forespørgslen er for stor (grænsen er {limit:,} bytes). "
        "Send en kortere tekst eller færre eller mindre billeder.".replace(",", ".")
    )


class _TooLarge(Exception):
    pass


class GuardMiddleware:
    """Body-size limit, last-resort error handler and API response headers (see module)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        owner: Any,
        max_upload_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes or max_body_bytes
        self.owner = owner

    def limit_for(self, scope: Scope) -> int:
        """The body limit of a request: larger for photos (multipart or an image)."""
        for key, value in scope.get("headers", []):
            if key == b"content-type":
                kind = value.split(b";", 1)[0].strip().lower()
                if kind == b"multipart/form-data" or kind.startswith(b"image/"):
                    return self.max_upload_bytes
                break
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        current_app.set(self.owner)
        path: str = scope.get("path", "")
        api = path.startswith("/v1") or path == "/openapi.json"
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if api:
                    headers = list(message.get("headers", []))
                    names = {k.lower() for k, _ in headers}
                    if b"cache-control" not in names:
                        headers.append((b"cache-control", b"no-store"))
                    if b"x-content-type-options" not in names:
                        headers.append((b"x-content-type-options", b"nosniff"))
                    message = {**message, "headers": headers}
            await send(message)

        async def reply(status: int, code: str, message: str) -> None:
            body, headers = _json_bytes(status, code, message)
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        limit = self.limit_for(scope)
        try:
            replay = await self._read_body(scope, receive, limit)
        except _TooLarge:
            await reply(413, "body_too_large", body_too_large_message(limit))
            return
        except ApiError as exc:
            await reply(exc.status_code, exc.code, exc.message)
            return
        if replay is None:  # the client went away before its body arrived
            return

        try:
            await self.app(scope, replay, send_wrapper)
        except Exception as exc:
            log_unexpected(path, exc)
            if not started:
                await reply(
                    500,
                    "internal_error",
                    "Der skete en intern fejl. Prøv igen, og meld fejlen, hvis den gentager sig.",
                )

    async def _read_body(self, scope: Scope, receive: Receive, limit: int) -> Receive | None:
        """Read the whole body (at most ``max_body_bytes``) and return a ``receive`` that
        hands it to the app, then passes on what follows (a disconnect); ``None`` if the
        client disconnected first."""
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    raise ApiError(
                        400, "bad_request", "Headeren Content-Length er ugyldig."
                    ) from None
                if declared > limit:
                    raise _TooLarge()
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            if message["type"] != "http.request":
                continue
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _TooLarge()
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        pending: list[Message] = [
            {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        ]

        async def replay() -> Message:
            if pending:
                return pending.pop(0)
            return await receive()

        return replay


async def run_limited(request: Request, fn: Callable[..., T], *args: Any, cpu: bool = True) -> T:
    """Run ``fn(*args)`` in a worker thread under the app's per-request time limit.

    ``cpu=True`` (checks, triage, packs): at most ``settings.engine_threads`` such calls run
    at once, and the others wait their turn in order; the work is CPU-bound, and more
    threads would only contend for the interpreter lock and stretch every request's latency.
    ``cpu=False`` (database reads) uses the default thread pool.
    """
    state = request.app.state
    timeout: float = state.settings.request_timeout_s
    limiter: anyio.CapacityLimiter | None = getattr(state, "engine_limiter", None) if cpu else None
    try:
        with anyio.fail_after(timeout):
            return await anyio.to_thread.run_sync(
                fn, *args, abandon_on_cancel=True, limiter=limiter
            )
    except TimeoutError:
        raise ApiError(
            504,
            "timeout",
            f"Forespørgslen tog mere end {timeout:g} sekunder og blev afbrudt. "
            "Prøv igen med en kortere tekst.",
        ) from None
