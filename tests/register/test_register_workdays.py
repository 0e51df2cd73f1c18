"""Danish working days for complaint deadlines."""

from __future__ import annotations

from datetime import date

import pytest

from omtanke.register import add_working_days, danish_holidays
from omtanke.register.workdays import easter_sunday, is_working_day


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_holidays_2026() -> None:
    days = danish_holidays(2026)
    expected = {
        date(2026, 1, 1),  # nytårsdag
        date(2026, 4, 2),  # skærtorsdag
        date(2026, 4, 3),  # langfredag
        date(2026, 4, 5),  # påskedag
        date(2026, 4, 6),  # 2. påskedag
        date(2026, 5, 14),  # Kristi himmelfartsdag
        date(2026, 5, 24),  # pinsedag
        date(2026, 5, 25),  # 2. pinsedag
        date(2026, 6, 5),  # grundlovsdag
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 31),
    }
    assert days == expected
    assert date(2026, 5, 1) not in days  # store bededag is abolished from 2024
    assert date(2023, 5, 5) in danish_holidays(2023)  # ... but was a holiday in 2023


def test_add_working_days() -> None:
    assert add_working_days(date(2026, 3, 2), 0) == date(2026, 3, 2)
    assert add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday → Monday
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # Saturday → Monday
    assert add_working_days(date(2026, 3, 2), 10) == date(2026, 3, 16)
    assert add_working_days(date(2026, 12, 22), 5) == date(2027, 1, 4)  # over Christmas
    assert not is_working_day(date(2026, 6, 5))
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1)
