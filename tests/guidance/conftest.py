"""Shared fixtures for the guidance tests, and the accuracy figures in pytest's summary."""

from __future__ import annotations

import pytest

from omtanke.engine import Engine
from omtanke.guidance import Guide

#: lines the accuracy test leaves for the terminal summary (printed with or without -s)
SUMMARY: list[str] = []


@pytest.fixture(scope="session")
def guide(engine: Engine) -> Guide:
    return Guide(engine)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SUMMARY:
        terminalreporter.section("omtanke ask: nøjagtighed på spørgsmålssættet")
        for line in SUMMARY:
            terminalreporter.write_line(line)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_packs: the CLI builds its own Guide (loads the packs) in this test"
    )
