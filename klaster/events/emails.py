"""E-mails to participants of events: registration, the waiting list, meeting requests and the
B2B schedule.

Each message goes to one participant, in the language they registered in (Polish, the
interface's default, when unknown). Services call `send_on_commit` so a write that rolls back
sends nothing; many messages go out over one connection (`send`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from klaster.common.links import site_url
from klaster.events import selectors
from klaster.events.models import Event, Meeting, MeetingRequest, Registration

Progress = Callable[[int, int, str], None]
logger = logging.getLogger(__name__)


def _site_url() -> str:
    return site_url()


def _language(registration: Registration) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    return registration.language if registration.language in known else settings.LANGUAGE_CODE


def private_link(registration: Registration, page: str = "") -> str:
    """The link that opens a registration without an account; `page` is one of
    registration_link's destinations (agenda, requests)."""
    url = _site_url() + reverse("events:registration_link", args=[registration.access_token])
    return f"{url}?next={page}" if page else url


def personal_url(registration: Registration, page: str) -> str:
    """A member signs in to reach their pages; a guest has only the private link."""
    if registration.user_id:
        return _site_url() + reverse(f"events:{page}", args=[registration.event_id])
    return private_link(registration, "" if page == "me" else page)


def _message(
    registration: Registration,
    template: str,
    context: dict,
    attachments: Iterable[tuple[str, Callable[[], str]]] = (),
) -> EmailMessage:
    """Render events/email/<template>_subject.txt and _body.txt (and the attachments, whose
    text is translated too) in the participant's language."""
    with translation.override(_language(registration)):
        context = {
            "registration": registration,
            "event": registration.event,
            "site_url": _site_url(),
            **context,
        }
        subject = render_to_string(f"events/email/{template}_subject.txt", context)
        body = render_to_string(f"events/email/{template}_body.txt", context)
        files = [(name, make()) for name, make in attachments]
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
    )
    for name, text in files:
        message.attach(name, text, "text/calendar")
    return message


def _event_ics(event: Event) -> Callable[[], str]:
    return lambda: selectors.events_ical(
        events=[event], base_url=_site_url(), language=translation.get_language()
    )


def _agenda_ics(registration: Registration) -> Callable[[], str]:
    return lambda: selectors.agenda_ical(registration=registration, base_url=_site_url())


# --- Messages ----------------------------------------------------------------------------------


def registration_message(registration: Registration) -> EmailMessage:
    """Confirmed: the check-in code and the event's calendar entry; waitlisted: where they
    stand. A guest also gets the private link to come back without an account."""
    confirmed = registration.is_confirmed
    return _message(
        registration,
        "registration" if confirmed else "waitlisted",
        {
            "private_link": "" if registration.user_id else private_link(registration),
            "page_url": personal_url(registration, "me"),
        },
        [("event.ics", _event_ics(registration.event))] if confirmed else [],
    )


def promotion_message(registration: Registration) -> EmailMessage:
    return _message(
        registration,
        "promoted",
        {
            "private_link": "" if registration.user_id else private_link(registration),
            "page_url": personal_url(registration, "me"),
        },
        [("event.ics", _event_ics(registration.event))],
    )


def already_registered_message(registration: Registration) -> EmailMessage:
    """Someone tried to register this address again: its owner, not the visitor, gets the link."""
    return _message(
        registration,
        "already_registered",
        {
            "private_link": "" if registration.user_id else private_link(registration),
            "page_url": personal_url(registration, "me"),
        },
    )


def request_received_message(request: MeetingRequest) -> EmailMessage:
    return _message(
        request.recipient,
        "request_received",
        {
            "request": request,
            "sender": request.sender,
            "requests_url": personal_url(request.recipient, "requests"),
        },
    )


def request_answered_message(request: MeetingRequest) -> EmailMessage:
    return _message(
        request.sender,
        "request_accepted"
        if request.status == MeetingRequest.Status.ACCEPTED
        else "request_declined",
        {
            "request": request,
            "recipient": request.recipient,
            "requests_url": personal_url(request.sender, "requests"),
        },
    )


def schedule_announced_message(registration: Registration) -> EmailMessage:
    meetings = [i for i in selectors.agenda(registration=registration) if i.partner is not None]
    return _message(
        registration,
        "schedule_announced",
        {"meetings": meetings, "agenda_url": personal_url(registration, "agenda")},
        [("agenda.ics", _agenda_ics(registration))] if meetings else [],
    )


def meeting_added_message(meeting: Meeting, registration: Registration) -> EmailMessage:
    partner = meeting.b if meeting.a_id == registration.pk else meeting.a
    start, end = registration.event.slot_window(meeting.slot)
    return _message(
        registration,
        "meeting_added",
        {
            "meeting": meeting,
            "partner": partner,
            "start": start,
            "end": end,
            "message": meeting.request.message if meeting.request else "",
            "agenda_url": personal_url(registration, "agenda"),
        },
        [("agenda.ics", _agenda_ics(registration))],
    )


# --- Sending -----------------------------------------------------------------------------------


def send(messages: list[EmailMessage]) -> int:
    """Send over one connection; returns how many went out."""
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def send_robustly(messages: list[EmailMessage]) -> int:
    """Send now, logging instead of failing: a mail server that is down must not turn the page
    into an error."""
    try:
        return send(messages)
    except Exception:
        logger.exception("Could not send %d e-mail(s)", len(messages))
        return 0


def send_on_commit(build: Callable[[], list[EmailMessage]]) -> None:
    """Build and send once the surrounding transaction commits; nothing if it rolls back.

    Robust: a mail server that is down must not turn a saved registration into an error page.
    """
    transaction.on_commit(lambda: send(build()), robust=True)


def meetings_added_messages(meeting_ids: Iterable[int]) -> list[EmailMessage]:
    meetings = selectors.meetings_by_ids(meeting_ids=meeting_ids)
    return [
        meeting_added_message(meeting, participant)
        for meeting in meetings
        for participant in (meeting.a, meeting.b)
    ]


def schedule_announced_send(*, event: Event, progress: Progress | None = None) -> int:
    """E-mail every confirmed participant their agenda over one connection; returns how many."""
    progress = progress or (lambda done, total, message: None)
    participants = list(selectors.participants_confirmed(event=event))
    total = len(participants)
    messages = []
    for done, registration in enumerate(participants, start=1):
        messages.append(schedule_announced_message(registration))
        if done % 50 == 0 or done == total:
            progress(done, total + 1, translation.gettext("Writing agendas"))
    sent = send(messages)
    progress(total + 1, total + 1, translation.gettext("E-mails sent"))
    return sent
