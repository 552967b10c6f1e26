"""Funding calls know today's date: the list hides calls whose deadline passed unless asked,
a closed call's page says so and offers no consortium, and the builder refuses one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from klaster.calls.models import Call
from klaster.consortia import services
from klaster.consortia.models import ProjectIdea
from klaster.members.tests.factories import MembershipFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def calls(db):
    today = timezone.localdate()
    return {
        "closed": Call.objects.create(identifier="OLD", title="Closed yesterday",
                                      deadline=today - DAY),
        "last_day": Call.objects.create(identifier="TODAY", title="Closing today", deadline=today),
        "open": Call.objects.create(identifier="NEW", title="Open next month",
                                    deadline=today + 30 * DAY),
        "continuous": Call.objects.create(identifier="ANY", title="No deadline"),
    }  # fmt: skip


def _titles(client, **params) -> list[str]:
    return [c.title for c in client.get(reverse("calls:list"), params).context["page"]]


def test_call_list_hides_calls_whose_deadline_passed_unless_asked(client, calls):
    assert "Closed yesterday" not in _titles(client)
    assert {"Closing today", "Open next month", "No deadline"} <= set(_titles(client))
    assert "Closed yesterday" in _titles(client, show_closed="on")


def test_closed_calls_shown_on_request_are_marked_closed(client, calls):
    page = client.get(reverse("calls:list"), {"show_closed": "on"}).content.decode()
    assert page.count('data-testid="call-closed"') == 1


def test_ical_feed_keeps_past_deadlines(client, calls):
    text = client.get(reverse("calls:feed")).content.decode()
    assert f"UID:call-{calls['closed'].pk}@klaster" in text


def test_closed_call_page_says_so_and_offers_no_consortium(client_for, editor_a, calls):
    client = client_for(editor_a)
    closed = client.get(reverse("calls:detail", args=[calls["closed"].pk])).content.decode()
    assert 'data-testid="call-closed"' in closed
    assert 'data-testid="start-consortium"' not in closed
    still_open = client.get(reverse("calls:detail", args=[calls["last_day"].pk])).content.decode()
    assert 'data-testid="start-consortium"' in still_open
    assert 'data-testid="call-closed"' not in still_open


IDEA_FORM = {
    "title": "Grid AI", "summary": "AI for grid monitoring", "keywords": "ai, grid",
    "rule_set": "horizon-ria", "size": "5", "prefer_members": "on", "max_per_country": "",
    "roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "0",
    "roles-MIN_NUM_FORMS": "0", "roles-MAX_NUM_FORMS": "8",
    "roles-0-kind": "research partner", "roles-0-field": "AI",
}  # fmt: skip


def test_consortium_for_a_closed_call_is_refused_with_a_reason(client_for, editor_a, calls):
    MembershipFactory(organisation=editor_a.organisation)
    url = reverse("consortia:new_for_call", args=[calls["closed"].pk])

    response = client_for(editor_a).post(url, IDEA_FORM, follow=True)

    assert not ProjectIdea.objects.exists()
    assert response.redirect_chain[-1][0] == reverse("calls:detail", args=[calls["closed"].pk])
    messages = [str(m) for m in response.context["messages"]]
    assert any(calls["closed"].deadline.isoformat() in m for m in messages)


def test_consortium_service_refuses_a_closed_call(editor_a, calls):
    with pytest.raises(services.ValidationError):
        services.idea_create(
            owner=editor_a.organisation, user=editor_a, call=calls["closed"], roles=[],
            data={"title": "T", "summary": "S", "keywords": "", "rule_set": "horizon-ria",
                  "size": 5, "prefer_members": True, "max_per_country": None,
                  "include_sme": False},
        )  # fmt: skip
    assert not ProjectIdea.objects.exists()


@pytest.mark.django_db
def test_a_month_without_deadlines_points_to_the_next_one(client):
    today = timezone.localdate()
    later = (today.replace(day=1) + 70 * DAY).replace(day=15)  # two months on
    Call.objects.create(identifier="LATER", title="Later", deadline=later)

    page = client.get(reverse("calls:calendar")).content.decode()

    assert f'href="?month={later:%Y-%m}" data-testid="calendar-next-deadline"' in page
    assert later.isoformat() in page
