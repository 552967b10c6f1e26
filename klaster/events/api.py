"""REST API of events: the event list and one's own B2B agenda, with the pages' permissions."""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from klaster.events import selectors

router = Router(tags=["events"])


class EventOut(Schema):
    id: int
    kind: str
    title: str
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int | None
    has_b2b: bool
    is_published: bool
    is_demo: bool


class AgendaItemOut(Schema):
    slot: int
    start: datetime.datetime
    end: datetime.datetime
    table: int | None
    partner: str | None
    partner_organisation: str | None
    is_break: bool


@router.get("/", response=list[EventOut])
def list_events(request: HttpRequest, past: bool = False):
    """Upcoming events (or past ones); drafts only for staff."""
    return list(selectors.events_visible(user=request.user, now=timezone.now(), past=past))


@router.get("/{event_id}/agenda", response=list[AgendaItemOut])
def my_agenda(request: HttpRequest, event_id: int):
    """The caller's own announced B2B meetings at this event (tables numbered from 1)."""
    event = selectors.event_get(user=request.user, event_id=event_id)
    registration = selectors.registration_current(event=event, user=request.user, session=None)
    if registration is None or not registration.is_confirmed:
        raise HttpError(404, "Not a confirmed participant of this event.")
    return [
        AgendaItemOut(
            slot=item.slot + 1,
            start=item.start,
            end=item.end,
            table=item.table + 1 if item.table is not None else None,
            partner=item.partner.name if item.partner else None,
            partner_organisation=item.partner.organisation_name if item.partner else None,
            is_break=item.is_break,
        )
        for item in selectors.agenda(registration=registration)
    ]
