"""E-mails of brokerage events: who gets which, what it says, in which language, and that a
write which rolls back sends nothing."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from klaster.events import emails, services
from klaster.events.models import MeetingRequest, Registration
from klaster.events.tests.factories import (
    EventFactory,
    MeetingRequestFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

GUEST = {"name": "Jan Nowak", "email": "jan@example.de", "organisation_name": "Nowak GmbH"}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a service leaves for after its commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _only(outbox, address):
    assert [m.to for m in outbox] == [[address]]
    return outbox[0]


def _attachment(message, filename):
    found = [a for a in message.attachments if a[0] == filename]
    assert found, f"no {filename} attached"
    name, content, mimetype = found[0]
    assert mimetype == "text/calendar"
    return content


# --- Registration and the waiting list --------------------------------------------------------


def test_guest_gets_confirmation_with_code_private_link_and_event_calendar(mailoutbox, committed):
    event = EventFactory(title="Dzień B2B Energia")

    with committed():
        registration = services.registration_create(event=event, data=GUEST)

    message = _only(mailoutbox, "jan@example.de")
    assert "Dzień B2B Energia" in message.subject
    assert registration.code in message.body
    assert f"/events/r/{registration.access_token}/" in message.body
    ics = _attachment(message, "event.ics")
    assert "BEGIN:VEVENT" in ics and "SUMMARY:Dzień B2B Energia" in ics


def test_confirmation_is_in_polish_unless_the_person_registered_in_english(mailoutbox, committed):
    event = EventFactory()

    with committed():
        services.registration_create(event=event, data=GUEST)
        services.registration_create(
            event=event, data={**GUEST, "email": "ann@example.ie"}, language="en"
        )

    polish, english = mailoutbox
    assert polish.to == ["jan@example.de"] and "Twój kod" in polish.body
    assert english.to == ["ann@example.ie"] and "Your check-in code" in english.body
    assert Registration.objects.get(email="ann@example.ie").language == "en"


def test_member_confirmation_links_to_their_page_not_a_private_link(
    mailoutbox, committed, editor_a
):
    editor_a.email = "anna@alfa.pl"
    editor_a.save()
    event = EventFactory()

    with committed():
        registration = services.registration_create(event=event, user=editor_a, data={})

    message = _only(mailoutbox, "anna@alfa.pl")
    assert f"/events/{event.pk}/me/" in message.body
    assert registration.access_token not in message.body


def test_waitlisted_person_hears_they_wait_and_gets_no_code(mailoutbox, committed):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)

    with committed():
        registration = services.registration_create(event=event, data=GUEST, language="en")

    message = _only(mailoutbox, "jan@example.de")
    assert registration.status == Registration.Status.WAITLISTED
    assert "waiting list" in message.subject
    assert registration.code not in message.body
    assert message.attachments == []


def test_first_on_the_waiting_list_is_told_when_a_seat_frees(mailoutbox, committed):
    event = EventFactory(capacity=1)
    leaving = RegistrationFactory(event=event, email="leaving@example.org")
    waiting = RegistrationFactory(
        event=event, status=Registration.Status.WAITLISTED, email="waiting@example.org"
    )
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED, email="next@x.org")

    with committed():
        services.registration_cancel(registration=leaving)

    message = _only(mailoutbox, "waiting@example.org")
    assert waiting.code in message.body
    _attachment(message, "event.ics")


# --- Meeting requests -------------------------------------------------------------------------


def test_meeting_request_is_mailed_to_the_person_asked_only(mailoutbox, committed):
    event = EventFactory()
    sender = RegistrationFactory(event=event, name="Ewa Kowalska", organisation_name="Solaris")
    recipient = RegistrationFactory(event=event, email="asked@example.org", language="en")

    with committed():
        services.meeting_request_create(
            sender=sender, recipient=recipient, message="Magazyny energii dla farm PV?"
        )

    message = _only(mailoutbox, "asked@example.org")
    assert "Ewa Kowalska" in message.subject and "Solaris" in message.subject
    assert "Magazyny energii dla farm PV?" in message.body
    assert f"/events/r/{recipient.access_token}/?next=requests" in message.body
    assert sender.access_token not in message.body


@pytest.mark.parametrize(("accept", "word"), [(True, "accepted"), (False, "declined")])
def test_answer_to_a_request_is_mailed_to_the_sender_only(mailoutbox, committed, accept, word):
    request = MeetingRequestFactory(
        sender__email="sender@example.org",
        sender__language="en",
        recipient__email="recipient@example.org",
        recipient__name="Piotr Zieliński",
    )

    with committed():
        services.meeting_request_respond(
            request=request, registration=request.recipient, accept=accept
        )

    message = _only(mailoutbox, "sender@example.org")
    assert message.subject == f"Piotr Zieliński {word} your meeting request"


# --- The schedule ------------------------------------------------------------------------------


@pytest.fixture
def day(coordinator):
    """A scheduled day: A meets B; C has no meeting; W waits for a seat."""
    event = EventFactory(slot_count=3, table_count=1, title="Kosmos B2B")
    a = RegistrationFactory(event=event, name="Alicja", email="a@example.org")
    b = RegistrationFactory(event=event, name="Bartek", email="b@example.org", language="en")
    c = RegistrationFactory(event=event, name="Celina", email="c@example.org")
    RegistrationFactory(event=event, email="w@example.org", status=Registration.Status.WAITLISTED)
    MeetingRequestFactory(sender=a, recipient=b, status=MeetingRequest.Status.ACCEPTED)
    services.event_schedule(event=event, user=coordinator, time_limit=1)
    return event, a, b, c


def test_announcement_mails_each_confirmed_participant_their_own_agenda(
    mailoutbox, committed, coordinator, day
):
    event, a, b, c = day

    with committed():
        services.event_schedule_announce(event=event, user=coordinator)

    by_address = {m.to[0]: m for m in mailoutbox}
    assert all(len(m.to) == 1 for m in mailoutbox)
    assert set(by_address) == {"a@example.org", "b@example.org", "c@example.org"}
    to_a, to_b, to_c = (by_address[f"{x}@example.org"] for x in "abc")
    assert "Bartek" in to_a.body and "Celina" not in to_a.body
    assert "Alicja" in to_b.body and "Your B2B agenda" in to_b.subject
    assert f"/events/r/{a.access_token}/?next=agenda" in to_a.body
    assert b.access_token not in to_a.body
    assert "Bartek" in _attachment(to_a, "agenda.ics")
    assert to_c.attachments == []


def test_announcement_goes_out_over_one_connection(monkeypatch, committed, coordinator, day):
    event = day[0]
    opened = []
    real = emails.get_connection

    def counting(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(emails, "get_connection", counting)

    with committed():
        services.event_schedule_announce(event=event, user=coordinator)

    assert len(opened) == 1 and len(mail.outbox) == 3


def test_big_day_announcement_is_mailed_by_a_background_job(
    monkeypatch, mailoutbox, committed, coordinator, day
):
    from klaster.jobs.models import Job

    event = day[0]
    monkeypatch.setattr(services, "BACKGROUND_RECIPIENTS", 1)

    with committed():
        services.event_schedule_announce(event=event, user=coordinator)

    job = Job.objects.get(kind="events.announce")
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["sent"] == 3 and len(mailoutbox) == 3


def test_announcing_again_mails_nobody_when_nothing_is_new(mailoutbox, committed, coordinator, day):
    event = day[0]
    services.event_schedule_announce(event=event, user=coordinator)

    with committed():
        services.event_schedule_announce(event=event, user=coordinator)

    assert mailoutbox == []


def test_late_acceptance_after_the_announcement_is_mailed_to_its_two_participants(
    mailoutbox, committed, coordinator, day
):
    event, a, b, c = day
    services.event_schedule_announce(event=event, user=coordinator)
    MeetingRequestFactory(
        sender=c, recipient=a, status=MeetingRequest.Status.ACCEPTED, message="Satelity?"
    )

    with committed():
        services.event_schedule(event=event, user=coordinator, time_limit=1)

    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "c@example.org"]
    to_a = next(m for m in mailoutbox if m.to == ["a@example.org"])
    to_c = next(m for m in mailoutbox if m.to == ["c@example.org"])
    assert "Celina" in to_a.subject and "Alicja" in to_c.subject
    assert "Satelity?" in to_a.body
    assert "Celina" in _attachment(to_a, "agenda.ics")


def test_meeting_placed_by_hand_after_the_announcement_is_mailed_to_both(
    mailoutbox, committed, coordinator, day
):
    event, a, b, c = day
    services.event_schedule_announce(event=event, user=coordinator)
    busy = event.meetings.get().slot
    free = next(s for s in range(event.slot_count) if s != busy)

    with committed():
        services.meeting_add_by_staff(event=event, user=coordinator, a=b, b=c, slot=free)

    assert sorted(m.to[0] for m in mailoutbox) == ["b@example.org", "c@example.org"]


# --- Nothing is sent when the write does not happen --------------------------------------------


class Rollback(Exception):
    pass


def test_rolled_back_registration_sends_nothing(mailoutbox, committed):
    event = EventFactory()

    with committed(), pytest.raises(Rollback), transaction.atomic():
        services.registration_create(event=event, data=GUEST)
        raise Rollback

    assert mailoutbox == []
    assert not Registration.objects.filter(email="jan@example.de").exists()


def test_rolled_back_announcement_sends_nothing(mailoutbox, committed, coordinator, day):
    event = day[0]

    with committed(), pytest.raises(Rollback), transaction.atomic():
        services.event_schedule_announce(event=event, user=coordinator)
        raise Rollback

    assert mailoutbox == []


def test_refused_request_sends_nothing(mailoutbox, committed):
    request = MeetingRequestFactory(status=MeetingRequest.Status.ACCEPTED)

    with committed(), pytest.raises(ValidationError):
        services.meeting_request_respond(
            request=request, registration=request.recipient, accept=False
        )

    assert mailoutbox == []


def test_a_mail_server_that_is_down_does_not_undo_the_registration(monkeypatch, committed):
    def down(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(emails, "get_connection", down)
    event = EventFactory()

    with committed():
        registration = services.registration_create(event=event, data=GUEST)

    assert Registration.objects.filter(pk=registration.pk).exists()


# --- The links in the e-mails ------------------------------------------------------------------


def test_private_link_leads_a_guest_to_their_agenda(anonymous):
    registration = RegistrationFactory()

    response = anonymous.get(f"/events/r/{registration.access_token}/?next=agenda")

    assert response.status_code == 302
    assert response["Location"] == f"/events/{registration.event_id}/agenda/"
    assert anonymous.get(response["Location"]).status_code == 200
