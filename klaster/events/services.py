"""Writes of the events app: events, registrations, meeting requests and the B2B schedule.

Every function here that changes rows runs inside `transaction.atomic` (scheduling solves
between two short transactions, with none open while the solver searches); permission and input
problems raise `PermissionDenied` and `ValidationError` with a message a person can act on.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.accounts import ratelimit
from klaster.common.roles import is_cluster_staff
from klaster.core import schedule as scheduler
from klaster.events import emails, permissions, selectors
from klaster.events.models import Event, Meeting, MeetingRequest, Registration
from klaster.jobs.registry import JobKind

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the door
CODE_LENGTH = 6
# Above this many accepted requests the schedule is computed by a background job.
BACKGROUND_REQUESTS = 300
# Above this many participants the announcement e-mails are written by a background job.
BACKGROUND_RECIPIENTS = 100
SCHEDULE_TIME_LIMIT = 10.0
# Times the day is solved again when it changed while it was being solved, before giving up.
SCHEDULE_ATTEMPTS = 3
# Reminders of their link sent to someone whose address is typed in again, per day.
REMINDERS_PER_DAY = 3

EVENT_FIELDS = (
    "kind", "title", "description_pl", "description_en", "place", "starts_at", "ends_at",
    "capacity", "registration_deadline", "has_b2b", "b2b_starts_at", "slot_minutes",
    "slot_count", "table_count", "break_slots", "request_expiry_hours",
)  # fmt: skip
PROFILE_FIELDS = ("name", "email", "organisation_name", "country", "offers", "looking_for")


def _either(registration: Registration) -> Q:
    return Q(a=registration) | Q(b=registration)


def _require_staff(user) -> None:
    if not is_cluster_staff(user):
        raise PermissionDenied(_("Only coordinator staff manage events."))


# --- Events -----------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, user, data: dict) -> Event:
    _require_staff(user)
    event = Event(created_by=user, **{f: data[f] for f in EVENT_FIELDS if f in data})
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def event_update(*, event: Event, user, data: dict) -> Event:
    _require_staff(user)
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def event_publish(*, event: Event, user, publish: bool = True) -> Event:
    _require_staff(user)
    event.is_published = publish
    event.save(update_fields=["is_published", "updated_at"])
    return event


# --- Registrations ----------------------------------------------------------------------------


def new_access_token() -> str:
    """The secret of a registration's private link."""
    return secrets.token_urlsafe(32)


class AlreadyRegistered(ValidationError):
    """The e-mail address is registered already; the message reveals neither that nor who."""

    def __init__(self, registration: Registration | None = None):
        super().__init__(
            _(
                "If this e-mail address is already registered for this event, we have sent it "
                "the link to that registration. Nothing else was changed."
            ),
            code="already_registered",
        )
        self.registration = registration  # whom to remind; never shown to the visitor


def _remind(registration: Registration) -> None:
    """E-mail the registrant their link, a few times a day at most: otherwise anyone typing
    their address could flood their inbox. Runs outside the refused registration's
    transaction, so the count stays when that rolls back."""
    if ratelimit.attempt_take(
        scope="event-reminder",
        value=str(registration.pk),
        limit=REMINDERS_PER_DAY,
        window_seconds=24 * 3600,
    ):
        emails.send_robustly([emails.already_registered_message(registration)])


def new_check_in_code() -> str:
    """A fresh check-in code from `secrets`: it is shown at the door, so it must not be guessed."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Registration.objects.filter(code=code).exists():
            return code


def _seat_free(event: Event) -> bool:
    if event.capacity is None:
        return True
    taken = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    return taken < event.capacity


def registration_create(
    *,
    event: Event,
    data: dict,
    user=None,
    language: str = "",
    now: datetime.datetime | None = None,
) -> Registration:
    """Register someone: confirmed while seats last, then on the waiting list.

    A signed-in member registers under their account and organisation; an external participant
    gives name, e-mail, organisation and country. Registering again after cancelling makes a
    new registration with a new code and private link: the cancelled one, its link and its
    messages stay closed, since whoever types an e-mail address need not be the person who
    used it before. An e-mail address already registered raises `AlreadyRegistered`, whose
    message says nothing about the registration; its owner is e-mailed their link instead.
    `language` is the interface language they registered in; their e-mails are written in it.
    They get an e-mail once the registration is saved.
    """
    try:
        return _registration_save(event=event, data=data, user=user, language=language, now=now)
    except AlreadyRegistered as refusal:
        if refusal.registration is not None:
            _remind(refusal.registration)
        raise


@transaction.atomic
def _registration_save(
    *, event: Event, data: dict, user, language: str, now: datetime.datetime | None
) -> Registration:
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.registration_open(now):
        raise ValidationError(_("Registration for this event is closed."))
    profile = {f: (data.get(f) or "").strip() for f in PROFILE_FIELDS}
    if user is not None and user.is_authenticated:
        profile["email"] = profile["email"] or user.email
        profile["name"] = profile["name"] or user.get_full_name() or user.get_username()
        if user.organisation_id:
            profile["organisation_name"] = user.organisation.name
            profile["country"] = user.organisation.country or profile["country"]
    profile["country"] = (profile["country"] or "PL").upper()[:2]
    missing = [f for f in ("name", "email", "organisation_name") if not profile[f]]
    if missing:
        raise ValidationError(_("Please fill in: %(fields)s.") % {"fields": ", ".join(missing)})

    live = event.registrations.exclude(status=Registration.Status.CANCELLED)
    if user is not None and user.is_authenticated and live.filter(user=user).exists():
        raise ValidationError(_("You are already registered for this event."))
    existing = live.filter(email__iexact=profile["email"]).first()
    if existing is not None:
        raise AlreadyRegistered(existing)
    registration = Registration(
        event=event, code=new_check_in_code(), access_token=new_access_token()
    )
    for name, value in profile.items():
        setattr(registration, name, value)
    if user is not None and user.is_authenticated:
        registration.user = user
        registration.organisation = user.organisation
    registration.language = language or registration.language
    registration.status = (
        Registration.Status.CONFIRMED if _seat_free(event) else Registration.Status.WAITLISTED
    )
    registration.full_clean(exclude=["sectors"])
    try:
        registration.save()
    except IntegrityError:
        raise AlreadyRegistered() from None
    if "sectors" in data:
        registration.sectors.set(data["sectors"])
    emails.send_on_commit(lambda: [emails.registration_message(registration)])
    return registration


@transaction.atomic
def registration_update_profile(*, registration: Registration, data: dict) -> Registration:
    for name in ("offers", "looking_for", "country"):
        if name in data:
            setattr(registration, name, (data[name] or "").strip())
    registration.country = (registration.country or "PL").upper()[:2]
    registration.save(update_fields=["offers", "looking_for", "country"])
    if "sectors" in data:
        registration.sectors.set(data["sectors"])
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration | None:
    """Cancel; a freed seat goes to the first on the waiting list, who is returned."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    was_confirmed = registration.is_confirmed
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status"])
    Meeting.objects.filter(event=event, is_locked=False).filter(_either(registration)).delete()
    if not was_confirmed or not _seat_free(event):
        return None
    promoted = (
        event.registrations.filter(status=Registration.Status.WAITLISTED)
        .order_by("created_at", "pk")
        .first()
    )
    if promoted:
        promoted.status = Registration.Status.CONFIRMED
        promoted.save(update_fields=["status"])
        emails.send_on_commit(lambda: [emails.promotion_message(promoted)])
    return promoted


@transaction.atomic
def registration_check_in(
    *, event: Event, code: str, user, now: datetime.datetime | None = None
) -> Registration:
    _require_staff(user)
    code = (code or "").strip().upper().replace(" ", "")
    registration = Registration.objects.filter(event=event, code=code).first()
    if registration is None:
        raise ValidationError(
            _("No registration for this event has the code %(code)s.") % {"code": code or "—"}
        )
    if not registration.is_confirmed:
        raise ValidationError(
            _("%(name)s is not confirmed (%(status)s).")
            % {"name": registration.name, "status": registration.get_status_display()}
        )
    if registration.checked_in_at is None:
        registration.checked_in_at = now or timezone.now()
        registration.save(update_fields=["checked_in_at"])
    return registration


@transaction.atomic
def availability_set(*, registration: Registration, available_slots: Iterable[int]) -> Registration:
    slots = range(registration.event.slot_count)
    available = {int(s) for s in available_slots}
    if not available <= set(slots):
        raise ValidationError(_("Unknown slot."))
    registration.unavailable_slots = [s for s in slots if s not in available]
    registration.save(update_fields=["unavailable_slots"])
    return registration


# --- Meeting requests -------------------------------------------------------------------------


@transaction.atomic
def meeting_request_create(
    *,
    sender: Registration,
    recipient: Registration,
    message: str = "",
    now: datetime.datetime | None = None,
) -> MeetingRequest:
    now = now or timezone.now()
    event = sender.event
    if not permissions.can_use_matchmaking(sender, event):
        raise PermissionDenied(_("Only confirmed participants of this event send requests."))
    if recipient.event_id != event.pk or not recipient.is_confirmed:
        raise ValidationError(_("This person is not a participant of the event."))
    if recipient.pk == sender.pk:
        raise ValidationError(_("You cannot ask yourself for a meeting."))
    live = MeetingRequest.objects.filter(
        sender__in=(sender, recipient), recipient__in=(sender, recipient)
    )
    for earlier in live:
        status = earlier.status_at(now)
        if status in (MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED):
            raise ValidationError(_("There is already a meeting request between you two."))
    # An expired or declined request may be sent again: it is renewed.
    request, _created = MeetingRequest.objects.update_or_create(
        sender=sender,
        recipient=recipient,
        defaults={
            "event": event,
            "message": message.strip()[:2000],
            "status": MeetingRequest.Status.PENDING,
            "created_at": now,
            "expires_at": now + datetime.timedelta(hours=event.request_expiry_hours),
            "responded_at": None,
            "unscheduled_reason": "",
        },
    )
    emails.send_on_commit(lambda: [emails.request_received_message(request)])
    return request


@transaction.atomic
def meeting_request_respond(
    *,
    request: MeetingRequest,
    registration: Registration | None,
    accept: bool,
    now: datetime.datetime | None = None,
) -> MeetingRequest:
    now = now or timezone.now()
    if not permissions.can_answer_request(registration, request):
        raise PermissionDenied(_("Only the person asked may answer this request."))
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    status = request.status_at(now)
    if status == MeetingRequest.Status.EXPIRED:
        raise ValidationError(_("This request has expired."))
    if status != MeetingRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    request.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    request.responded_at = now
    request.save(update_fields=["status", "responded_at"])
    emails.send_on_commit(lambda: [emails.request_answered_message(request)])
    return request


@transaction.atomic
def meeting_requests_expire(*, now: datetime.datetime | None = None) -> int:
    """Mark pending requests past their time as expired; returns how many."""
    now = now or timezone.now()
    return MeetingRequest.objects.filter(
        status=MeetingRequest.Status.PENDING, expires_at__lte=now
    ).update(status=MeetingRequest.Status.EXPIRED)


@transaction.atomic
def meeting_add_by_staff(
    *,
    event: Event,
    user,
    a: Registration,
    b: Registration,
    slot: int | None = None,
    table: int | None = None,
    now: datetime.datetime | None = None,
) -> MeetingRequest:
    """An organiser pairs two participants: an accepted request of higher priority, and when
    a slot is given, a meeting placed there (locked, so scheduling keeps it)."""
    _require_staff(user)
    now = now or timezone.now()
    if a.pk == b.pk or {a.event_id, b.event_id} != {event.pk}:
        raise ValidationError(_("Choose two different participants of this event."))
    if not (a.is_confirmed and b.is_confirmed):
        raise ValidationError(_("Both participants must be confirmed."))
    request = MeetingRequest.objects.filter(
        sender__in=(a, b), recipient__in=(a, b)
    ).first() or MeetingRequest(event=event, sender=a, recipient=b, created_at=now)
    request.status = MeetingRequest.Status.ACCEPTED
    request.added_by_staff = True
    request.priority = max(request.priority, 2)
    request.responded_at = now
    request.expires_at = request.expires_at or now
    request.save()
    if slot is None:
        return request
    if table is None:
        taken = set(event.meetings.filter(slot=slot).values_list("table", flat=True))
        table = next((t for t in range(event.table_count) if t not in taken), None)
        if table is None:
            raise ValidationError(_("Every table is taken in this slot."))
    if not (0 <= slot < event.slot_count and 0 <= table < event.table_count):
        raise ValidationError(_("No such slot or table."))
    if slot in (event.break_slots or []):
        raise ValidationError(_("This slot is a break."))
    if slot in (a.unavailable_slots or []) or slot in (b.unavailable_slots or []):
        raise ValidationError(_("A participant is not available in this slot."))
    clash = event.meetings.filter(slot=slot).filter(_either(a) | _either(b))
    if clash.exists() or event.meetings.filter(slot=slot, table=table).exists():
        raise ValidationError(_("A participant or the table is already busy in this slot."))
    event.meetings.filter(request=request, is_locked=False).delete()
    meeting = Meeting.objects.create(
        event=event, a=a, b=b, request=request, slot=slot, table=table, is_locked=True
    )
    if Event.objects.filter(pk=event.pk, schedule_announced_at__isnull=False).exists():
        emails.send_on_commit(lambda: emails.meetings_added_messages([meeting.pk]))
    return request


# --- Scheduling -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleOutcome:
    meetings: int
    new_meetings: int
    unscheduled: int
    status: str
    reasons: dict[str, int]

    def as_dict(self) -> dict:
        return {
            "meetings": self.meetings,
            "new_meetings": self.new_meetings,
            "unscheduled": self.unscheduled,
            "status": self.status,
            "reasons": self.reasons,
        }


def _pair(a, b) -> frozenset:
    return frozenset((a, b))


def event_schedule(
    *,
    event: Event,
    user,
    time_limit: float = SCHEDULE_TIME_LIMIT,
    seed: int = 0,
    progress: Callable[[int, int, str], None] | None = None,
    before_write: Callable[[], None] | None = None,
) -> ScheduleOutcome:
    """Place accepted requests in slots and tables; locked meetings stay where they are.

    With nothing locked the whole day is solved (staying close to any earlier schedule); once
    meetings are announced, late acceptances are added by `reschedule` around them. After the
    announcement a meeting added is announced at once: locked, and both participants e-mailed.

    The solver runs with no transaction open, so registrations, requests and every other write
    go on meanwhile. The short write step then reads the day again: when something the schedule
    depends on changed, the day is solved again (`SCHEDULE_ATTEMPTS` times at most, then a
    `ValidationError` and nothing saved). `before_write` is called between solving and writing.
    """
    _require_staff(user)
    progress = progress or (lambda done, total, message: None)
    for _attempt in range(SCHEDULE_ATTEMPTS):
        progress(0, 3, _("Reading requests and availability"))
        # Durable: refuses to start inside a caller's transaction, so the solver below never
        # runs with one open (and never holds a lock while it searches).
        with transaction.atomic(durable=True):
            day = selectors.schedule_input(event_id=event.pk)
        if not day.has_b2b:
            raise ValidationError(_("This event has no B2B meetings."))
        progress(1, 3, _("Scheduling %(count)s accepted requests") % {"count": len(day.accepted)})
        schedule = _schedule_solve(day, time_limit=time_limit, seed=seed)
        if before_write is not None:
            before_write()
        progress(2, 3, _("Saving the schedule"))
        outcome = _schedule_save(event_id=event.pk, day=day, schedule=schedule)
        if outcome is not None:
            progress(3, 3, _("Schedule saved"))
            return outcome
    raise ValidationError(
        _(
            "Registrations, availability or meeting requests kept changing while the schedule "
            "was being computed, so nothing was saved. Please schedule again."
        ),
        code="schedule_changed",
    )


def _schedule_solve(
    day: selectors.ScheduleInput, *, time_limit: float, seed: int
) -> scheduler.Schedule:
    """Solve the day read by `schedule_input`: the whole day, or around the locked meetings."""
    try:
        if not day.locked:
            return scheduler.solve_schedule(
                day.instance, time_limit=time_limit, seed=seed, previous=day.previous
            )
        placed = {_pair(m.a, m.b) for m in day.previous}
        requests = day.instance.requests
        return scheduler.reschedule(
            replace(day.instance, requests=tuple(q for q in requests if _pair(q.a, q.b) in placed)),
            scheduler.Schedule(meetings=day.previous),
            announced=list(day.locked),
            new_requests=[q for q in requests if _pair(q.a, q.b) not in placed],
            time_limit=time_limit,
            seed=seed,
        )
    except scheduler.InstanceError as error:
        raise ValidationError(
            _("The day cannot be scheduled as it stands: %(error)s") % {"error": error}
        ) from None


@transaction.atomic(durable=True)
def _schedule_save(
    *, event_id: int, day: selectors.ScheduleInput, schedule: scheduler.Schedule
) -> ScheduleOutcome | None:
    """Write a schedule solved from `day`; None (and nothing written) when the day changed."""
    event = Event.objects.select_for_update().get(pk=event_id)
    if selectors.schedule_input(event_id=event_id) != day:
        return None
    confirmed = [p.id for p in day.instance.participants]
    event.meetings.exclude(a_id__in=confirmed).delete()
    event.meetings.exclude(b_id__in=confirmed).delete()
    request_of = {_pair(a, b): pk for a, b, pk in day.accepted}
    locked_keys = {(m.slot, m.table) for m in day.locked}
    before = {_pair(m.a, m.b) for m in day.previous}
    event.meetings.filter(is_locked=False).delete()
    created = Meeting.objects.bulk_create(
        Meeting(
            event=event,
            a_id=m.a,
            b_id=m.b,
            slot=m.slot,
            table=m.table,
            request_id=request_of.get(_pair(m.a, m.b)),
            is_locked=day.announced,
        )
        for m in schedule.meetings
        if (m.slot, m.table) not in locked_keys
    )
    if day.announced:
        late = [m for m in created if _pair(m.a_id, m.b_id) not in before]
        if late:
            ids = [m.pk for m in late]
            emails.send_on_commit(lambda: emails.meetings_added_messages(ids))
    reasons: dict[str, int] = {}
    unscheduled_reason = {}
    for item in schedule.unscheduled:
        unscheduled_reason[_pair(item.a, item.b)] = item.reason
        reasons[item.reason] = reasons.get(item.reason, 0) + 1
    requests = MeetingRequest.objects.in_bulk(list(request_of.values()))
    for pair, pk in request_of.items():
        request, reason = requests[pk], unscheduled_reason.get(pair, "")
        if request.unscheduled_reason != reason:
            request.unscheduled_reason = reason
            request.save(update_fields=["unscheduled_reason"])
    event.scheduled_at = timezone.now()
    event.save(update_fields=["scheduled_at", "updated_at"])
    return ScheduleOutcome(
        meetings=len(schedule.meetings),
        new_meetings=sum(_pair(m.a, m.b) not in before for m in schedule.meetings),
        unscheduled=len(schedule.unscheduled),
        status=schedule.status,
        reasons=reasons,
    )


def event_schedule_start(*, event: Event, user):
    """Schedule now, or for a big day queue a background job; returns the outcome or the job."""
    from klaster.jobs.services import job_create, job_enqueue

    _require_staff(user)
    accepted = event.meeting_requests.filter(status=MeetingRequest.Status.ACCEPTED).count()
    if accepted <= BACKGROUND_REQUESTS:
        return event_schedule(event=event, user=user)
    with transaction.atomic():
        job = job_create(
            kind=JobKind.EVENT_SCHEDULE,
            title=_("Scheduling B2B meetings of %(event)s") % {"event": event.title},
            parameters={"event_id": event.pk},
            user=user,
        )
        job_enqueue(job=job)
    return job


@transaction.atomic
def event_schedule_announce(*, event: Event, user, now: datetime.datetime | None = None) -> int:
    """Publish the schedule: every meeting is locked from now on. Returns meetings announced.

    The first announcement e-mails every confirmed participant their agenda (a background job
    for a big day); announcing again e-mails only the two participants of each meeting it adds.
    """
    from klaster.jobs.services import job_create, job_enqueue

    _require_staff(user)
    first = (
        not Event.objects.select_for_update()
        .filter(pk=event.pk, schedule_announced_at__isnull=False)
        .exists()
    )
    unlocked = list(event.meetings.filter(is_locked=False).values_list("pk", flat=True))
    count = event.meetings.filter(pk__in=unlocked).update(is_locked=True)
    event.schedule_announced_at = now or timezone.now()
    event.save(update_fields=["schedule_announced_at", "updated_at"])
    if not first:
        if unlocked:
            emails.send_on_commit(lambda: emails.meetings_added_messages(unlocked))
        return count
    participants = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    if participants > BACKGROUND_RECIPIENTS:
        job = job_create(
            kind=JobKind.EVENT_ANNOUNCE,
            title=_("E-mailing agendas of %(event)s") % {"event": event.title},
            parameters={"event_id": event.pk},
            user=user,
        )
        job_enqueue(job=job)
    else:
        transaction.on_commit(lambda: emails.schedule_announced_send(event=event), robust=True)
    return count
