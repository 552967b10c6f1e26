from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from klaster.members import permissions
from klaster.members import selectors as member_selectors
from klaster.portal import selectors


def home(request):
    return render(request, "portal/home.html", {"overview": selectors.public_overview()})


@login_required
def dashboard(request):
    if not permissions.can_manage_registry(request.user):
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
