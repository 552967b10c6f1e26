"""Reads of the events app: event lists, the participant's own registration, the catalogue with
suggested matches, requests and their statistics, agendas and the table plan."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.common.roles import is_cluster_staff
from klaster.core import ical
from klaster.core import schedule as scheduler
from klaster.core.meeting_matching import Profile, suggest_matches
from klaster.events import permissions
from klaster.events.models import Event, Meeting, MeetingRequest, Registration

SESSION_KEY = "event_registrations"  # ids of registrations opened by their private link


# --- Events -----------------------------------------------------------------------------------


def events_visible(*, user, now: datetime.datetime, past: bool = False) -> QuerySet[Event]:
    events = (
        Event.objects.all() if is_cluster_staff(user) else Event.objects.filter(is_published=True)
    )
    events = events.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed"))
    )
    if past:
        return events.filter(ends_at__lt=now).order_by("-starts_at")
    return events.filter(ends_at__gte=now).order_by("starts_at")


def event_get(*, user, event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).first()
    if event is None or not permissions.can_view_event(user, event):
        raise Http404(_("No such event."))
    return event


def event_seats(*, event: Event) -> dict:
    counts = Counter(event.registrations.values_list("status", flat=True))
    confirmed = counts.get(Registration.Status.CONFIRMED, 0)
    return {
        "confirmed": confirmed,
        "waitlisted": counts.get(Registration.Status.WAITLISTED, 0),
        "left": None if event.capacity is None else max(event.capacity - confirmed, 0),
        "checked_in": event.registrations.filter(checked_in_at__isnull=False).count(),
    }


# --- The participant's own registration ------------------------------------------------------


def registration_current(*, event: Event, user, session) -> Registration | None:
    """The registration the visitor acts as: theirs by account, or opened by private link."""
    active = ~Q(status=Registration.Status.CANCELLED)
    if user.is_authenticated:
        own = event.registrations.filter(active, user=user).first()
        if own:
            return own
    ids = session.get(SESSION_KEY, []) if session is not None else []
    if ids:
        return event.registrations.filter(active, pk__in=ids).first()
    return None


def registration_by_token(*, token: str) -> Registration:
    """The live registration a private link opens; a cancelled one's link is dead for good."""
    registration = (
        Registration.objects.select_related("event")
        .exclude(status=Registration.Status.CANCELLED)
        .filter(access_token=token)
        .first()
    )
    if registration is None:
        raise Http404(_("No such registration."))
    return registration


def registrations_of_user(*, user) -> QuerySet[Registration]:
    if not user.is_authenticated:
        return Registration.objects.none()
    return (
        Registration.objects.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event")
        .order_by("event__starts_at")
    )


# --- Catalogue and suggestions ----------------------------------------------------------------


@dataclass
class CatalogueEntry:
    registration: Registration
    sector_names: list[str]
    match: object | None = None
    request_status: str = ""  # of a request between the viewer and this participant

    @property
    def request_status_label(self) -> str:
        return MeetingRequest.Status(self.request_status).label if self.request_status else ""


def _profile(registration: Registration) -> Profile:
    return Profile(
        id=registration.pk,
        offers=registration.offers,
        looking_for=registration.looking_for,
        sectors=frozenset(s.code for s in registration.sectors.all()),
    )


def catalogue(
    *, event: Event, viewer: Registration | None, user, query: str, now: datetime.datetime
) -> dict:
    """Confirmed participants of `event` with suggested matches for the viewer first.

    Only confirmed participants of the event (and staff) see it.
    """
    if not (permissions.can_use_matchmaking(viewer, event) or is_cluster_staff(user)):
        raise Http404(_("The participant catalogue is open to registered participants only."))
    people = list(
        event.registrations.filter(status=Registration.Status.CONFIRMED)
        .prefetch_related("sectors")
        .order_by("organisation_name", "name")
    )
    status_with = {}
    if viewer is not None:
        between = MeetingRequest.objects.filter(Q(sender=viewer) | Q(recipient=viewer))
        for request in between:
            other = request.recipient_id if request.sender_id == viewer.pk else request.sender_id
            status_with[other] = request.status_at(now)
    entries = {
        r.pk: CatalogueEntry(
            registration=r,
            sector_names=[s.name_pl for s in r.sectors.all()],
            request_status=status_with.get(r.pk, ""),
        )
        for r in people
        if viewer is None or r.pk != viewer.pk
    }
    suggestions = []
    if viewer is not None:
        viewer_profile = _profile(viewer)
        for match in suggest_matches(viewer_profile, [_profile(r) for r in people], limit=8):
            entry = entries.get(match.id)
            if entry is not None:
                entry.match = match
                suggestions.append(entry)
    listed = list(entries.values())
    if query:
        from klaster.core.text import fold

        needle = fold(query)
        listed = [
            e
            for e in listed
            if needle
            in fold(
                " ".join(
                    (
                        e.registration.name,
                        e.registration.organisation_name,
                        e.registration.offers,
                        e.registration.looking_for,
                        e.registration.country,
                    )
                )
            )
        ]
    return {"suggestions": suggestions, "entries": listed, "total": len(entries)}


# --- Requests ---------------------------------------------------------------------------------


@dataclass
class RequestRow:
    request: MeetingRequest
    other: Registration
    status: str
    status_label: str


def _row(request: MeetingRequest, other: Registration, now) -> RequestRow:
    status = request.status_at(now)
    return RequestRow(request, other, status, MeetingRequest.Status(status).label)


def requests_of(*, registration: Registration, now: datetime.datetime) -> dict:
    sent = [
        _row(r, r.recipient, now) for r in registration.sent_requests.select_related("recipient")
    ]
    received = [
        _row(r, r.sender, now) for r in registration.received_requests.select_related("sender")
    ]
    return {"sent": sent, "received": received}


def meeting_request_get(*, request_id: int) -> MeetingRequest:
    request = MeetingRequest.objects.select_related("sender", "recipient", "event").filter(
        pk=request_id
    )
    found = request.first()
    if found is None:
        raise Http404(_("No such meeting request."))
    return found


@dataclass
class ParticipantStats:
    registration: Registration
    counts: Counter = field(default_factory=Counter)


def request_statistics(*, event: Event, now: datetime.datetime) -> dict:
    """Sent, accepted, declined, expired and pending requests: totals and per participant."""
    totals: Counter = Counter()
    per: dict[int, ParticipantStats] = {}
    registrations = {r.pk: r for r in event.registrations.all()}
    for request in event.meeting_requests.all():
        status = request.status_at(now)
        totals["sent"] += 1
        totals[status] += 1
        sender = per.setdefault(
            request.sender_id, ParticipantStats(registrations[request.sender_id])
        )
        recipient = per.setdefault(
            request.recipient_id, ParticipantStats(registrations[request.recipient_id])
        )
        sender.counts["sent"] += 1
        sender.counts[f"sent_{status}"] += 1
        recipient.counts["received"] += 1
        recipient.counts[f"received_{status}"] += 1
    rows = sorted(
        per.values(), key=lambda p: (-p.counts["sent"] - p.counts["received"], p.registration.name)
    )
    return {"totals": totals, "participants": rows}


# --- Agendas and the table plan ---------------------------------------------------------------


@dataclass
class AgendaItem:
    slot: int
    start: datetime.datetime
    end: datetime.datetime
    table: int | None
    partner: Registration | None
    is_break: bool = False
    message: str = ""


def agenda(*, registration: Registration, announced_only: bool = True) -> list[AgendaItem]:
    """One participant's day, slot by slot: their meetings (announced ones unless staff look)
    and the breaks."""
    event = registration.event
    meetings = event.meetings.filter(Q(a=registration) | Q(b=registration)).select_related(
        "a", "b", "request"
    )
    if announced_only:
        meetings = meetings.filter(is_locked=True)
    by_slot = {m.slot: m for m in meetings}
    breaks = set(event.break_slots or [])
    items = []
    for slot in range(event.slot_count):
        start, end = event.slot_window(slot)
        meeting = by_slot.get(slot)
        if meeting:
            partner = meeting.b if meeting.a_id == registration.pk else meeting.a
            message = meeting.request.message if meeting.request else ""
            items.append(AgendaItem(slot, start, end, meeting.table, partner, message=message))
        elif slot in breaks:
            items.append(AgendaItem(slot, start, end, None, None, is_break=True))
    return items


def agenda_ical(*, registration: Registration, base_url: str) -> str:
    event = registration.event
    items = [
        ical.CalendarItem(
            uid=f"meeting-{event.pk}-{registration.pk}-{item.slot}@klaster",
            summary=_("B2B meeting: %(partner)s (%(organisation)s), table %(table)s")
            % {
                "partner": item.partner.name,
                "organisation": item.partner.organisation_name,
                "table": item.table + 1,
            },
            start=item.start,
            end=item.end,
            location=event.place,
            description=item.message,
            url=f"{base_url}/events/{event.pk}/",
        )
        for item in agenda(registration=registration)
        if item.partner is not None
    ]
    return ical.calendar(items, name=f"{event.title}: {registration.name}", stamp=timezone.now())


def events_ical(*, events: list[Event], base_url: str, language: str) -> str:
    items = [
        ical.CalendarItem(
            uid=f"event-{event.pk}@klaster",
            summary=event.title,
            start=event.starts_at,
            end=event.ends_at,
            description=event.description(language),
            location=event.place,
            url=f"{base_url}/events/{event.pk}/",
        )
        for event in events
    ]
    return ical.calendar(items, name=_("Cluster events"), stamp=timezone.now())


def table_plan(*, event: Event) -> dict:
    """The slot x table grid of meetings, for organisers (printable)."""
    grid: dict[int, dict[int, Meeting]] = defaultdict(dict)
    meetings = event.meetings.select_related("a", "b")
    for meeting in meetings:
        grid[meeting.slot][meeting.table] = meeting
    breaks = set(event.break_slots or [])
    rows = []
    for slot in range(event.slot_count):
        start, end = event.slot_window(slot)
        rows.append(
            {
                "slot": slot,
                "start": start,
                "end": end,
                "is_break": slot in breaks,
                "cells": [grid[slot].get(table) for table in range(event.table_count)],
            }
        )
    tables = [t + 1 for t in range(event.table_count)]
    return {
        "rows": rows,
        "tables": tables,
        "print_parts": _table_plan_parts(rows, tables),
        "meetings": len(meetings),
        "locked": sum(m.is_locked for m in meetings),
    }


# A landscape A4 page holds about this many tables' columns with names still legible; a wider
# plan is printed as several parts, one after another, so no table is cut off at the page edge.
TABLES_PER_PRINTED_PAGE = 6


def _table_plan_parts(rows: list[dict], tables: list[int]) -> list[dict]:
    parts = []
    for first in range(0, len(tables), TABLES_PER_PRINTED_PAGE):
        last = first + TABLES_PER_PRINTED_PAGE
        parts.append(
            {
                "tables": tables[first:last],
                "rows": [{**row, "cells": row["cells"][first:last]} for row in rows],
            }
        )
    return parts


def schedule_summary(*, event: Event) -> dict:
    accepted = event.meeting_requests.filter(status=MeetingRequest.Status.ACCEPTED)
    scheduled = set(event.meetings.values_list("request_id", flat=True))
    unscheduled = [
        r for r in accepted.select_related("sender", "recipient") if r.pk not in scheduled
    ]
    return {
        "accepted": accepted.count(),
        "meetings": event.meetings.count(),
        "locked": event.meetings.filter(is_locked=True).count(),
        "unscheduled": unscheduled,
    }


def participants_confirmed(*, event: Event) -> QuerySet[Registration]:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).select_related("event")


def meetings_by_ids(*, meeting_ids) -> QuerySet[Meeting]:
    """Meetings with both participants (and their event) loaded, for writing to them."""
    return Meeting.objects.filter(pk__in=list(meeting_ids)).select_related(
        "event", "a__event", "b__event", "request"
    )


def participants_for_staff(*, event: Event) -> QuerySet[Registration]:
    return event.registrations.prefetch_related(Prefetch("sectors")).order_by(
        "status", "organisation_name", "name"
    )


# --- Scheduling -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleInput:
    """Everything the schedule of a brokerage day depends on, read at one moment.

    Two readings compare equal exactly when a schedule solved from the first is still right for
    the second, so the write step reads again and compares instead of holding a lock while the
    solver runs.
    """

    has_b2b: bool
    announced: bool
    instance: scheduler.Instance
    # The meetings of confirmed participants: the previous schedule, and which of it is locked.
    previous: tuple[scheduler.Meeting, ...]
    locked: tuple[scheduler.Meeting, ...]
    # (sender, recipient, request id) of each accepted request between confirmed participants.
    accepted: tuple[tuple[int, int, int], ...]


def schedule_input(*, event_id: int) -> ScheduleInput:
    """The day as the scheduler sees it: confirmed participants with their free slots, accepted
    requests between them, tables, breaks and the meetings placed so far."""
    event = Event.objects.get(pk=event_id)
    confirmed = {r.pk: r for r in event.registrations.filter(status=Registration.Status.CONFIRMED)}
    accepted = [
        r
        for r in event.meeting_requests.filter(status=MeetingRequest.Status.ACCEPTED)
        if r.sender_id in confirmed and r.recipient_id in confirmed
    ]
    # Meetings of someone who cancelled are not part of the previous schedule any more.
    rows = [m for m in event.meetings.all() if m.a_id in confirmed and m.b_id in confirmed]
    everyone = frozenset(range(event.slot_count))
    instance = scheduler.Instance(
        slots=event.slot_count,
        tables=event.table_count,
        participants=tuple(
            scheduler.Participant(pk, everyone - set(r.unavailable_slots or []))
            for pk, r in confirmed.items()
        ),
        requests=tuple(
            scheduler.MeetingRequest(r.sender_id, r.recipient_id, r.priority) for r in accepted
        ),
        breaks=frozenset(s for s in (event.break_slots or []) if 0 <= s < event.slot_count),
    )
    return ScheduleInput(
        has_b2b=event.has_b2b,
        announced=event.schedule_announced_at is not None,
        instance=instance,
        previous=tuple(scheduler.Meeting(m.a_id, m.b_id, m.slot, m.table) for m in rows),
        locked=tuple(
            scheduler.Meeting(m.a_id, m.b_id, m.slot, m.table) for m in rows if m.is_locked
        ),
        accepted=tuple((r.sender_id, r.recipient_id, r.pk) for r in accepted),
    )
