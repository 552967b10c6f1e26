"""Funding calls: list with filters (an htmx fragment when filtering), a call's page, a month
of deadlines, iCal feed, and the staff import of national and regional calls."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from klaster.calls import imports, selectors
from klaster.calls.forms import CallFilterForm, parse_month
from klaster.common.links import site_url
from klaster.imports.views import ImportPages
from klaster.jobs.registry import JobKind


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


# --- Import of national and regional calls (staff): the shared import pages -------------------

IMPORT_PAGES = ImportPages(
    namespace="calls",
    check_job=JobKind.CALLS_IMPORT_CHECK,
    import_job=JobKind.CALLS_IMPORT,
    form_class=imports.CallImportUploadForm,
    importer_for=imports.importer_for,
    refused=gettext_lazy("Only coordinator staff import funding calls."),
    title=gettext_lazy("Import funding calls"),
    intro=gettext_lazy(
        "Upload national or regional calls as a CSV (UTF-8, comma or semicolon) or XLSX file. "
        "You will first see a preview: which calls will be added and which updated, and every "
        "error with its row and column. Nothing is saved until you confirm, and then either "
        "every row is saved or none."
    ),
    help_template="calls/partials/import_help.html",
    help_context={"columns": imports.COLUMNS, "required": imports.REQUIRED_COLUMNS},
    describe=imports.describe,
    import_title=gettext_lazy("Import of calls from %(file)s"),
    back_url="calls:list",
    back_text=gettext_lazy("All funding calls"),
    form_testid="call-import-form",
)
