"""A demo brokerage day for `klaster demo`: ~60 participants from the demo cluster, their
profiles, meeting requests in every state, partial availability and a first schedule.

Marked as demo (`Event.is_demo`, a badge on every page); e-mails are the demo people's
`.example` addresses. Idempotent: once the demo event exists, nothing is added.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from klaster.accounts.models import User
from klaster.core.dates import working_day_from
from klaster.events import services
from klaster.events.matching import Profile, suggest_matches
from klaster.events.models import Event, MeetingRequest, Registration
from klaster.members.demo import DEFAULT_SEED, DEMO_SOURCES
from klaster.members.models import Organisation

PARTICIPANTS = 60
DEMO_TITLE = "Dzień kooperacji B2B: ICT, energia, kosmos (demo)"

# What companies look for, by sector code; the offer comes from their own competences.
LOOKING_FOR = {
    "ict": ["partner wdrożeniowy chmury", "dostawca cyberbezpieczeństwa", "analiza danych"],
    "energy": ["magazyny energii", "inteligentne sieci", "fotowoltaika dla gmin"],
    "renewable-energy": ["fotowoltaika", "magazyny energii", "pompy ciepła"],
    "space": ["zobrazowania satelitarne", "systemy nawigacji satelitarnej", "czujniki"],
    "ecology": ["monitoring jakości powietrza", "gospodarka obiegu zamkniętego", "czujniki"],
}
FALLBACK_LOOKING_FOR = ["partnerzy do projektów Horyzont Europa", "inwestor", "analiza danych"]


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


def _looking_for(rng: random.Random, sector_codes: list[str]) -> str:
    options = [text for code in sector_codes for text in LOOKING_FOR.get(code, [])]
    options = options or FALLBACK_LOOKING_FOR
    return ", ".join(rng.sample(options, min(2, len(options))))


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
    rng = random.Random(seed)
    # Three weeks ahead, moved to a working day: never a weekend, Christmas or New Year.
    day = working_day_from(today + datetime.timedelta(days=21))
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
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
        slot_count=12,
        table_count=15,
        break_slots=[4],
        request_expiry_hours=72,
    )
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
    chosen = [u.organisation for u in editors] + rng.sample(
        pool, min(PARTICIPANTS - len(editors), len(pool))
    )
    users_by_org = {u.organisation_id: u for u in editors}
    registrations = []
    for index, organisation in enumerate(chosen):
        person = next(iter(organisation.people.all()), None)
        user = users_by_org.get(organisation.pk)
        competences = [c.name for c in organisation.competences.all()][:4]
        sector_codes = [s.code for s in organisation.sectors.all()]
        offers = ", ".join(competences) or (organisation.description_pl or "")[:200]
        registration = Registration.objects.create(
            event=event,
            user=user,
            organisation=organisation,
            name=f"{person.first_name} {person.last_name}" if person else organisation.name,
            email=(person.email if person and person.email else f"demo{index}@klaster.example"),
            organisation_name=organisation.name,
            country=organisation.country or "PL",
            offers=offers,
            looking_for=_looking_for(rng, sector_codes),
            # The seed makes the demo repeatable, so it must not make secrets: the default seed
            # is public, and anyone could rebuild every private link from it.
            code=services.new_check_in_code(),
            access_token=services.new_access_token(),
            unavailable_slots=sorted(rng.sample(range(12), 3)) if rng.random() < 0.25 else [],
        )
        registration.sectors.set(organisation.sectors.all())
        registrations.append(registration)

    now = timezone.now()
    profiles = [
        Profile(r.pk, r.offers, r.looking_for, frozenset(s.code for s in r.sectors.all()))
        for r in registrations
    ]
    by_pk = {r.pk: r for r in registrations}
    asked: set[frozenset] = set()
    requests = []
    for profile in profiles:
        matches = suggest_matches(profile, profiles, limit=6)
        for match in rng.sample(matches, min(len(matches), rng.randint(1, 3))):
            pair = frozenset((profile.id, match.id))
            if pair in asked:
                continue
            asked.add(pair)
            roll = rng.random()
            sent = now - datetime.timedelta(hours=rng.randint(1, 60))
            status = MeetingRequest.Status.PENDING
            if roll < 0.6:
                status = MeetingRequest.Status.ACCEPTED
            elif roll < 0.7:
                status = MeetingRequest.Status.DECLINED
            elif roll < 0.8:  # sent long ago and never answered: expired
                sent = now - datetime.timedelta(hours=100)
            requests.append(
                MeetingRequest(
                    event=event,
                    sender=by_pk[profile.id],
                    recipient=by_pk[match.id],
                    message="Chętnie porozmawiamy o współpracy.",
                    status=status,
                    created_at=sent,
                    expires_at=sent + datetime.timedelta(hours=event.request_expiry_hours),
                    responded_at=sent + datetime.timedelta(hours=2)
                    if status != MeetingRequest.Status.PENDING
                    else None,
                )
            )
    MeetingRequest.objects.bulk_create(requests)
    staff = User.objects.filter(role=User.Role.COORDINATOR, is_active=True).order_by("pk").first()
    return event, staff
