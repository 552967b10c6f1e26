"""A demo brokerage day for `klaster demo`: ~60 participants from the demo cluster, their
profiles, meeting requests in every state, partial availability and a first schedule.

Marked as demo (`Event.is_demo`, a badge on every page); e-mails are the demo people's
`.example` addresses. Idempotent: once the demo event exists, nothing is added.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from klaster.accounts.models import User
from klaster.demo.loading import DEMO_SOURCES
from klaster.demo.planning import (
    BROKERAGE_REQUEST_EXPIRY_HOURS,
    BROKERAGE_SLOTS,
    DEFAULT_SEED,
    Candidate,
    plan_brokerage_day,
)
from klaster.events import services
from klaster.events.models import Event, MeetingRequest, Registration
from klaster.members.models import Organisation

DEMO_TITLE = "Dzień kooperacji B2B: ICT, energia, kosmos (demo)"


@dataclass(frozen=True)
class DemoEventsReport:
    created: bool
    participants: int
    requests: int
    meetings: int


def _report(event: Event, created: bool) -> DemoEventsReport:
    return DemoEventsReport(
        created=created,
        participants=event.registrations.count(),
        requests=event.meeting_requests.count(),
        meetings=event.meetings.count(),
    )


def build_demo_events(
    *, seed: int = DEFAULT_SEED, today: datetime.date | None = None
) -> DemoEventsReport:
    existing = Event.objects.filter(is_demo=True, kind=Event.Kind.BROKERAGE).first()
    if existing is not None:
        return _report(existing, created=False)
    with transaction.atomic():
        event, staff = _create_demo_event(seed=seed, today=today or timezone.localdate())
    if staff is not None and event.meeting_requests.exists():
        services.event_schedule(event=event, user=staff, time_limit=3, seed=seed)
    return _report(event, created=True)


def _create_demo_event(*, seed: int, today: datetime.date) -> tuple[Event, User | None]:
    demo = Organisation.objects.filter(source__in=DEMO_SOURCES, is_published=True)
    editors = list(
        User.objects.filter(role=User.Role.MEMBER_EDITOR, organisation__in=demo).order_by(
            "username"
        )
    )
    editor_orgs = {u.organisation_id for u in editors}
    pool = list(
        demo.exclude(pk__in=editor_orgs)
        .prefetch_related("sectors", "competences", "people")
        .order_by("pk")
    )
    organisations = {o.pk: o for o in [u.organisation for u in editors] + pool}
    plan = plan_brokerage_day(
        seed=seed,
        today=today,
        now=timezone.now(),
        editors=[_candidate(u.organisation) for u in editors],
        pool=[_candidate(o) for o in pool],
    )
    starts = timezone.make_aware(datetime.datetime.combine(plan.day, datetime.time(9, 0)))
    event = Event.objects.create(
        kind=Event.Kind.BROKERAGE,
        title=DEMO_TITLE,
        description_pl=(
            "Demo: dzień spotkań B2B firm, instytutów i uczelni klastra z partnerami z "
            "zagranicy. Spotkania po 20 minut, przerwa kawowa po czwartym slocie."
        ),
        description_en=(
            "Demo: a day of B2B meetings between the cluster's companies, institutes and "
            "universities and foreign partners. 20-minute meetings, a coffee break after slot 4."
        ),
        place="Warszawa, Centrum Konferencyjne (demo)",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=7),
        capacity=80,
        registration_deadline=starts - datetime.timedelta(days=2),
        is_published=True,
        is_demo=True,
        has_b2b=True,
        b2b_starts_at=starts + datetime.timedelta(hours=1),
        slot_minutes=20,
        slot_count=BROKERAGE_SLOTS,
        table_count=15,
        break_slots=[4],
        request_expiry_hours=BROKERAGE_REQUEST_EXPIRY_HOURS,
    )
    users_by_org = {u.organisation_id: u for u in editors}
    registrations = []
    for index, participant in enumerate(plan.participants):
        organisation = organisations[participant.organisation_id]
        person = next(iter(organisation.people.all()), None)
        registration = Registration.objects.create(
            event=event,
            user=users_by_org.get(organisation.pk),
            organisation=organisation,
            name=f"{person.first_name} {person.last_name}" if person else organisation.name,
            email=(person.email if person and person.email else f"demo{index}@klaster.example"),
            organisation_name=organisation.name,
            country=organisation.country or "PL",
            offers=participant.offers,
            looking_for=participant.looking_for,
            # The seed makes the demo repeatable, so it must not make secrets: the default seed
            # is public, and anyone could rebuild every private link from it.
            code=services.new_check_in_code(),
            access_token=services.new_access_token(),
            unavailable_slots=participant.unavailable_slots,
        )
        registration.sectors.set(organisation.sectors.all())
        registrations.append(registration)
    MeetingRequest.objects.bulk_create(
        [
            MeetingRequest(
                event=event,
                sender=registrations[request.sender],
                recipient=registrations[request.recipient],
                message="Chętnie porozmawiamy o współpracy.",
                status=request.status,
                created_at=request.sent,
                expires_at=request.sent + datetime.timedelta(hours=event.request_expiry_hours),
                responded_at=request.responded,
            )
            for request in plan.requests
        ]
    )
    staff = User.objects.filter(role=User.Role.COORDINATOR, is_active=True).order_by("pk").first()
    return event, staff


def _candidate(organisation: Organisation) -> Candidate:
    """What the plan needs of an organisation: it offers its competences (or its description)."""
    competences = [c.name for c in organisation.competences.all()][:4]
    return Candidate(
        id=organisation.pk,
        offers=", ".join(competences) or (organisation.description_pl or "")[:200],
        sector_codes=tuple(s.code for s in organisation.sectors.all()),
    )
