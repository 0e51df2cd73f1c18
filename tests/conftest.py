from __future__ import annotations

import pytest

from omtanke.engine import Engine


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine()
