"""A brokerage day end to end: two members register, one asks the other for a meeting, the
other accepts, staff schedule and announce, and the meeting is in the personal agenda."""

import pytest

from klaster.events.models import Meeting, MeetingRequest, Registration
from klaster.events.tests.factories import EventFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _register(page, live_server, event, *, offers, looking_for):
    page.goto(f"{live_server.url}/events/")
    page.get_by_test_id(f"event-link-{event.pk}").click()
    page.get_by_test_id("register-link").click()
    page.locator("textarea[name=offers]").fill(offers)
    page.locator("textarea[name=looking_for]").fill(looking_for)
    page.get_by_test_id("register-submit").click()
    page.wait_for_url(f"**/events/{event.pk}/me/")
    return page.get_by_test_id("my-code").inner_text().strip()


def test_register_request_accept_schedule_and_see_the_agenda(
    live_server, signed_in_page, editor_a, editor_b, coordinator
):
    event = EventFactory(slot_count=4, table_count=2, break_slots=[1])

    anna = signed_in_page(editor_a.username)
    code_a = _register(
        anna, live_server, event, offers="magazyny energii", looking_for="zobrazowania satelitarne"
    )
    bartek = signed_in_page(editor_b.username)
    code_b = _register(
        bartek, live_server, event, offers="zobrazowania satelitarne", looking_for="energia"
    )
    assert code_a != code_b
    b = Registration.objects.get(event=event, user=editor_b)

    # Anna finds Bartek among the suggestions and asks for a meeting.
    anna.get_by_test_id("nav-catalogue").click()
    anna.get_by_test_id("suggestions").get_by_test_id(f"participant-{b.pk}").wait_for()
    catalogue = anna.get_by_test_id("catalogue")
    catalogue.get_by_test_id(f"request-open-{b.pk}").click()
    catalogue.get_by_test_id(f"request-message-{b.pk}").fill("Porozmawiajmy o danych.")
    catalogue.get_by_test_id(f"request-send-{b.pk}").click()
    catalogue.get_by_test_id("request-sent").wait_for()

    # Bartek accepts it.
    request = MeetingRequest.objects.get(event=event)
    bartek.get_by_test_id("nav-requests").click()
    bartek.get_by_test_id(f"accept-{request.pk}").click()
    bartek.get_by_test_id(f"status-{request.pk}").wait_for()
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED

    # Before the schedule is announced, Anna's agenda has no meeting.
    anna.get_by_test_id("nav-agenda").click()
    anna.get_by_test_id("agenda-empty").wait_for()

    # Staff schedule the day and announce it.
    staff = signed_in_page(coordinator.username)
    staff.goto(f"{live_server.url}/events/{event.pk}/manage/")
    staff.get_by_test_id("schedule").click()
    staff.wait_for_url(f"**/events/{event.pk}/manage/")
    staff.get_by_test_id("announce").click()
    staff.wait_for_url(f"**/events/{event.pk}/manage/")
    meeting = Meeting.objects.get(event=event)
    assert meeting.is_locked and meeting.slot != 1  # never in the break

    # Anna's agenda now shows the meeting with Bartek, in its slot.
    anna.reload()
    row = anna.get_by_test_id(f"agenda-slot-{meeting.slot}")
    row.wait_for()
    assert b.name in row.inner_text()
    assert b.organisation_name in row.inner_text()

    for page in (anna, bartek, staff):
        page.context.close()
