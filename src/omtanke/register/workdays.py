"""Danish working days, for complaint deadlines (frister).

A working day is Monday–Friday except the Danish public holidays (helligdage) and the days
the public sector has off by agreement: nytårsdag, skærtorsdag, langfredag, påskedag,
2. påskedag, store bededag (until 2023; abolished from 2024), Kristi himmelfartsdag,
pinsedag, 2. pinsedag, grundlovsdag (5 June), juleaftensdag, juledag, 2. juledag and
nytårsaftensdag.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

__all__ = ["add_working_days", "danish_holidays", "easter_sunday", "is_working_day"]


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def danish_holidays(year: int) -> frozenset[date]:
    """The days off (besides weekends) in the given year."""
    easter = easter_sunday(year)
    offsets = [-3, -2, 0, 1, 39, 49, 50]
    if year <= 2023:
        offsets.append(26)  # store bededag
    days = {easter + timedelta(days=o) for o in offsets}
    days |= {
        date(year, 1, 1),
        date(year, 6, 5),
        date(year, 12, 24),
        date(year, 12, 25),
        date(year, 12, 26),
        date(year, 12, 31),
    }
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in danish_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts).

    With ``days == 0`` the result is ``start`` itself.
    """
    if days < 0:
        raise ValueError("days must be zero or positive")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
