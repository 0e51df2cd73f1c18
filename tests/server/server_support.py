"""Helpers of the HTTP API tests (a module of its own: test modules import it by name)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI

from omtanke.server.settings import Settings

with warnings.catch_warnings():  # starlette's TestClient on httpx: deprecated, still works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

__all__ = ["ROLES", "Api", "TestClient", "make_settings"]

ROLES = ("employee", "page_admin", "manager")


@dataclass
class Api:
    """A running app (lifespan started), its client and a token per role."""

    app: FastAPI
    client: TestClient
    tokens: dict[str, str]

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "register_url": str(tmp_path / "register.sqlite3"),
        "warm_up": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
