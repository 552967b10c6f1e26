"""Calendar arithmetic: working days in Poland, for dating demo events and deadlines, and whole
months later, for marketplace expiry."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaster.core.dates import easter_sunday, is_working_day, months_later, working_day_from


def test_easter_falls_on_the_known_sundays():
    assert easter_sunday(2025) == datetime.date(2025, 4, 20)
    assert easter_sunday(2026) == datetime.date(2026, 4, 5)
    assert easter_sunday(2027) == datetime.date(2027, 3, 28)


def test_christmas_new_year_weekends_and_easter_monday_are_not_working_days():
    for day in ["2026-12-24", "2026-12-25", "2026-12-26", "2027-01-01", "2026-12-05",
                "2026-04-06", "2026-11-11"]:  # fmt: skip
        assert not is_working_day(datetime.date.fromisoformat(day)), day
    assert is_working_day(datetime.date(2026, 12, 28))


def test_a_day_off_moves_to_the_next_working_day():
    assert working_day_from(datetime.date(2026, 12, 24)) == datetime.date(2026, 12, 28)
    assert working_day_from(datetime.date(2026, 12, 28)) == datetime.date(2026, 12, 28)


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_the_working_day_found_is_the_first_on_or_after_the_day(day):
    found = working_day_from(day)
    assert found >= day and is_working_day(found) and (found - day).days <= 6
    assert not any(
        is_working_day(day + datetime.timedelta(days=n)) for n in range((found - day).days)
    )


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime.datetime(2026, 1, 31, 9), 1, datetime.datetime(2026, 2, 28, 9)),
        (datetime.datetime(2026, 3, 2, 9), 12, datetime.datetime(2027, 3, 2, 9)),
        (datetime.datetime(2026, 3, 31, 9), -6, datetime.datetime(2025, 9, 30, 9)),
        (datetime.datetime(2024, 2, 29, 9), 12, datetime.datetime(2025, 2, 28, 9)),
        (datetime.datetime(2026, 12, 15, 9), 1, datetime.datetime(2027, 1, 15, 9)),
    ],
)
def test_months_later_keeps_the_day_where_the_month_has_it(moment, months, expected):
    assert months_later(moment, months) == expected
