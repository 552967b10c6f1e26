"""Demo funding calls: dated relative to today, always open on a working day."""

import datetime

import pytest

from klaster.calls.models import Call
from klaster.core.dates import is_working_day
from klaster.demo.calls import DEMO_CALLS, demo_calls_refresh

DAY = datetime.timedelta(days=1)


@pytest.mark.django_db
def test_demo_calls_are_open_on_working_days_and_move_on_when_they_pass():
    today = datetime.date(2026, 11, 9)
    assert demo_calls_refresh(today=today) == len(DEMO_CALLS)
    deadlines = {c.identifier: c.deadline for c in Call.objects.all()}
    assert all(d >= today + 21 * DAY and is_working_day(d) for d in deadlines.values())
    assert demo_calls_refresh(today=today) == 0  # a second run the same day changes nothing

    next_year = today + 400 * DAY
    assert demo_calls_refresh(today=next_year) == len(DEMO_CALLS)
    assert all(c.deadline > next_year for c in Call.objects.all())
