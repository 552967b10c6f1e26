import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from klaster.accounts.forms import AccountDeleteForm
from klaster.common.roles import is_cluster_staff, require_cluster_staff
from klaster.members import selectors as member_selectors
from klaster.members.forms import PersonEraseForm
from klaster.members.models import Person
from klaster.portal import gdpr, selectors


def home(request):
    return render(request, "portal/home.html", {"overview": selectors.public_overview()})


@login_required
def dashboard(request):
    if not is_cluster_staff(request.user):
        raise PermissionDenied(_("The dashboard is for coordinator staff."))
    counts = member_selectors.dashboard_counts()
    context = {
        "counts": counts,
        "max_kind": max((n for _label, n, _v in counts["by_kind"]), default=1) or 1,
        "max_sector": max((s.n for s in counts["by_sector"]), default=1) or 1,
        "fees": member_selectors.fee_situation(),
        "overdue": member_selectors.overdue_fees(limit=10),
        "candidates": member_selectors.membership_candidates().count(),
    }
    return render(request, "portal/dashboard.html", context)


# --- GDPR: a person's data and one's own account, which reach into every app ---------------------


def _json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def person_data_download(request, organisation_id: int, person_id: int):
    require_cluster_staff(request)
    person = get_object_or_404(Person, pk=person_id, organisation_id=organisation_id)
    return _json_download(gdpr.person_data_export(person=person), f"person-{person.pk}.json")


@login_required
def person_erase(request, organisation_id: int, person_id: int):
    require_cluster_staff(request)
    person = get_object_or_404(Person, pk=person_id, organisation_id=organisation_id)
    form = PersonEraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        gdpr.person_erase(person=person, editor=request.user)
        messages.success(request, _("The person's data was erased everywhere."))
        return redirect("members:people", organisation_id=organisation_id)
    context = {"organisation": person.organisation, "person": person, "form": form}
    return render(request, "portal/person_erase.html", context)


@login_required
def account_data(request):
    data = gdpr.user_data_export(user=request.user)
    return _json_download(data, "my-klaster-data.json")


@login_required
def account_delete(request):
    if request.user.is_superuser:
        # The last superuser deleting themselves would lock everyone out of the admin.
        messages.error(request, _("A superuser account is removed by another administrator."))
        return redirect("accounts:account")
    form = AccountDeleteForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        gdpr.account_delete_self(user=request.user)
        logout(request)
        messages.success(request, _("Your account and your data were deleted."))
        return redirect("portal:home")
    return render(request, "portal/account_delete.html", {"form": form})
