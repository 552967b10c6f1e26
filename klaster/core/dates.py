"""Calendar arithmetic: working days in Poland (when a demo event or a demo deadline may fall)
and whole months later (when a marketplace profile expires).

Pure Python (no django). Public holidays are the statutory ones (Ustawa o dniach wolnych od
pracy), Christmas Eve included since 2025; the moveable feasts follow Easter.
"""

from __future__ import annotations

import calendar
import datetime

# (month, day) of the fixed public holidays, plus New Year's Eve: nobody holds a brokerage day
# or a deadline on it.
_FIXED_DAYS_OFF = {
    (1, 1), (1, 6), (5, 1), (5, 3), (8, 15), (11, 1), (11, 11),
    (12, 24), (12, 25), (12, 26), (12, 31),
}  # fmt: skip


def easter_sunday(year: int) -> datetime.date:
    """Western Easter (the anonymous Gregorian computus).

    Examples
    --------
    >>> easter_sunday(2026)
    datetime.date(2026, 4, 5)
    """
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the computus's own letter)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not a public holiday in Poland.

    Examples
    --------
    >>> is_working_day(datetime.date(2026, 12, 25))
    False
    >>> is_working_day(datetime.date(2026, 12, 28))
    True
    """
    if day.weekday() >= 5 or (day.month, day.day) in _FIXED_DAYS_OFF:
        return False
    easter = easter_sunday(day.year)
    moveable = {easter + datetime.timedelta(days=n) for n in (1, 60)}  # Monday, Corpus Christi
    return day not in moveable


def working_day_from(day: datetime.date) -> datetime.date:
    """`day` itself when it is a working day, else the next one."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def months_later(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same moment `months` calendar months later (earlier when negative); the 31st
    becomes the month's last day where it has fewer.

    >>> months_later(datetime.datetime(2026, 1, 31, 9), 1)
    datetime.datetime(2026, 2, 28, 9, 0)
    >>> months_later(datetime.datetime(2026, 3, 15), -6)
    datetime.datetime(2025, 9, 15, 0, 0)
    """
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )
