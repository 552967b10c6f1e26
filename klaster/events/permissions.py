"""Who may do what with events.

- coordinator staff: create, edit and publish events, see every participant list, check people
  in, schedule and announce B2B meetings, add meetings by hand;
- a registered participant (confirmed): the catalogue of *their* event, their own requests,
  availability and agenda; nobody answers a request addressed to someone else;
- everyone: published events, their pages and iCal feeds.
"""

from klaster.common.roles import is_cluster_staff
from klaster.events.models import Event, MeetingRequest, Registration


def can_view_event(user, event: Event) -> bool:
    return event.is_published or is_cluster_staff(user)


def can_use_matchmaking(registration: Registration | None, event: Event) -> bool:
    return (
        registration is not None
        and registration.event_id == event.pk
        and registration.is_confirmed
        and event.has_b2b
    )


def can_answer_request(registration: Registration | None, request: MeetingRequest) -> bool:
    return registration is not None and request.recipient_id == registration.pk
