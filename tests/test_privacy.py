"""The checked text may hold CPR numbers and health data: never in logs or error messages."""

from __future__ import annotations

import logging

import pytest

from omtanke.engine import Engine
from omtanke.errors import OmtankeError, TextTooLongError

SECRET = "Borgeren Jens Hansen med demens, cpr 120379-3649, tlf 40 12 88 93"


def test_check_logs_nothing_of_the_text(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        engine.check(SECRET, municipality="hjoerring", channel="work_profile")
    for record in caplog.records:
        msg = record.getMessage()
        assert "120379" not in msg and "Jens" not in msg and "demens" not in msg


def test_errors_do_not_contain_the_text(engine: Engine) -> None:
    small = Engine(max_chars=10)
    with pytest.raises(TextTooLongError) as info:
        small.check(SECRET, municipality="vejle")
    assert "120379" not in str(info.value)
    with pytest.raises(OmtankeError) as info2:
        engine.check(SECRET, municipality="ukendt-" + SECRET[:5])
    assert "120379" not in str(info2.value)
