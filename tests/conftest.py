from __future__ import annotations

from pathlib import Path

import pytest

from omtanke.engine import Engine

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV = SHARED / "eval" / "dev.jsonl"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine()
