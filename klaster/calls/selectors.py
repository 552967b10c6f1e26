"""Reads for funding calls: search and filters, one call, members best placed, a month of
deadlines, iCal feed."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from klaster.calls.models import Call
from klaster.core import ical
from klaster.core.matching import PastWork, Profile, best_placed
from klaster.members.models import Membership, Organisation, Sector
from klaster.trackrecord.models import CordisParticipation

SORTS = {"deadline": ("deadline", "identifier"), "budget": ("-budget_max", "identifier")}


@dataclass(frozen=True)
class CallFilters:
    q: str = ""
    programme: str = ""
    action_type: str = ""
    deadline_from: datetime.date | None = None
    deadline_to: datetime.date | None = None
    budget_min: int | None = None
    sector: str = ""  # a Sector code
    # Calls whose deadline passed are hidden unless asked for: nobody can apply to them.
    show_closed: bool = False
    sort: str = "deadline"


def call_search(*, filters: CallFilters, today: datetime.date) -> QuerySet:
    calls = Call.objects.all()
    if filters.q:
        for word in filters.q.split():
            calls = calls.filter(
                Q(title__icontains=word)
                | Q(identifier__icontains=word)
                | Q(keywords__icontains=word)
                | Q(description__icontains=word)
            )
    if filters.programme:
        calls = calls.filter(programme=filters.programme)
    if filters.action_type:
        calls = calls.filter(action_type=filters.action_type)
    if filters.deadline_from:
        calls = calls.filter(deadline__gte=filters.deadline_from)
    if filters.deadline_to:
        calls = calls.filter(deadline__lte=filters.deadline_to)
    if filters.budget_min is not None:
        calls = calls.filter(budget_max__gte=filters.budget_min)
    if filters.sector:
        calls = calls.filter(sectors__code=filters.sector)
    if not filters.show_closed:
        calls = calls.filter(Q(deadline__gte=today) | Q(deadline__isnull=True))
    return (
        calls.order_by(*SORTS.get(filters.sort, SORTS["deadline"]))
        .defer("description", "conditions")
        .prefetch_related("sectors")
    )


def call_facets() -> dict[str, list]:
    return {
        "sectors": list(Sector.objects.all()),
        "programmes": list(
            Call.objects.exclude(programme="")
            .order_by("programme")
            .values_list("programme", flat=True)
            .distinct()
        ),
        "action_types": list(
            Call.objects.exclude(action_type="")
            .order_by("action_type")
            .values_list("action_type", flat=True)
            .distinct()
        ),
    }


def call_get(*, call_id: int) -> Call:
    return get_object_or_404(Call.objects.prefetch_related("sectors"), pk=call_id)


@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    in_month: bool
    calls: tuple[Call, ...]


@dataclass(frozen=True)
class CalendarMonth:
    first: datetime.date  # the first day of the month shown
    weeks: tuple[tuple[CalendarDay, ...], ...]  # Monday to Sunday
    previous: datetime.date
    next: datetime.date

    @property
    def days_with_calls(self) -> int:
        return sum(bool(day.calls) for week in self.weeks for day in week)


def calls_calendar(*, month: datetime.date) -> CalendarMonth:
    """The weeks of `month` with the calls whose deadline falls on each of its days.

    Days of the neighbouring months fill the first and last week but carry no calls.
    """
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    by_day: dict[datetime.date, list[Call]] = {}
    deadlines = (
        Call.objects.filter(deadline__gte=first, deadline__lte=last)
        .order_by("deadline", "identifier")
        .only("id", "identifier", "title", "deadline", "programme")
    )
    for call in deadlines:
        by_day.setdefault(call.deadline, []).append(call)
    weeks = tuple(
        tuple(
            CalendarDay(day, day.month == first.month, tuple(by_day.get(day, ()))) for day in week
        )
        for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
            first.year, first.month
        )
    )
    return CalendarMonth(
        first=first,
        weeks=weeks,
        previous=(first - datetime.timedelta(days=1)).replace(day=1),
        next=last + datetime.timedelta(days=1),
    )


def next_deadline(*, after: datetime.date) -> datetime.date | None:
    """The first deadline after `after`: where the calendar points when a month has none."""
    return (
        Call.objects.filter(deadline__gt=after)
        .order_by("deadline")
        .values_list("deadline", flat=True)
        .first()
    )


@dataclass(frozen=True)
class PlacedMember:
    organisation: Organisation
    score: float
    competence_terms: tuple[str, ...]  # the call's words found in its competences, its own first
    track_record_terms: tuple[str, ...]  # ... in its past CORDIS projects
    past_projects: int
    projects: tuple[PastWork, ...] = ()  # its own past projects nearest to the call


def members_best_placed(*, call: Call, limit: int = 8) -> list[PlacedMember]:
    """Active members whose competences and CORDIS track record fit the call's text best, each
    with its own matching words and projects."""
    members = list(
        Organisation.objects.filter(membership__status=Membership.Status.ACTIVE)
        .prefetch_related("competences", "sectors")
        .only("id", "name", "competences_text", "description_en", "description_pl", "kind")
    )
    if not members:
        return []
    projects: dict[int, dict[str, PastWork]] = {}
    participations = CordisParticipation.objects.filter(
        cordis_organisation__organisation__in=members
    ).values_list(
        "cordis_organisation__organisation_id", "project__project_id", "project__acronym",
        "project__title", "project__start_date", "project__objective",
    )  # fmt: skip
    for organisation_id, project_id, acronym, title, start, objective in participations:
        # A member linked to two CORDIS records of one project did it once.
        projects.setdefault(organisation_id, {})[project_id] = PastWork(
            key=project_id,
            title=title,
            acronym=acronym,
            year=start.year if start else None,
            text=(objective or "")[:1500],
        )
    profiles = [
        Profile(
            key=m.pk,
            competences=" ".join(
                [
                    m.competences_text,
                    m.description_en,
                    m.description_pl,
                    *(c.name for c in m.competences.all()),
                    # Sector names in both languages: calls are written in either.
                    *(f"{s.name_pl} {s.name_en}" for s in m.sectors.all()),
                ]  # fmt: skip
            ),
            projects=tuple(projects.get(m.pk, {}).values()),
        )
        for m in members
    ]
    text = " ".join([call.title, ", ".join(call.keyword_list), call.description[:8000]])
    by_id = {m.pk: m for m in members}
    return [
        PlacedMember(
            by_id[m.key],
            m.score,
            m.competence_terms,
            m.track_record_terms,
            m.past_projects,
            m.projects,
        )
        for m in best_placed(text, profiles, limit=limit)
    ]


def calls_ical(*, calls, base_url: str, stamp: datetime.datetime) -> str:
    """Deadlines as all-day events of an iCalendar feed."""
    items = [
        ical.CalendarItem(
            uid=f"call-{call.pk}@klaster",
            summary=gettext("Deadline: %(identifier)s %(title)s")
            % {"identifier": call.identifier, "title": call.title},
            start=call.deadline,
            end=call.deadline + datetime.timedelta(days=1),
            url=f"{base_url}/calls/{call.pk}/",
        )
        for call in calls
        if call.deadline is not None
    ]
    return ical.calendar(items, name=gettext("Klaster funding calls"), stamp=stamp)
