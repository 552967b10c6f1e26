"""Pages of events: the public list and page with iCal, registration, the participant's own
page (code, profile, availability, requests, agenda), the catalogue with suggested matches,
and the staff pages (edit, check-in, participants export, statistics, schedule, table plan)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klaster.common.links import site_url
from klaster.common.roles import is_cluster_staff, require_cluster_staff
from klaster.core.limits import row_id
from klaster.events import exports, permissions, selectors, services
from klaster.events.forms import (
    CheckInForm,
    EventForm,
    ManualMeetingForm,
    MeetingRequestForm,
    ProfileForm,
    RegistrationForm,
)
from klaster.events.models import Event, Registration
from klaster.jobs.models import Job
from klaster.jobs.registry import JobKind


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _staff_event(request, event_id: int) -> Event:
    require_cluster_staff(request, _("Only coordinator staff manage events."))
    return selectors.event_get(user=request.user, event_id=event_id)


def _base_url(request) -> str:
    # iCal links are opened from a calendar app, so they carry the public address (SITE_URL)
    # like the e-mails, not whatever host name this request came in on.
    return site_url()


def _participant(request, event: Event) -> Registration:
    """The visitor's confirmed registration for a B2B event, or 404 (not 403: whether
    someone takes part is nobody else's business)."""
    registration = selectors.registration_current(
        event=event, user=request.user, session=request.session
    )
    if not permissions.can_use_matchmaking(registration, event):
        raise Http404(_("This page is open to confirmed participants of the event only."))
    return registration


def _ics_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Public -----------------------------------------------------------------------------------


def event_list(request):
    now = timezone.now()
    past = request.GET.get("past") == "1"
    context = {
        "events": selectors.events_visible(user=request.user, now=now, past=past),
        "past": past,
        "mine": selectors.registrations_of_user(user=request.user),
        "is_staff": is_cluster_staff(request.user),
    }
    return render(request, "events/event_list.html", context)


def event_detail(request, event_id: int):
    event = selectors.event_get(user=request.user, event_id=event_id)
    registration = selectors.registration_current(
        event=event, user=request.user, session=request.session
    )
    context = {
        "event": event,
        "description": event.description(get_language()),
        "seats": selectors.event_seats(event=event),
        "registration": registration,
        "registration_open": event.registration_open(timezone.now()),
        "is_staff": is_cluster_staff(request.user),
    }
    return render(request, "events/event_detail.html", context)


def events_feed(request):
    events = list(selectors.events_visible(user=request.user, now=timezone.now()))
    events = [e for e in events if e.is_published]
    text = selectors.events_ical(
        events=events, base_url=_base_url(request), language=get_language()
    )
    return _ics_response(text, "klaster-events.ics")


def event_ics(request, event_id: int):
    event = selectors.event_get(user=request.user, event_id=event_id)
    text = selectors.events_ical(
        events=[event], base_url=_base_url(request), language=get_language()
    )
    return _ics_response(text, f"event-{event.pk}.ics")


# --- Registration -----------------------------------------------------------------------------


def event_register(request, event_id: int):
    event = selectors.event_get(user=request.user, event_id=event_id)
    member = request.user if request.user.is_authenticated else None
    form = RegistrationForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                event=event, data=form.cleaned_data, user=member, language=get_language()
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            ids = request.session.get(selectors.SESSION_KEY, [])
            request.session[selectors.SESSION_KEY] = [*ids, registration.pk]
            if registration.is_confirmed:
                messages.success(request, _("You are registered. Your check-in code is below."))
            else:
                messages.info(request, _("The event is full: you are on the waiting list."))
            return redirect("events:me", event_id=event.pk)
    context = {"event": event, "form": form, "member": member}
    return render(request, "events/register.html", context)


# Pages the private link may lead to (e-mails link to the agenda and the requests).
LINK_DESTINATIONS = {"agenda": "events:agenda", "requests": "events:requests"}
# A brokerage day has hundreds of participants; the full list is the CSV/XLSX export.
PARTICIPANTS_PAGE_SIZE = 50


def registration_link(request, token: str):
    """The private link an external participant keeps: opens their registration here."""
    registration = selectors.registration_by_token(token=token)
    ids = request.session.get(selectors.SESSION_KEY, [])
    if registration.pk not in ids:
        request.session[selectors.SESSION_KEY] = [*ids, registration.pk]
    destination = LINK_DESTINATIONS.get(request.GET.get("next", ""), "events:me")
    return redirect(destination, event_id=registration.event_id)


def event_me(request, event_id: int):
    event = selectors.event_get(user=request.user, event_id=event_id)
    registration = selectors.registration_current(
        event=event, user=request.user, session=request.session
    )
    if registration is None:
        return redirect("events:detail", event_id=event.pk)
    initial = {
        "offers": registration.offers,
        "looking_for": registration.looking_for,
        "country": registration.country,
        "sectors": registration.sectors.all(),
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.registration_update_profile(registration=registration, data=form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("events:me", event_id=event.pk)
    context = {
        "event": event,
        "registration": registration,
        "form": form,
        "private_link": request.build_absolute_uri(
            reverse("events:registration_link", args=[registration.access_token])
        ),
        "matchmaking": permissions.can_use_matchmaking(registration, event),
    }
    return render(request, "events/me.html", context)


@require_POST
def registration_cancel(request, event_id: int):
    event = selectors.event_get(user=request.user, event_id=event_id)
    registration = selectors.registration_current(
        event=event, user=request.user, session=request.session
    )
    if registration is None:
        raise Http404(_("No such registration."))
    services.registration_cancel(registration=registration)
    messages.success(request, _("Your registration is cancelled."))
    return redirect("events:detail", event_id=event.pk)


# --- Matchmaking ------------------------------------------------------------------------------


def catalogue(request, event_id: int):
    event = selectors.event_get(user=request.user, event_id=event_id)
    registration = selectors.registration_current(
        event=event, user=request.user, session=request.session
    )
    query = request.GET.get("q", "").strip()[:100]
    data = selectors.catalogue(
        event=event, viewer=registration, user=request.user, query=query, now=timezone.now()
    )
    context = {"event": event, "registration": registration, "query": query, **data}
    if request.htmx:
        return render(request, "events/partials/catalogue_results.html", context)
    return render(request, "events/catalogue.html", context)


@require_POST
def request_send(request, event_id: int):
    event = selectors.event_get(user=request.user, event_id=event_id)
    sender = _participant(request, event)
    form = MeetingRequestForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose a participant.")
    else:
        recipient = event.registrations.filter(pk=form.cleaned_data["recipient"]).first()
        try:
            if recipient is None:
                raise ValidationError(_("This person is not a participant of the event."))
            services.meeting_request_create(
                sender=sender, recipient=recipient, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            error = _error_text(exc)
    if request.htmx:
        context = {"error": error, "sent": not error}
        return render(request, "events/partials/request_sent.html", context, status=200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your meeting request is sent."))
    return redirect("events:catalogue", event_id=event.pk)


def my_requests(request, event_id: int):
    event = selectors.event_get(user=request.user, event_id=event_id)
    registration = _participant(request, event)
    data = selectors.requests_of(registration=registration, now=timezone.now())
    return render(
        request, "events/requests.html", {"event": event, "registration": registration, **data}
    )


@require_POST
def request_respond(request, event_id: int, request_id: int):
    event = selectors.event_get(user=request.user, event_id=event_id)
    registration = selectors.registration_current(
        event=event, user=request.user, session=request.session
    )
    meeting_request = selectors.meeting_request_get(request_id=request_id)
    if meeting_request.event_id != event.pk:
        raise Http404(_("No such meeting request."))
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose accept or decline."))
        return redirect("events:requests", event_id=event.pk)
    try:
        services.meeting_request_respond(
            request=meeting_request, registration=registration, accept=decision == "accept"
        )
    except PermissionDenied:
        raise Http404(_("No such meeting request.")) from None
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if decision == "accept":
            messages.success(request, _("Accepted: the meeting goes into the schedule."))
        else:
            messages.info(request, _("Declined."))
    return redirect("events:requests", event_id=event.pk)


def availability(request, event_id: int):
    event = selectors.event_get(user=request.user, event_id=event_id)
    registration = _participant(request, event)
    if request.method == "POST":
        try:
            slots = [int(s) for s in request.POST.getlist("slot")]
            services.availability_set(registration=registration, available_slots=slots)
        except (ValueError, ValidationError):
            messages.error(request, _("Unknown slot."))
        else:
            messages.success(request, _("Your availability is saved."))
            return redirect("events:availability", event_id=event.pk)
    unavailable = set(registration.unavailable_slots or [])
    breaks = set(event.break_slots or [])
    slots = [
        {
            "number": slot,
            "label": slot + 1,
            "start": start,
            "end": end,
            "available": slot not in unavailable,
            "is_break": slot in breaks,
        }
        for slot, (start, end) in enumerate(event.slot_window(s) for s in range(event.slot_count))
    ]
    context = {"event": event, "registration": registration, "slots": slots}
    return render(request, "events/availability.html", context)


def _agenda_registration(request, event: Event) -> tuple[Registration, bool]:
    """Whose agenda: staff may open anyone's (?participant=), others only their own."""
    participant = request.GET.get("participant", "")
    if participant and is_cluster_staff(request.user):
        # row_id, not str.isdigit(): "²" is a digit to Python but no number to int().
        registration = event.registrations.filter(pk=row_id(participant) or 0)
        found = registration.first()
        if found is None:
            raise Http404(_("No such registration."))
        return found, False
    registration = selectors.registration_current(
        event=event, user=request.user, session=request.session
    )
    if registration is None or not registration.is_confirmed:
        raise Http404(_("This page is open to confirmed participants of the event only."))
    return registration, True


def agenda(request, event_id: int):
    event = selectors.event_get(user=request.user, event_id=event_id)
    registration, own = _agenda_registration(request, event)
    items = selectors.agenda(registration=registration, announced_only=own)
    context = {
        "event": event,
        "registration": registration,
        "items": items,
        "meetings": [i for i in items if i.partner is not None],
        "own": own,
    }
    return render(request, "events/agenda.html", context)


def agenda_pdf(request, event_id: int):
    from klaster.events.pdf import agenda_pdf as render_pdf

    event = selectors.event_get(user=request.user, event_id=event_id)
    registration, own = _agenda_registration(request, event)
    items = selectors.agenda(registration=registration, announced_only=own)
    response = HttpResponse(
        render_pdf(registration=registration, items=items), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="agenda-{event.pk}-{registration.code}.pdf"'
    )
    return response


def agenda_ics(request, event_id: int):
    event = selectors.event_get(user=request.user, event_id=event_id)
    registration, _own = _agenda_registration(request, event)
    text = selectors.agenda_ical(registration=registration, base_url=_base_url(request))
    return _ics_response(text, f"agenda-{event.pk}.ics")


# --- Staff ------------------------------------------------------------------------------------


@login_required
def event_create(request):
    require_cluster_staff(request, _("Only coordinator staff manage events."))
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(user=request.user, data=form.service_data())
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The event is saved as a draft."))
            return redirect("events:manage", event_id=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
def event_edit(request, event_id: int):
    event = _staff_event(request, event_id)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, user=request.user, data=form.service_data())
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:manage", event_id=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_publish(request, event_id: int):
    event = _staff_event(request, event_id)
    publish = request.POST.get("publish") != "0"
    services.event_publish(event=event, user=request.user, publish=publish)
    messages.success(
        request, _("The event is published.") if publish else _("The event is hidden.")
    )
    return redirect("events:manage", event_id=event.pk)


@login_required
def manage(request, event_id: int):
    event = _staff_event(request, event_id)
    now = timezone.now()
    context = {
        "event": event,
        "seats": selectors.event_seats(event=event),
        "participants": Paginator(
            selectors.participants_for_staff(event=event), PARTICIPANTS_PAGE_SIZE
        ).get_page(request.GET.get("page")),
        "stats": selectors.request_statistics(event=event, now=now) if event.has_b2b else None,
        "schedule": selectors.schedule_summary(event=event) if event.has_b2b else None,
        "meeting_form": ManualMeetingForm(event=event) if event.has_b2b else None,
        "jobs": Job.objects.filter(
            kind__in=(JobKind.EVENT_SCHEDULE, JobKind.EVENT_ANNOUNCE), parameters__event_id=event.pk
        )[:3],
    }
    return render(request, "events/manage.html", context)


@login_required
def check_in(request, event_id: int):
    event = _staff_event(request, event_id)
    form = CheckInForm(request.POST or None)
    result, error = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            result = services.registration_check_in(
                event=event, code=form.cleaned_data["code"], user=request.user
            )
        except ValidationError as exc:
            error = _error_text(exc)
    context = {
        "event": event,
        "form": CheckInForm() if result else form,
        "result": result,
        "error": error,
        "seats": selectors.event_seats(event=event),
    }
    if request.htmx:
        return render(request, "events/partials/check_in_result.html", context)
    return render(request, "events/check_in.html", context)


@login_required
def export_participants(request, event_id: int, fmt: str):
    event = _staff_event(request, event_id)
    registrations = selectors.participants_for_staff(event=event)
    if fmt == "csv":
        response = HttpResponse(
            exports.participants_csv(registrations), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.participants_xlsx(registrations, title=event.title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404(_("Unknown format."))
    response["Content-Disposition"] = f'attachment; filename="participants-{event.pk}.{fmt}"'
    return response


@login_required
@require_POST
def schedule(request, event_id: int):
    event = _staff_event(request, event_id)
    try:
        outcome = services.event_schedule_start(event=event, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("events:manage", event_id=event.pk)
    if isinstance(outcome, Job):
        return redirect("jobs:detail", job_id=outcome.pk)
    messages.success(
        request,
        _("Scheduled: %(meetings)s meetings (%(new)s new), %(unscheduled)s requests left out.")
        % {
            "meetings": outcome.meetings,
            "new": outcome.new_meetings,
            "unscheduled": outcome.unscheduled,
        },
    )
    return redirect("events:manage", event_id=event.pk)


@login_required
@require_POST
def announce(request, event_id: int):
    event = _staff_event(request, event_id)
    count = services.event_schedule_announce(event=event, user=request.user)
    messages.success(
        request,
        _("Announced: %(count)s meetings are now in participants' agendas.") % {"count": count},
    )
    return redirect("events:manage", event_id=event.pk)


@login_required
@require_POST
def meeting_add(request, event_id: int):
    event = _staff_event(request, event_id)
    form = ManualMeetingForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Choose two participants; slot and table are numbers."))
        return redirect("events:manage", event_id=event.pk)
    data = form.cleaned_data
    try:
        services.meeting_add_by_staff(
            event=event,
            user=request.user,
            a=data["a"],
            b=data["b"],
            slot=data["slot"] - 1 if data["slot"] else None,
            table=data["table"] - 1 if data["table"] else None,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The meeting is added."))
    return redirect("events:manage", event_id=event.pk)


@login_required
def table_plan(request, event_id: int):
    event = _staff_event(request, event_id)
    context = {"event": event, **selectors.table_plan(event=event)}
    return render(request, "events/table_plan.html", context)
