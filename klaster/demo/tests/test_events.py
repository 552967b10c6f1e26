"""The demo brokerage day: participants, requests in every state and a first schedule; its
private links and codes come from `secrets`, never from the public seed."""

import pytest

from klaster.demo.events import build_demo_events
from klaster.events.models import Event, MeetingRequest
from klaster.members.models import Organisation, Sector
from klaster.members.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_organisations(db):
    energy, _ = Sector.objects.get_or_create(
        code="energy", defaults={"name_pl": "Energia", "name_en": "Energy"}
    )
    organisations = []
    for index in range(12):
        organisation = OrganisationFactory(source=Organisation.Source.DEMO_GENERATED)
        organisation.sectors.add(energy)
        PersonFactory(organisation=organisation, email=f"demo{index}@firma.example")
        organisations.append(organisation)
    return organisations


def test_demo_brokerage_day_is_built_once_with_requests_and_a_schedule(
    demo_organisations, coordinator, editor_a, client_for
):
    editor_a.organisation = demo_organisations[0]
    editor_a.save()
    report = build_demo_events(seed=7)
    assert report.created and report.participants == 12
    event = Event.objects.get(is_demo=True)
    assert event.is_published and event.has_b2b
    assert event.registrations.filter(user=editor_a).exists()
    assert event.meeting_requests.filter(status=MeetingRequest.Status.ACCEPTED).exists()
    assert report.meetings == event.meetings.count() > 0

    again = build_demo_events(seed=7)
    assert not again.created and Event.objects.count() == 1
    assert again.participants == report.participants and again.requests == report.requests

    page = client_for(editor_a).get(f"/events/{event.pk}/participants/").content.decode()
    assert 'data-testid="demo-badge"' in page


def test_demo_without_a_demo_cluster_makes_an_empty_event(db):
    report = build_demo_events(seed=1)
    assert report.participants == 0 and report.meetings == 0


def test_demo_brokerage_day_is_three_weeks_ahead_on_a_working_day_not_christmas(db):
    import datetime

    from django.utils import timezone

    # Three weeks after 4 December is Christmas Day, a Friday: the demo moves to Monday 28th.
    build_demo_events(seed=1, today=datetime.date(2026, 12, 4))

    day = timezone.localtime(Event.objects.get(is_demo=True).starts_at).date()
    assert day == datetime.date(2026, 12, 28)


def test_demo_registration_secrets_do_not_follow_from_the_seed(db):
    def build():
        for index in range(3):
            organisation = OrganisationFactory(source=Organisation.Source.DEMO_GENERATED)
            PersonFactory(organisation=organisation, email=f"demo{index}@firma.example")
        build_demo_events(seed=7)
        event = Event.objects.get(is_demo=True)
        secrets = {(r.code, r.access_token) for r in event.registrations.all()}
        Event.objects.all().delete()
        Organisation.objects.all().delete()
        return secrets

    first, second = build(), build()
    assert len(first) == 3
    assert not {c for c, _t in first} & {c for c, _t in second}
    assert not {t for _c, t in first} & {t for _c, t in second}
    assert all(len(t) >= 43 and "demo" not in t for _c, t in first)
