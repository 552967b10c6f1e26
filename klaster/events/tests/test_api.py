import pytest

from klaster.events.models import Meeting
from klaster.events.tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_api_lists_published_events_to_members_and_drafts_to_staff(
    client_for, editor_a, coordinator
):
    EventFactory(title="Konferencja ICT")
    EventFactory(title="Szkic", is_published=False)
    member = [e["title"] for e in client_for(editor_a).get("/api/events/").json()]
    staff = [e["title"] for e in client_for(coordinator).get("/api/events/").json()]
    assert member == ["Konferencja ICT"]
    assert sorted(staff) == ["Konferencja ICT", "Szkic"]


def test_anonymous_api_caller_sees_published_events_and_no_agenda(anonymous):
    event = EventFactory(title="Konferencja ICT")
    EventFactory(title="Szkic", is_published=False)
    assert [e["title"] for e in anonymous.get("/api/events/").json()] == ["Konferencja ICT"]
    assert anonymous.get(f"/api/events/{event.pk}/agenda").status_code in (401, 404)


def test_api_agenda_is_the_callers_own(client_for, editor_a, editor_b, investor):
    event = EventFactory()
    a = RegistrationFactory(event=event, user=editor_a)
    b = RegistrationFactory(event=event, user=editor_b)
    Meeting.objects.create(event=event, a=a, b=b, slot=0, table=1, is_locked=True)
    items = client_for(editor_a).get(f"/api/events/{event.pk}/agenda").json()
    assert [(i["slot"], i["table"], i["partner"]) for i in items] == [(1, 2, b.name)]
    assert client_for(investor).get(f"/api/events/{event.pk}/agenda").status_code == 404
