import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from klaster.events.models import Event, Meeting, MeetingRequest, Registration
from klaster.events.tests.factories import (
    EventFactory,
    MeetingRequestFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


# --- Public pages and iCal --------------------------------------------------------------------


def test_public_sees_published_events_but_not_drafts(anonymous):
    published = EventFactory(title="Misja handlowa do Bawarii", kind=Event.Kind.TRADE_MISSION)
    draft = EventFactory(title="Szkic wydarzenia", is_published=False)
    page = _text(anonymous.get("/events/"))
    assert published.title in page and draft.title not in page
    assert anonymous.get(f"/events/{draft.pk}/").status_code == 404
    assert anonymous.get(f"/events/{published.pk}/").status_code == 200


def test_staff_see_drafts(client_for, coordinator):
    draft = EventFactory(title="Szkic wydarzenia", is_published=False)
    assert draft.title in _text(client_for(coordinator).get("/events/"))


def test_ical_feed_lists_published_events_in_rfc5545_form(anonymous):
    EventFactory(title="Dzień B2B; energia, kosmos")
    EventFactory(title="Szkic", is_published=False)
    response = anonymous.get("/events/feed.ics")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Dzień B2B\\; energia\\, kosmos\r\n" in body
    assert "Szkic" not in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_event_ics_of_a_draft_is_hidden(anonymous):
    draft = EventFactory(is_published=False)
    assert anonymous.get(f"/events/{draft.pk}/event.ics").status_code == 404


# --- Registration -----------------------------------------------------------------------------


def test_guest_registers_and_sees_their_code(anonymous):
    event = EventFactory()
    response = anonymous.post(
        f"/events/{event.pk}/register/",
        {
            "name": "Hans Müller",
            "email": "hans@example.de",
            "organisation_name": "Müller Raumfahrt GmbH",
            "country": "DE",
            "offers": "satelity",
            "looking_for": "partnerzy z Polski",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get(email="hans@example.de")
    page = _text(anonymous.get(f"/events/{event.pk}/me/"))
    assert registration.code in page


def test_guest_registration_with_bad_country_shows_the_form_again(anonymous):
    event = EventFactory()
    response = anonymous.post(
        f"/events/{event.pk}/register/",
        {"name": "X", "email": "x@example.org", "organisation_name": "X", "country": "Polska"},
    )
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_private_link_opens_the_registration_in_another_browser(client):
    registration = RegistrationFactory()
    response = client.get(f"/events/r/{registration.access_token}/")
    assert response.status_code == 302
    assert registration.code in _text(client.get(f"/events/{registration.event_id}/me/"))
    assert client.get("/events/r/not-a-token/").status_code == 404


def test_member_registers_without_retyping_their_organisation(client_for, editor_a):
    event = EventFactory()
    client = client_for(editor_a)
    response = client.post(f"/events/{event.pk}/register/", {"offers": "IoT"})
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.user == editor_a and registration.organisation == editor_a.organisation


def test_cancel_from_own_page(client_for, editor_a):
    registration = RegistrationFactory(user=editor_a)
    client = client_for(editor_a)
    client.post(f"/events/{registration.event_id}/cancel/")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


# --- Catalogue, requests, availability, agenda: who sees what ---------------------------------


@pytest.fixture
def day(editor_a, editor_b):
    """A brokerage day where editor_a and editor_b are registered, with a third guest."""
    event = EventFactory(slot_count=3, table_count=1)
    a = RegistrationFactory(
        event=event,
        user=editor_a,
        offers="magazyny energii",
        looking_for="satelity obserwacyjne",
    )
    b = RegistrationFactory(
        event=event, user=editor_b, offers="satelity obserwacyjne", looking_for="energia"
    )
    c = RegistrationFactory(event=event, offers="catering", looking_for="klienci")
    return event, a, b, c


def test_participant_sees_catalogue_with_suggested_match(client_for, editor_a, day):
    event, a, b, c = day
    response = client_for(editor_a).get(f"/events/{event.pk}/participants/")
    page = _text(response)
    assert response.status_code == 200
    assert 'data-testid="suggestions"' in page
    suggestions = page.split('data-testid="suggestions"')[1].split("</ul>")[0]
    assert b.name in suggestions and c.name not in suggestions


def test_catalogue_search_returns_a_fragment_for_htmx(client_for, editor_a, day):
    event, a, b, c = day
    response = client_for(editor_a).get(
        f"/events/{event.pk}/participants/", {"q": "catering"}, HTTP_HX_REQUEST="true"
    )
    page = _text(response)
    assert "<html" not in page
    assert c.name in page and b.name not in page


def test_participant_of_another_event_cannot_see_this_catalogue(client_for, investor, day):
    event, *_ = day
    RegistrationFactory(user=investor)  # registered elsewhere
    assert client_for(investor).get(f"/events/{event.pk}/participants/").status_code == 404


def test_anonymous_cannot_see_the_catalogue(anonymous, day):
    event, *_ = day
    assert anonymous.get(f"/events/{event.pk}/participants/").status_code == 404


def test_waitlisted_participant_cannot_see_the_catalogue(client_for, investor, day):
    event, *_ = day
    RegistrationFactory(event=event, user=investor, status=Registration.Status.WAITLISTED)
    assert client_for(investor).get(f"/events/{event.pk}/participants/").status_code == 404


def test_staff_see_the_catalogue(client_for, coordinator, day):
    event, a, *_ = day
    assert a.name in _text(client_for(coordinator).get(f"/events/{event.pk}/participants/"))


def test_request_sent_by_htmx_and_accepted_by_the_recipient(client_for, editor_a, editor_b, day):
    event, a, b, c = day
    response = client_for(editor_a).post(
        f"/events/{event.pk}/requests/send/",
        {"recipient": b.pk, "message": "Spotkajmy się"},
        HTTP_HX_REQUEST="true",
    )
    assert 'data-testid="request-sent"' in _text(response)
    request = MeetingRequest.objects.get()
    assert _text(client_for(editor_b).get(f"/events/{event.pk}/requests/")).count("Spotkajmy") == 1
    client_for(editor_b).post(
        f"/events/{event.pk}/requests/{request.pk}/respond/", {"decision": "accept"}
    )
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED


def test_request_to_someone_outside_the_event_is_refused(client_for, editor_a, day):
    event, *_ = day
    stranger = RegistrationFactory()
    response = client_for(editor_a).post(
        f"/events/{event.pk}/requests/send/", {"recipient": stranger.pk, "message": ""}
    )
    assert response.status_code == 302
    assert not MeetingRequest.objects.exists()
    response = client_for(editor_a).post(
        f"/events/{event.pk}/requests/send/", {"recipient": "abc"}, HTTP_HX_REQUEST="true"
    )
    assert 'role="alert"' in _text(response)


def test_sender_cannot_accept_their_own_request(client_for, editor_a, day):
    event, a, b, c = day
    request = MeetingRequestFactory(sender=a, recipient=b)
    response = client_for(editor_a).post(
        f"/events/{event.pk}/requests/{request.pk}/respond/", {"decision": "accept"}
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.PENDING


def test_outsider_cannot_accept_a_request_of_another_event(client_for, investor, day):
    event, a, b, c = day
    request = MeetingRequestFactory(sender=a, recipient=b)
    mine = RegistrationFactory(user=investor)
    response = client_for(investor).post(
        f"/events/{mine.event_id}/requests/{request.pk}/respond/", {"decision": "accept"}
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.PENDING


def test_expired_request_shows_as_expired_without_any_command(client_for, editor_b, day):
    event, a, b, c = day
    MeetingRequestFactory(
        sender=a,
        recipient=b,
        created_at=timezone.now() - datetime.timedelta(hours=80),
        expires_at=timezone.now() - datetime.timedelta(hours=8),
    )
    page = _text(client_for(editor_b).get(f"/events/{event.pk}/requests/"))
    assert "status-expired" in page and 'data-testid="accept-' not in page


def test_availability_page_saves_ticked_slots(client_for, editor_a, day):
    event, a, *_ = day
    client = client_for(editor_a)
    assert client.get(f"/events/{event.pk}/availability/").status_code == 200
    client.post(f"/events/{event.pk}/availability/", {"slot": ["0", "2"]})
    a.refresh_from_db()
    assert a.unavailable_slots == [1]
    client.post(f"/events/{event.pk}/availability/", {"slot": ["x"]})
    a.refresh_from_db()
    assert a.unavailable_slots == [1]


def test_agenda_shows_only_announced_meetings_to_participants(client_for, editor_a, day):
    event, a, b, c = day
    meeting = Meeting.objects.create(event=event, a=a, b=b, slot=1, table=0)
    client = client_for(editor_a)
    assert b.name not in _text(client.get(f"/events/{event.pk}/agenda/"))
    meeting.is_locked = True
    meeting.save()
    assert b.name in _text(client.get(f"/events/{event.pk}/agenda/"))
    ics = client.get(f"/events/{event.pk}/agenda.ics").content.decode()
    assert ics.count("BEGIN:VEVENT") == 1
    pdf = client.get(f"/events/{event.pk}/agenda.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"DejaVu" in pdf.content  # an embedded Unicode font: Polish letters print


def test_participant_cannot_open_someone_elses_agenda(client_for, editor_a, day):
    event, a, b, c = day
    Meeting.objects.create(event=event, a=b, b=c, slot=0, table=0, is_locked=True)
    page = _text(client_for(editor_a).get(f"/events/{event.pk}/agenda/?participant={b.pk}"))
    assert c.name not in page  # the parameter is for staff only: this is a's own agenda


def test_agenda_needs_a_registration(anonymous, client_for, investor, day):
    event, *_ = day
    assert anonymous.get(f"/events/{event.pk}/agenda/").status_code == 404
    assert client_for(investor).get(f"/events/{event.pk}/agenda.pdf").status_code == 404


def test_staff_open_any_agenda_including_unannounced(client_for, coordinator, day):
    event, a, b, c = day
    Meeting.objects.create(event=event, a=b, b=c, slot=0, table=0)
    page = _text(client_for(coordinator).get(f"/events/{event.pk}/agenda/?participant={b.pk}"))
    assert c.name in page


# --- Staff pages ------------------------------------------------------------------------------


def test_staff_create_event_with_breaks_from_the_form(client_for, coordinator):
    response = client_for(coordinator).post(
        "/events/new/",
        {
            "kind": "brokerage",
            "title": "Giełda kooperacyjna",
            "place": "Warszawa",
            "starts_at": "2026-09-10T09:00",
            "ends_at": "2026-09-10T17:00",
            "has_b2b": "on",
            "b2b_starts_at": "2026-09-10T10:00",
            "slot_minutes": "20",
            "slot_count": "12",
            "table_count": "30",
            "request_expiry_hours": "48",
            "breaks": "4, 8",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.break_slots == [3, 7] and not event.is_published


def test_event_form_rejects_break_beyond_the_slots(client_for, coordinator):
    response = client_for(coordinator).post(
        "/events/new/",
        {
            "kind": "brokerage",
            "title": "Giełda",
            "place": "Warszawa",
            "starts_at": "2026-09-10T09:00",
            "ends_at": "2026-09-10T17:00",
            "slot_minutes": "20",
            "slot_count": "4",
            "table_count": "3",
            "request_expiry_hours": "48",
            "breaks": "9",
        },
    )
    assert response.status_code == 200 and not Event.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/events/new/",
        "/events/{pk}/edit/",
        "/events/{pk}/manage/",
        "/events/{pk}/check-in/",
        "/events/{pk}/export.csv",
        "/events/{pk}/table-plan/",
    ],
)
def test_member_editor_cannot_open_staff_pages(client_for, editor_a, path):
    event = EventFactory()
    RegistrationFactory(event=event, user=editor_a)
    assert client_for(editor_a).get(path.format(pk=event.pk)).status_code == 403


@pytest.mark.parametrize(
    "path", ["/events/{pk}/schedule/", "/events/{pk}/announce/", "/events/{pk}/publish/"]
)
def test_member_editor_cannot_schedule_announce_or_publish(client_for, editor_a, path):
    event = EventFactory(is_published=False)
    assert client_for(editor_a).post(path.format(pk=event.pk)).status_code == 403
    event.refresh_from_db()
    assert not event.is_published and event.scheduled_at is None


def test_staff_check_in_by_htmx(client_for, coordinator):
    registration = RegistrationFactory(code="KOD234")
    client = client_for(coordinator)
    ok = client.post(
        f"/events/{registration.event_id}/check-in/", {"code": "kod234"}, HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="check-in-ok"' in _text(ok)
    bad = client.post(
        f"/events/{registration.event_id}/check-in/", {"code": "NOPE"}, HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="check-in-error"' in _text(bad)


def test_participant_export_csv_and_xlsx(client_for, coordinator):
    registration = RegistrationFactory(name="=HYPERLINK()", organisation_name="Łódź Tech")
    client = client_for(coordinator)
    csv_text = client.get(f"/events/{registration.event_id}/export.csv").content.decode("utf-8")
    assert "Łódź Tech" in csv_text and "'=HYPERLINK()" in csv_text
    xlsx = client.get(f"/events/{registration.event_id}/export.xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.cell(2, 1).value == registration.code
    assert client.get(f"/events/{registration.event_id}/export.pdf").status_code == 404


def test_staff_schedule_announce_and_table_plan(client_for, coordinator, day):
    event, a, b, c = day
    MeetingRequestFactory(sender=a, recipient=b, status=MeetingRequest.Status.ACCEPTED)
    client = client_for(coordinator)
    client.post(f"/events/{event.pk}/schedule/")
    assert Meeting.objects.filter(event=event).count() == 1
    client.post(f"/events/{event.pk}/announce/")
    assert Meeting.objects.get().is_locked
    plan = _text(client.get(f"/events/{event.pk}/table-plan/"))
    assert a.name in plan and b.name in plan
    manage = _text(client.get(f"/events/{event.pk}/manage/"))
    assert 'data-testid="request-stats"' in manage


def test_staff_add_meeting_by_hand_with_bad_input(client_for, coordinator, day):
    event, a, b, c = day
    client = client_for(coordinator)
    client.post(f"/events/{event.pk}/meetings/add/", {"a": a.pk, "b": b.pk, "slot": "x"})
    assert not Meeting.objects.exists()
    client.post(f"/events/{event.pk}/meetings/add/", {"a": a.pk, "b": b.pk, "slot": "2"})
    meeting = Meeting.objects.get()
    assert (meeting.slot, meeting.is_locked) == (1, True)
