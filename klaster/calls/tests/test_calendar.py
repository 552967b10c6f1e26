"""The month of deadlines: calls on their day, nothing from another month, navigation."""

import datetime

import pytest
from django.urls import reverse

from klaster.calls.forms import parse_month
from klaster.calls.models import Call

pytestmark = pytest.mark.django_db


def test_calendar_shows_a_call_on_its_deadline_day_and_nothing_from_another_month(client):
    october = Call.objects.create(
        identifier="OCT", title="Wind farms", deadline=datetime.date(2026, 10, 15)
    )
    Call.objects.create(identifier="SEP", title="Solar roofs", deadline=datetime.date(2026, 9, 30))
    Call.objects.create(identifier="NOV", title="Heat pumps", deadline=datetime.date(2026, 11, 1))

    response = client.get(reverse("calls:calendar"), {"month": "2026-10"})
    page = response.content.decode()
    days = {day.date: day.calls for week in response.context["month"].weeks for day in week}
    assert days[datetime.date(2026, 10, 15)] == (october,)
    # September 28 - November 1 fill the grid, but only October's deadlines are shown
    assert days[datetime.date(2026, 9, 30)] == () and days[datetime.date(2026, 11, 1)] == ()
    assert 'data-testid="calendar-day-2026-10-15"' in page
    assert reverse("calls:detail", args=[october.pk]) in page
    assert "Solar roofs" not in page and "Heat pumps" not in page
    assert "?month=2026-09" in page and "?month=2026-11" in page
    assert reverse("calls:feed") in page


def test_list_page_links_to_the_calendar(client):
    assert reverse("calls:calendar") in client.get(reverse("calls:list")).content.decode()


def test_year_boundaries_and_a_wrong_month_fall_back_to_this_month(client):
    month = client.get(reverse("calls:calendar"), {"month": "2027-01"}).context["month"]
    assert (month.previous, month.next) == (datetime.date(2026, 12, 1), datetime.date(2027, 2, 1))
    today = datetime.date(2026, 8, 20)
    assert parse_month("2026-13", today=today) == datetime.date(2026, 8, 1)
    assert parse_month("soon", today=today) == datetime.date(2026, 8, 1)
    assert parse_month("0001-01", today=today) == datetime.date(2026, 8, 1)
    assert client.get(reverse("calls:calendar"), {"month": "x"}).status_code == 200
