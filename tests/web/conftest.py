"""Fixtures of the web UI tests.

* ``web`` — one app (temporary SQLite register) and three users, one per role, for the fast
  tests with FastAPI's ``TestClient``;
* ``live_server`` — the same app served by a real uvicorn server in a thread, on a free port
  of 127.0.0.1, for the browser tests;
* ``browser`` — Debian's Chromium (``/usr/bin/chromium``) driven by Playwright, headless.
  Missing Chromium skips the browser tests with a clear message, but fails them when the
  environment variable ``CI`` is true (the CI machine must run them).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    LiveServer,
    WebEnv,
    free_port,
    in_ci,
    make_env,
)


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    env = make_env(tmp_path_factory.mktemp("web-register"))
    yield env


@pytest.fixture(scope="session")
def client_factory(web: WebEnv) -> Iterator[Any]:
    """Makes TestClients that share the app (and its lifespan, started once)."""
    with TestClient(web.app) as first:
        clients = [first]

        def make() -> TestClient:
            client = TestClient(web.app)
            clients.append(client)
            return client

        yield make


@pytest.fixture
def client(client_factory: Any) -> TestClient:
    """A fresh browser-like client (own cookies), not logged in."""
    client: TestClient = client_factory()
    return client


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    import uvicorn

    env = make_env(tmp_path_factory.mktemp("live-register"))
    port = free_port()
    config = uvicorn.Config(
        env.app, host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-web-tests", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", env)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = (
            f"Chromium mangler ({CHROMIUM}); browsertestene kræver Debians Chromium: "
            "'apt-get install -y chromium' (make test-tools gør det)."
        )
        if in_ci():
            pytest.fail(message + " CI=true: browsertestene må ikke springes over.")
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        if in_ci():
            pytest.fail("Python-pakken playwright mangler (pip install -e '.[dev]').")
        pytest.skip("Python-pakken playwright mangler (pip install -e '.[dev]').")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
