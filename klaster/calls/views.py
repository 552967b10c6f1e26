"""Funding calls: list with filters (an htmx fragment when filtering), a call's page, iCal feed."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from klaster.calls import selectors
from klaster.calls.forms import CallFilterForm


def call_list(request):
    form = CallFilterForm(request.GET or None, facets=selectors.call_facets())
    calls = selectors.call_search(filters=form.filters())
    page = Paginator(calls, 25).get_page(request.GET.get("page"))
    template = "calls/partials/call_rows.html" if request.htmx else "calls/call_list.html"
    return render(request, template, {"form": form, "page": page})


def call_detail(request, call_id: int):
    call = selectors.call_get(call_id=call_id)
    # Who in the cluster could apply is for the cluster's own people, not for public visitors.
    placed = selectors.members_best_placed(call=call) if request.user.is_authenticated else None
    return render(request, "calls/call_detail.html", {"call": call, "placed": placed})


def calls_feed(request):
    text = selectors.calls_ical(
        calls=selectors.call_search(filters=selectors.CallFilters()),
        base_url=request.build_absolute_uri("/").rstrip("/"),
        stamp=timezone.now(),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="klaster-calls.ics"'
    return response
