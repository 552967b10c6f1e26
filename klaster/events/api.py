"""REST API of events: the event list and one's own B2B agenda, with the pages' permissions."""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.errors import HttpError

from klaster.common.schemas import ANONYMOUS_ALLOWED, MAX_ROW_ID, errors
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


@router.get(
    "/", response={200: list[EventOut], **errors(401, 422)}, openapi_extra=ANONYMOUS_ALLOWED
)
def list_events(request: HttpRequest, past: bool = False):
    """Upcoming events (or past ones); drafts only for staff."""
    return list(selectors.events_visible(user=request.user, now=timezone.now(), past=past))


@router.get("/{event_id}/agenda", response={200: list[AgendaItemOut], **errors(401, 404, 422)})
def my_agenda(request: HttpRequest, event_id: int = Path(..., ge=1, le=MAX_ROW_ID)):
    """The caller's own announced B2B meetings at this event (tables numbered from 1)."""
    if not request.user.is_authenticated:
        raise HttpError(401, _("Sign in or send an API token to see your agenda."))
    event = selectors.event_get(user=request.user, event_id=event_id)
    registration = selectors.registration_current(event=event, user=request.user, session=None)
    if registration is None or not registration.is_confirmed:
        raise HttpError(404, _("Not a confirmed participant of this event."))
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
