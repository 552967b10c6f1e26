"""Funding calls: list with filters (an htmx fragment when filtering), a call's page, a month
of deadlines, iCal feed, and the staff import of national and regional calls."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from klaster.calls import imports, selectors
from klaster.calls.forms import CallFilterForm, parse_month
from klaster.calls.tasks import CALLS_CHECK_JOB, CALLS_IMPORT_JOB
from klaster.jobs.models import Upload
from klaster.jobs.services import job_create, job_enqueue, job_for_upload, upload_get
from klaster.jobs.views import follow_job
from klaster.members import imports as member_imports
from klaster.members import permissions
from klaster.web.links import site_url


def call_list(request):
    form = CallFilterForm(request.GET or None, facets=selectors.call_facets())
    today = timezone.localdate()
    calls = selectors.call_search(filters=form.filters(), today=today)
    page = Paginator(calls, 25).get_page(request.GET.get("page"))
    template = "calls/partials/call_rows.html" if request.htmx else "calls/call_list.html"
    return render(request, template, {"form": form, "page": page, "today": today})


def call_detail(request, call_id: int):
    call = selectors.call_get(call_id=call_id)
    # Who in the cluster could apply is for the cluster's own people, not for public visitors.
    placed = selectors.members_best_placed(call=call) if request.user.is_authenticated else None
    context = {"call": call, "placed": placed, "closed": call.is_closed_on(timezone.localdate())}
    return render(request, "calls/call_detail.html", context)


def call_calendar(request):
    today = timezone.localdate()
    month = parse_month(request.GET.get("month"), today=today)
    shown = selectors.calls_calendar(month=month)
    context = {"month": shown, "today": today}
    if not shown.days_with_calls:
        # An empty month points on to the next deadline, so the calendar never ends in a blank.
        context["next_deadline"] = selectors.next_deadline(after=max(month, today))
    return render(request, "calls/calendar.html", context)


def calls_feed(request):
    text = selectors.calls_ical(
        # The feed keeps past deadlines: a calendar shows history as well as what is to come.
        calls=selectors.call_search(
            filters=selectors.CallFilters(show_closed=True), today=timezone.localdate()
        ),
        base_url=site_url(),
        stamp=timezone.now(),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="klaster-calls.ics"'
    return response


# --- Import of national and regional calls (staff) -------------------------------------------

_UPLOAD_KIND = "calls:"  # + the source, kept with the upload until the confirmation


def _staff_only(request) -> None:
    if not permissions.can_manage_registry(request.user):
        raise PermissionDenied(_("Only coordinator staff import funding calls."))


def _upload_or_404(request, token: str) -> tuple[Upload, str]:
    try:
        upload = upload_get(token=token, owner=request.user)
    except LookupError:
        upload = None
    if upload is None or not upload.kind.startswith(_UPLOAD_KIND):
        raise Http404(_("This upload does not exist or has expired; upload the file again."))
    return upload, upload.kind.removeprefix(_UPLOAD_KIND)


@login_required
def import_upload(request):
    _staff_only(request)
    form = imports.CallImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        upload = member_imports.upload_store(
            user=request.user,
            data=uploaded.read(),
            filename=uploaded.name,
            kind=_UPLOAD_KIND + form.cleaned_data["source"],
        )
        return redirect("calls:import_preview", token=upload.token)
    context = {"form": form, "columns": imports.COLUMNS, "required": imports.REQUIRED_COLUMNS}
    return render(request, "calls/import.html", context)


@login_required
@require_GET
def import_preview(request, token: str):
    """The dry run of the uploaded file: calls to add and to update, and row errors. It runs in
    the background; the page follows its progress and shows the report when it ends."""
    _staff_only(request)
    try:
        upload, source = _upload_or_404(request, token)
    except Http404:
        # A rejected file is deleted once checked; a reload still shows why it was rejected.
        report = member_imports.import_check_report(
            token=token, user=request.user, job_kind=CALLS_CHECK_JOB
        )
        if report is None:
            raise
        context = {"upload": {"filename": report.filename, "token": token}, "report": report}
        return render(request, "calls/import_preview.html", context)
    check = job_for_upload(
        kind=CALLS_CHECK_JOB,
        token=upload.token,
        user=request.user,
        title=_("Check of %(file)s") % {"file": upload.filename},
        parameters={"filename": upload.filename},
    )

    def show_report(job):
        report = member_imports.ImportReport.of_check_job(
            job, kind=imports.KIND, filename=upload.filename
        )
        context = {"upload": upload, "source": source, "report": report}
        return render(request, "calls/import_preview.html", context)

    return follow_job(request, check, show_report)


@login_required
@require_POST
def import_confirm(request, token: str):
    _staff_only(request)
    upload, source = _upload_or_404(request, token)
    # The rows are checked again inside the import's transaction (calls may have changed since
    # the preview); errors then fail the job with the report, and nothing is written.
    job = job_create(
        kind=CALLS_IMPORT_JOB,
        title=_("Import of calls from %(file)s") % {"file": upload.filename},
        parameters={"token": upload.token, "source": source, "next_url": reverse("calls:list")},
        user=request.user,
    )
    job_enqueue(job=job)
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_POST
def import_cancel(request, token: str):
    """The preview's Cancel: the uploaded file is deleted, and the upload page shown again."""
    _staff_only(request)
    member_imports.upload_cancel(user=request.user, token=token)
    return redirect("calls:import")
