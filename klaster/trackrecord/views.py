"""Pages of the track record: the network map, the cooperation log, cluster projects, the
linking review queue and CORDIS imports (staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klaster.common.roles import is_cluster_staff, is_member_editor, require_cluster_staff
from klaster.core.limits import row_id
from klaster.core.network.graphml import graphml_text
from klaster.trackrecord import permissions, selectors, services
from klaster.trackrecord.forms import (
    ClusterProjectForm,
    CooperationFilterForm,
    CooperationForm,
    CordisImportForm,
    NetworkFilterForm,
)
from klaster.trackrecord.models import Cooperation, CordisOrganisation, LinkSuggestion

COOPERATION_PAGE_SIZE = 30


def _node_url(node: str, attrs: dict) -> str:
    if attrs.get("organisation_id"):
        return reverse("members:detail", args=[attrs["organisation_id"]])
    return reverse("trackrecord:cordis_organisation_by_node", args=[node[1:]])


def _network_form(request) -> NetworkFilterForm:
    return NetworkFilterForm(
        request.GET or None, countries=selectors.network_countries(), language=get_language()
    )


def _network_filters(request) -> selectors.NetworkFilters:
    filters = _network_form(request).filters()
    # str.isdigit() also says yes to "²", which int() refuses: row_id reads ids safely.
    focus = row_id(request.GET.get("focus"))
    if focus:  # one organisation's neighbourhood, all its partners
        filters.focus = selectors.node_id_of_organisation(focus)
        filters.min_shared = 1
    return filters


# --- The network ------------------------------------------------------------------------------


@login_required
def network_map(request):
    # The figures (betweenness, communities: seconds on a large network) come in a second
    # request, so the page and the map do not wait for them.
    context = {"form": _network_form(request), "query_string": request.GET.urlencode()}
    return render(request, "trackrecord/network.html", context)


@login_required
def network_summary(request):
    """The cluster's figures for the map's filters, as a fragment of the map page; while the
    task worker computes them, a placeholder that asks again."""
    summary = selectors.network_summary_when_ready(
        user=request.user, filters=_network_form(request).filters()
    )
    if summary is None:
        return render(request, "trackrecord/partials/network_summary_pending.html")
    context = {"summary": summary, "show_staff_lists": is_cluster_staff(request.user)}
    return render(request, "trackrecord/partials/network_summary.html", context)


@login_required
def network_json(request):
    filters = _network_filters(request)
    elements = selectors.network_elements(user=request.user, filters=filters, url_of=_node_url)
    return JsonResponse(elements)


@login_required
def network_graphml(request):
    filters = _network_filters(request)
    graph = selectors.network_graph(user=request.user, filters=filters)
    response = HttpResponse(graphml_text(graph), content_type="application/graphml+xml")
    response["Content-Disposition"] = 'attachment; filename="klaster-network.graphml"'
    return response


def cordis_organisation(request, pic: str):
    try:
        record = selectors.cordis_organisation_get(pic=pic)
    except CordisOrganisation.DoesNotExist:
        raise Http404(_("No such organisation in CORDIS.")) from None
    context = {
        "record": record,
        "participations": Paginator(
            selectors.cordis_organisation_projects(record=record), selectors.PROJECTS_PAGE_SIZE
        ).get_page(request.GET.get("page")),
    }
    return render(request, "trackrecord/cordis_organisation.html", context)


def cordis_organisation_by_node(request, record_id: int):
    record = get_object_or_404(CordisOrganisation, pk=record_id)
    return redirect("trackrecord:cordis_organisation", pic=record.pic)


# --- Cooperation log ----------------------------------------------------------------------------


@login_required
def cooperation_list(request):
    filter_form = CooperationFilterForm(request.GET or None)
    kind = filter_form.cleaned_data["kind"] if filter_form.is_valid() else ""
    organisation_id = None
    if request.GET.get("organisation"):
        organisation_id = row_id(request.GET["organisation"])
        if organisation_id is None:
            raise Http404(_("No such organisation."))
    cooperations = selectors.cooperations_list(
        user=request.user,
        organisation_id=organisation_id,
        kind=kind,
    )
    page = Paginator(cooperations, COOPERATION_PAGE_SIZE).get_page(request.GET.get("page"))
    can_record = is_cluster_staff(request.user) or is_member_editor(request.user)
    form = CooperationForm(user=request.user) if can_record else None
    context = {
        "page": page,
        "filter_form": filter_form,
        "form": form,
        "projects": selectors.cluster_projects_by_status(user=request.user),
    }
    return render(request, "trackrecord/cooperation_list.html", context)


def _visible_cooperation_or_404(request, cooperation_id: int) -> Cooperation:
    """The entry if this person may see it; to anyone else it does not exist."""
    try:
        return selectors.cooperation_get_visible(user=request.user, cooperation_id=cooperation_id)
    except Cooperation.DoesNotExist:
        raise Http404(_("No such cooperation entry.")) from None


@login_required
def cooperation_edit(request, cooperation_id: int | None = None):
    cooperation = None
    if cooperation_id is not None:
        cooperation = _visible_cooperation_or_404(request, cooperation_id)
        if not permissions.can_change_cooperation(request.user, cooperation):
            raise PermissionDenied(_("You may change only your own organisation's cooperation."))
    form = CooperationForm(request.POST or None, instance=cooperation, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.cooperation_record(
                user=request.user,
                data=form.cleaned_data,
                cooperation=cooperation,
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The cooperation was recorded."))
            return redirect("trackrecord:cooperation")
    return render(
        request, "trackrecord/cooperation_edit.html", {"form": form, "cooperation": cooperation}
    )


@login_required
@require_POST
def cooperation_delete(request, cooperation_id: int):
    cooperation = _visible_cooperation_or_404(request, cooperation_id)
    services.cooperation_delete(user=request.user, cooperation=cooperation)
    messages.success(request, _("The entry was removed."))
    return redirect("trackrecord:cooperation")


@login_required
@require_POST
def cooperation_confirm(request, cooperation_id: int):
    cooperation = _visible_cooperation_or_404(request, cooperation_id)
    decision = request.POST.get("decision")
    if decision not in ("confirm", "decline"):
        messages.error(request, _("Choose whether to confirm or decline the entry."))
        return redirect("trackrecord:cooperation")
    accept = decision == "confirm"
    services.cooperation_confirm(user=request.user, cooperation=cooperation, accept=accept)
    if accept:
        messages.success(request, _("The entry is confirmed and now public."))
    else:
        messages.success(request, _("The entry was declined; it is not shown publicly."))
    return redirect("trackrecord:cooperation")


# --- Cluster projects ---------------------------------------------------------------------------


@login_required
def cluster_projects(request):
    status = request.GET.get("status", "")
    context = {
        "projects": selectors.cluster_projects_list(user=request.user, status=status),
        "by_status": selectors.cluster_projects_by_status(user=request.user),
        "status": status,
        "can_create": is_cluster_staff(request.user),
        "editable": selectors.cluster_project_ids_editable(user=request.user),
    }
    return render(request, "trackrecord/cluster_projects.html", context)


@login_required
def cluster_project_detail(request, project_id: int):
    page = selectors.cluster_project_page(user=request.user, project_id=project_id)
    if page is None:
        raise Http404(_("No such cluster project."))
    return render(request, "trackrecord/cluster_project_detail.html", {"page": page})


@login_required
def cluster_project_edit(request, project_id: int | None = None):
    project = None
    if project_id is not None:
        project = selectors.cluster_projects_list(user=request.user).filter(pk=project_id).first()
        if project is None:
            raise Http404(_("No such cluster project."))
    if not permissions.can_edit_cluster_project(request.user, project):
        raise PermissionDenied(_("Only coordinator staff and the project's partners edit it."))
    form = ClusterProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.cluster_project_save(
                user=request.user, data=form.cleaned_data, project=project
            )
        except PermissionDenied as error:
            form.add_error("partners", str(error))
        else:
            messages.success(request, _("The cluster project was saved."))
            return redirect("trackrecord:cluster_project", project_id=saved.pk)
    return render(
        request, "trackrecord/cluster_project_edit.html", {"form": form, "project": project}
    )


# --- Staff: linking review queue and CORDIS imports ---------------------------------------------


@login_required
def review_queue(request):
    require_cluster_staff(request)
    page = Paginator(selectors.link_suggestions_pending(), 25).get_page(request.GET.get("page"))
    context = {"page": page, "decided": selectors.link_suggestions_decided()}
    return render(request, "trackrecord/review.html", context)


@login_required
@require_POST
def review_decide(request, suggestion_id: int):
    require_cluster_staff(request)
    suggestion = get_object_or_404(LinkSuggestion, pk=suggestion_id)
    accept = request.POST.get("decision") == "accept"
    services.link_suggestion_decide(suggestion=suggestion, accept=accept, user=request.user)
    messages.success(request, _("Link accepted.") if accept else _("Link rejected."))
    return redirect("trackrecord:review")


@login_required
def cordis_import(request):
    require_cluster_staff(request)
    form = CordisImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.cordis_import_start(
            user=request.user,
            cordis_file=form.cleaned_data.get("cordis_file"),
            h2020_file=form.cleaned_data.get("h2020_file"),
        )
        return redirect("jobs:detail", job_id=job.pk)
    context = {
        "form": form,
        "imports": selectors.cordis_imports_recent(),
        "totals": selectors.track_record_totals(),
        "pending": selectors.link_suggestions_pending().count(),
    }
    return render(request, "trackrecord/import.html", context)


def profile_track_record(request, organisation) -> dict:
    """The track record section of an organisation's profile page (added in apps.py): the
    page of projects the visitor asked for."""
    return {
        "track_record": selectors.track_record_for(
            organisation=organisation, projects_page=request.GET.get("projects_page")
        )
    }
