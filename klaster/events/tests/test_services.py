import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from klaster.core.schedule import Instance, Meeting, Participant, Schedule, schedule_violations
from klaster.core.schedule import MeetingRequest as CoreRequest
from klaster.events import services
from klaster.events.models import Event, MeetingRequest, Registration
from klaster.events.tests.factories import (
    EventFactory,
    MeetingRequestFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

GUEST = {"name": "Jan Nowak", "email": "jan@example.de", "organisation_name": "Nowak GmbH"}


def _accepted(a, b, **kwargs):
    return MeetingRequestFactory(
        sender=a, recipient=b, status=MeetingRequest.Status.ACCEPTED, **kwargs
    )


# --- Events -----------------------------------------------------------------------------------


def test_coordinator_creates_event_as_draft(coordinator):
    start = timezone.now() + datetime.timedelta(days=10)
    event = services.event_create(
        user=coordinator,
        data={
            "kind": Event.Kind.TRAINING,
            "title": "Szkolenie: Horyzont Europa",
            "place": "Warszawa",
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=3),
        },
    )
    assert event.is_published is False
    assert services.event_publish(event=event, user=coordinator).is_published


def test_member_editor_cannot_create_or_publish_events(editor_a):
    event = EventFactory(is_published=False)
    with pytest.raises(PermissionDenied):
        services.event_create(user=editor_a, data={"title": "x"})
    with pytest.raises(PermissionDenied):
        services.event_publish(event=event, user=editor_a)


def test_event_cannot_end_before_it_starts(coordinator):
    start = timezone.now()
    with pytest.raises(ValidationError):
        services.event_create(
            user=coordinator,
            data={
                "kind": Event.Kind.CONFERENCE,
                "title": "Konferencja",
                "place": "Warszawa",
                "starts_at": start,
                "ends_at": start - datetime.timedelta(hours=1),
            },
        )


# --- Registration, waiting list, check-in -----------------------------------------------------


def test_member_registration_is_linked_to_their_organisation(editor_a, organisation_a):
    event = EventFactory()
    registration = services.registration_create(
        event=event, user=editor_a, data={"offers": "magazyny energii"}
    )
    assert registration.organisation == organisation_a
    assert registration.organisation_name == organisation_a.name
    assert registration.is_confirmed
    assert len(registration.code) == services.CODE_LENGTH


def test_external_guest_registers_with_name_email_and_country():
    event = EventFactory()
    registration = services.registration_create(event=event, data={**GUEST, "country": "de"})
    assert registration.user is None and registration.organisation is None
    assert registration.country == "DE"


def test_registration_needs_name_email_and_organisation():
    with pytest.raises(ValidationError):
        services.registration_create(event=EventFactory(), data={"name": "Jan"})


def test_same_email_cannot_register_twice():
    event = EventFactory()
    services.registration_create(event=event, data=GUEST)
    with pytest.raises(ValidationError):
        services.registration_create(event=event, data={**GUEST, "email": "JAN@example.de"})


def test_registration_closes_after_the_deadline():
    event = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError):
        services.registration_create(event=event, data=GUEST)


def test_unpublished_event_takes_no_registrations():
    with pytest.raises(ValidationError):
        services.registration_create(event=EventFactory(is_published=False), data=GUEST)


def test_full_event_puts_people_on_the_waiting_list_and_promotes_on_cancel():
    event = EventFactory(capacity=1)
    first = services.registration_create(event=event, data=GUEST)
    second = services.registration_create(
        event=event, data={**GUEST, "email": "ewa@example.org", "name": "Ewa"}
    )
    third = services.registration_create(
        event=event, data={**GUEST, "email": "olek@example.org", "name": "Olek"}
    )
    assert second.status == Registration.Status.WAITLISTED
    promoted = services.registration_cancel(registration=first)
    assert promoted == second
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.is_confirmed
    assert third.status == Registration.Status.WAITLISTED


def test_cancelling_from_the_waiting_list_promotes_nobody():
    event = EventFactory(capacity=1)
    services.registration_create(event=event, data=GUEST)
    waiting = services.registration_create(event=event, data={**GUEST, "email": "ewa@example.org"})
    assert services.registration_cancel(registration=waiting) is None


def test_registering_again_after_cancelling_makes_a_new_registration_with_new_secrets():
    event = EventFactory()
    registration = services.registration_create(event=event, data=GUEST)
    services.registration_cancel(registration=registration)
    again = services.registration_create(event=event, data=GUEST)
    assert again.pk != registration.pk and again.is_confirmed
    assert again.code != registration.code
    assert again.access_token != registration.access_token
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_check_in_by_code_marks_attendance_once(coordinator):
    registration = RegistrationFactory(code="ABC234")
    now = timezone.now()
    checked = services.registration_check_in(
        event=registration.event, code=" abc234 ", user=coordinator, now=now
    )
    assert checked.checked_in_at == now
    later = services.registration_check_in(
        event=registration.event, code="ABC234", user=coordinator, now=now + datetime.timedelta(1)
    )
    assert later.checked_in_at == now


def test_check_in_rejects_unknown_code_and_other_events_code(coordinator):
    registration = RegistrationFactory(code="ABC234")
    with pytest.raises(ValidationError):
        services.registration_check_in(event=registration.event, code="ZZZ999", user=coordinator)
    with pytest.raises(ValidationError):
        services.registration_check_in(event=EventFactory(), code="ABC234", user=coordinator)


def test_check_in_refuses_the_waiting_list(coordinator):
    registration = RegistrationFactory(code="WAIT22", status=Registration.Status.WAITLISTED)
    with pytest.raises(ValidationError):
        services.registration_check_in(event=registration.event, code="WAIT22", user=coordinator)


def test_member_editor_cannot_check_people_in(editor_a):
    registration = RegistrationFactory(code="ABC234")
    with pytest.raises(PermissionDenied):
        services.registration_check_in(event=registration.event, code="ABC234", user=editor_a)


# --- Meeting requests -------------------------------------------------------------------------


def test_request_is_sent_accepted_and_expires_after_configured_hours():
    event = EventFactory(request_expiry_hours=24)
    a, b = RegistrationFactory(event=event), RegistrationFactory(event=event)
    now = timezone.now()
    request = services.meeting_request_create(sender=a, recipient=b, message="Hej", now=now)
    assert request.expires_at == now + datetime.timedelta(hours=24)
    assert request.status_at(now + datetime.timedelta(hours=25)) == MeetingRequest.Status.EXPIRED
    services.meeting_request_respond(request=request, registration=b, accept=True, now=now)
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED


def test_nobody_accepts_a_request_addressed_to_someone_else():
    event = EventFactory()
    a, b, c = (RegistrationFactory(event=event) for _ in range(3))
    request = services.meeting_request_create(sender=a, recipient=b)
    for outsider in (a, c, None):
        with pytest.raises(PermissionDenied):
            services.meeting_request_respond(request=request, registration=outsider, accept=True)


def test_expired_request_cannot_be_accepted_but_can_be_sent_again():
    event = EventFactory(request_expiry_hours=1)
    a, b = RegistrationFactory(event=event), RegistrationFactory(event=event)
    then = timezone.now() - datetime.timedelta(hours=2)
    request = services.meeting_request_create(sender=a, recipient=b, now=then)
    with pytest.raises(ValidationError):
        services.meeting_request_respond(request=request, registration=b, accept=True)
    renewed = services.meeting_request_create(sender=a, recipient=b)
    assert renewed.pk == request.pk and renewed.status_at(timezone.now()) == "pending"


def test_no_second_request_between_the_same_two_people():
    event = EventFactory()
    a, b = RegistrationFactory(event=event), RegistrationFactory(event=event)
    services.meeting_request_create(sender=a, recipient=b)
    with pytest.raises(ValidationError):
        services.meeting_request_create(sender=b, recipient=a)


def test_requests_only_to_confirmed_participants_of_the_same_event():
    event = EventFactory()
    a = RegistrationFactory(event=event)
    with pytest.raises(ValidationError):
        services.meeting_request_create(sender=a, recipient=RegistrationFactory())
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    with pytest.raises(ValidationError):
        services.meeting_request_create(sender=a, recipient=waiting)
    with pytest.raises(ValidationError):
        services.meeting_request_create(sender=a, recipient=a)
    with pytest.raises(PermissionDenied):
        services.meeting_request_create(sender=waiting, recipient=a)


def test_answered_request_cannot_be_answered_again():
    request = MeetingRequestFactory(status=MeetingRequest.Status.DECLINED)
    with pytest.raises(ValidationError):
        services.meeting_request_respond(
            request=request, registration=request.recipient, accept=True
        )


def test_expire_command_marks_only_late_pending_requests():
    now = timezone.now()
    late = MeetingRequestFactory(expires_at=now - datetime.timedelta(minutes=1))
    fresh = MeetingRequestFactory(expires_at=now + datetime.timedelta(hours=1))
    accepted = MeetingRequestFactory(
        status=MeetingRequest.Status.ACCEPTED, expires_at=now - datetime.timedelta(hours=1)
    )
    assert services.meeting_requests_expire(now=now) == 1
    late.refresh_from_db(), fresh.refresh_from_db(), accepted.refresh_from_db()
    assert (late.status, fresh.status, accepted.status) == ("expired", "pending", "accepted")


def test_availability_is_stored_as_the_slots_left_out():
    registration = RegistrationFactory()
    services.availability_set(registration=registration, available_slots=[0, 2])
    assert registration.unavailable_slots == [1, 3]
    with pytest.raises(ValidationError):
        services.availability_set(registration=registration, available_slots=[99])


# --- Scheduling -------------------------------------------------------------------------------


def _day(event):
    """The event's meetings as a core schedule instance, for the independent checker."""
    regs = event.registrations.filter(status="confirmed")
    everyone = frozenset(range(event.slot_count))
    return Instance(
        slots=event.slot_count,
        tables=event.table_count,
        participants=tuple(Participant(r.pk, everyone - set(r.unavailable_slots)) for r in regs),
        requests=tuple(
            CoreRequest(q.sender_id, q.recipient_id)
            for q in event.meeting_requests.filter(status="accepted")
        ),
        breaks=frozenset(event.break_slots),
    )


def test_schedule_places_accepted_requests_within_availability_tables_and_breaks(coordinator):
    event = EventFactory(slot_count=4, table_count=1, break_slots=[1])
    a, b, c = (RegistrationFactory(event=event) for _ in range(3))
    c.unavailable_slots = [0]
    c.save()
    _accepted(a, b)
    _accepted(a, c)
    _accepted(b, c)
    MeetingRequestFactory(sender=c, recipient=RegistrationFactory(event=event))  # pending
    outcome = services.event_schedule(event=event, user=coordinator, time_limit=2)
    assert outcome.meetings == 3
    meetings = list(event.meetings.all())
    assert {m.slot for m in meetings} == {0, 2, 3}
    core = tuple(Meeting(m.a_id, m.b_id, m.slot, m.table) for m in meetings)
    assert schedule_violations(_day(event), Schedule(meetings=core)) == []
    assert all(m.request_id for m in meetings)


def test_unschedulable_request_gets_a_reason(coordinator):
    event = EventFactory(slot_count=2, table_count=1)
    a, b = RegistrationFactory(event=event), RegistrationFactory(event=event)
    a.unavailable_slots, b.unavailable_slots = [0], [1]
    a.save(), b.save()
    request = _accepted(a, b)
    outcome = services.event_schedule(event=event, user=coordinator, time_limit=1)
    request.refresh_from_db()
    assert outcome.meetings == 0 and outcome.unscheduled == 1
    assert request.unscheduled_reason


def test_late_acceptance_is_added_without_moving_announced_meetings(coordinator):
    event = EventFactory(slot_count=3, table_count=1)
    a, b, c, d = (RegistrationFactory(event=event) for _ in range(4))
    _accepted(a, b)
    services.event_schedule(event=event, user=coordinator, time_limit=1)
    services.event_schedule_announce(event=event, user=coordinator)
    announced = {(m.a_id, m.b_id, m.slot, m.table) for m in event.meetings.all()}
    _accepted(c, d)
    _accepted(a, c)
    outcome = services.event_schedule(event=event, user=coordinator, time_limit=1)
    after = list(event.meetings.all())
    assert announced <= {(m.a_id, m.b_id, m.slot, m.table) for m in after}
    assert outcome.meetings == 3 and outcome.new_meetings == 2
    # After the announcement a late meeting is announced at once, so it never moves either.
    assert all(m.is_locked for m in after)


def test_staff_meeting_with_a_slot_is_locked_and_kept_by_the_scheduler(coordinator):
    event = EventFactory(slot_count=2, table_count=1)
    a, b, c = (RegistrationFactory(event=event) for _ in range(3))
    services.meeting_add_by_staff(event=event, user=coordinator, a=a, b=b, slot=1)
    _accepted(a, c)
    services.event_schedule(event=event, user=coordinator, time_limit=1)
    placed = {(m.a_id, m.b_id): (m.slot, m.is_locked) for m in event.meetings.all()}
    assert placed[(a.pk, b.pk)] == (1, True)
    assert placed[(a.pk, c.pk)] == (0, False)


def test_staff_meeting_rejects_busy_slot_and_strangers(coordinator):
    event = EventFactory(slot_count=2, table_count=2, break_slots=[0])
    a, b, c = (RegistrationFactory(event=event) for _ in range(3))
    with pytest.raises(ValidationError):
        services.meeting_add_by_staff(event=event, user=coordinator, a=a, b=b, slot=0)
    services.meeting_add_by_staff(event=event, user=coordinator, a=a, b=b, slot=1)
    with pytest.raises(ValidationError):
        services.meeting_add_by_staff(event=event, user=coordinator, a=a, b=c, slot=1)
    with pytest.raises(ValidationError):
        services.meeting_add_by_staff(
            event=event, user=coordinator, a=a, b=RegistrationFactory(), slot=None
        )


def test_only_staff_schedule_and_announce(editor_a):
    event = EventFactory()
    with pytest.raises(PermissionDenied):
        services.event_schedule(event=event, user=editor_a)
    with pytest.raises(PermissionDenied):
        services.event_schedule_announce(event=event, user=editor_a)
    with pytest.raises(PermissionDenied):
        services.meeting_add_by_staff(
            event=event,
            user=editor_a,
            a=RegistrationFactory(event=event),
            b=RegistrationFactory(event=event),
        )


def test_announced_meeting_clashing_with_new_availability_is_reported(coordinator):
    event = EventFactory(slot_count=2, table_count=1)
    a, b = RegistrationFactory(event=event), RegistrationFactory(event=event)
    _accepted(a, b)
    services.event_schedule(event=event, user=coordinator, time_limit=1)
    services.event_schedule_announce(event=event, user=coordinator)
    slot = event.meetings.get().slot
    a.unavailable_slots = [slot]
    a.save()
    with pytest.raises(ValidationError):
        services.event_schedule(event=event, user=coordinator, time_limit=1)


def test_big_day_is_scheduled_by_a_background_job(
    coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    from klaster.jobs.models import Job

    event = EventFactory(slot_count=3, table_count=2)
    a, b = RegistrationFactory(event=event), RegistrationFactory(event=event)
    _accepted(a, b)
    monkeypatch.setattr(services, "BACKGROUND_REQUESTS", 0)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.event_schedule_start(event=event, user=coordinator)
    job.refresh_from_db()
    assert isinstance(job, Job)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["meetings"] == 1
    assert event.meetings.count() == 1


def test_expire_command_reports_how_many_it_marked():
    from io import StringIO

    from django.core.management import call_command

    MeetingRequestFactory(expires_at=timezone.now() - datetime.timedelta(minutes=5))
    out = StringIO()
    call_command("expire_meeting_requests", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert MeetingRequest.objects.get().status == MeetingRequest.Status.EXPIRED
