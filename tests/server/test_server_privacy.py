"""The text being checked never appears in a log line or an error: not on success, not on a
validation error, a time-out or an unexpected failure."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from server_support import Api

from omtanke.engine import Engine
from omtanke.server.logs import PathOnlyFilter, log_config

CPR = "010190-1234"
SECRET = f"Lille Sofie Mikkelsen fra Rødkælkestuen har skoldkopper, hendes CPR er {CPR}"
MARKERS = (CPR, "Sofie", "Mikkelsen", "skoldkopper", "0101901234")


def _assert_clean(*outputs: str) -> None:
    for output in outputs:
        for marker in MARKERS:
            assert marker not in output, marker


def test_posted_text_never_reaches_the_logs(
    make_api: Callable[..., Api],
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    api = make_api()
    c = api.client
    errors: list[str] = []

    def record(response: Any) -> None:
        if response.status_code >= 400:
            errors.append(response.text)

    # success
    assert c.post("/v1/check", json={"text": SECRET, "municipality": "vejle"}).status_code == 200
    record(c.post("/v1/triage", json={"text": SECRET, "municipality": "vejle"}))  # 401
    record(
        c.post(
            "/v1/register",
            json={"text": f"Jeg vil klage! {SECRET}", "municipality": "vejle"},
            headers=api.auth("manager"),
        )
    )
    # validation errors, with the text in the wrong place or of the wrong type
    record(c.post("/v1/check", json={"text": [SECRET], "municipality": "vejle"}))
    record(c.post("/v1/check", json={"text": SECRET, "municipality": "vejle", SECRET: 1}))
    record(c.post("/v1/check", json={"text": SECRET, "municipality": "vejle", "role": SECRET}))
    record(c.post("/v1/check", json={"text": SECRET}))
    record(
        c.post(
            "/v1/check",
            content=f'{{"text": "{SECRET}", '.encode(),
            headers={"Content-Type": "application/json"},
        )
    )
    record(c.get("/v1/register/complaints", params={"status": SECRET}, headers=api.auth("manager")))
    record(
        c.post(
            "/v1/register/HJO-2026-00001/status",
            json={"status": "besvaret", "note": SECRET},
            headers=api.auth("manager"),
        )
    )

    # an unexpected failure whose message quotes the text
    class Broken:
        def __getattr__(self, name: str) -> Any:
            return getattr(engine, name)

        def check(self, text: str, **kwargs: Any) -> Any:
            raise ValueError(f"kunne ikke tjekke: {text}")

    api.app.state.engine = Broken()
    record(c.post("/v1/check", json={"text": SECRET, "municipality": "vejle"}))
    api.app.state.engine = engine

    assert len(errors) == 9
    out, err = capfd.readouterr()
    # Everything the server side logged (the test client's own request log, "httpx", shows
    # the URLs this test sent, query strings included: that is the client, not the server).
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    server_log = "\n".join(
        formatter.format(r) for r in caplog.records if not r.name.startswith("httpx")
    )
    # The unexpected failure was logged (so the capture works): type, path and stack (source
    # lines), never the exception's message.
    assert "uventet fejl (ValueError) ved /v1/check" in server_log
    assert "kunne ikke tjekke: Lille" not in server_log
    _assert_clean(server_log, out, err, *errors)


def test_role_echo_is_limited_to_the_context_value(api: Api) -> None:
    """An unknown role is named in the error (it is a context value, not the post), but the
    post itself is not."""
    r = api.client.post("/v1/check", json={"text": SECRET, "municipality": "vejle", "role": "x"})
    assert r.status_code == 422
    assert "'x'" in r.json()["error"]["message"]
    _assert_clean(r.text)


def test_access_log_shows_the_path_without_the_query() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/v1/ask?q={CPR}&municipality=vejle", "1.1", 200),
        None,
    )
    assert PathOnlyFilter().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /v1/ask HTTP/1.1" 200'
    config = log_config()
    assert config["loggers"]["uvicorn.access"]["filters"] == ["path_only"]
    assert config["filters"]["path_only"]["()"].endswith("PathOnlyFilter")
