"""The body-size limit (from Content-Length and while streaming) and the time limit."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

import httpx
import pytest
from server_support import Api

from omtanke.engine import Engine
from omtanke.server.limits import GuardMiddleware


def _body(size: int) -> bytes:
    """A check request of exactly ``size`` bytes."""
    empty = len(json.dumps({"text": "", "municipality": "vejle"}))
    raw = json.dumps({"text": ("a " * size)[: size - empty], "municipality": "vejle"}).encode()
    assert len(raw) == size
    return raw


def test_body_over_the_limit_by_content_length(make_api: Callable[..., Api]) -> None:
    api = make_api(max_body_bytes=2_000, max_chars=10_000)
    r = api.client.post(
        "/v1/check", content=_body(3_000), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "body_too_large"
    assert "2.000 bytes" in r.json()["error"]["message"]
    for size, status in ((2_000, 200), (2_001, 413)):
        r = api.client.post(
            "/v1/check", content=_body(size), headers={"Content-Type": "application/json"}
        )
        assert r.status_code == status


def test_default_limit_is_one_megabyte(api: Api) -> None:
    assert api.app.state.settings.max_body_bytes == 1_000_000
    r = api.client.post(
        "/v1/check", content=_body(1_000_100), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 413


def test_body_over_the_limit_while_streaming(make_api: Callable[..., Api]) -> None:
    """A chunked body has no Content-Length: the limit is enforced as it arrives, and the
    app is never called."""
    api = make_api(max_body_bytes=2_000)
    calls: list[int] = []
    real = api.app.state.engine

    class Counting:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def check(self, *args: Any, **kwargs: Any) -> Any:
            calls.append(1)
            return real.check(*args, **kwargs)

    api.app.state.engine = Counting()
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"municipality": "vejle", "text": "'
        for _ in range(100):
            sent.append(1)
            yield b"a " * 50
        yield b'"}'

    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=api.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.post(
                "/v1/check", content=chunks(), headers={"Content-Type": "application/json"}
            )

    r = asyncio.run(run())
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "body_too_large"
    assert calls == []
    assert len(sent) < 100  # reading stopped at the limit

    async def small() -> AsyncIterator[bytes]:
        yield b'{"municipality": "vejle", '
        yield b'"text": "Godmorgen"}'

    async def run_small() -> httpx.Response:
        transport = httpx.ASGITransport(app=api.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.post(
                "/v1/check", content=small(), headers={"Content-Type": "application/json"}
            )

    assert asyncio.run(run_small()).status_code == 200
    assert calls == [1]


def test_invalid_content_length(api: Api) -> None:
    async def run() -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []

        async def app(scope: Any, receive: Any, send: Any) -> None:
            raise AssertionError("not reached")

        guard = GuardMiddleware(app, max_body_bytes=100, owner=api.app)
        scope = {
            "type": "http",
            "method": "POST",
            "path": "/v1/check",
            "headers": [(b"content-length", b"abc")],
        }

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)

        await guard(scope, receive, send)
        return messages

    start, body = asyncio.run(run())
    assert start["status"] == 400
    assert json.loads(body["body"])["error"]["code"] == "bad_request"


class _SlowEngine:
    """The real engine, but every check and triage takes ``delay`` seconds first."""

    def __init__(self, real: Engine, delay: float) -> None:
        self.real = real
        self.delay = delay
        self.finished = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def check(self, *args: Any, **kwargs: Any) -> Any:
        time.sleep(self.delay)
        self.finished.set()
        return self.real.check(*args, **kwargs)

    def triage(self, *args: Any, **kwargs: Any) -> Any:
        time.sleep(self.delay)
        return self.real.triage(*args, **kwargs)


def test_time_limit_gives_504_at_once(make_api: Callable[..., Api], engine: Engine) -> None:
    api = make_api(request_timeout_s=0.2)
    slow = _SlowEngine(engine, delay=1.5)
    api.app.state.engine = slow
    start = time.perf_counter()
    r = api.client.post("/v1/check", json={"text": "CPR 010190-1234", "municipality": "vejle"})
    elapsed = time.perf_counter() - start
    assert r.status_code == 504
    assert r.json()["error"]["code"] == "timeout"
    assert "0.2 sekunder" in r.json()["error"]["message"]
    assert "010190" not in r.text
    assert elapsed < 1.2  # answered at the limit, not when the work finished
    r = api.client.post(
        "/v1/triage",
        json={"text": "Hej", "municipality": "vejle"},
        headers=api.auth("employee"),
    )
    assert r.status_code == 504
    # The server is still fine afterwards, while the abandoned work finishes in the background
    # (the limiter's places are freed at the time limit, not when the work ends).
    api.app.state.engine = engine
    api.app.state.settings = replace(api.app.state.settings, request_timeout_s=10)
    for _ in range(3):
        r = api.client.post("/v1/check", json={"text": "Hej", "municipality": "vejle"})
        assert r.status_code == 200
    assert not slow.finished.is_set() or time.perf_counter() - start > 1.5
    assert slow.finished.wait(5)


def test_a_normal_request_is_well_within_the_default_limit(api: Api) -> None:
    assert api.app.state.settings.request_timeout_s == 10
    r = api.client.post("/v1/check", json={"text": "Godmorgen", "municipality": "vejle"})
    assert r.status_code == 200


@pytest.mark.parametrize("path", ["/v1/health", "/openapi.json"])
def test_get_requests_pass_the_guard(api: Api, path: str) -> None:
    assert api.client.get(path).status_code == 200
