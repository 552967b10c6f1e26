"""The find-partners page: describe an idea, get ranked partners with the reasons behind each."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klaster.common.redirects import next_or
from klaster.common.roles import can_create_idea, is_cluster_staff
from klaster.partners import selectors, services
from klaster.partners.forms import IDEA_FIELDS, PartnerSearchForm


@login_required
def find_partners(request):
    """The form, and the results once an idea is given (only the results for htmx polling).

    While the partner index is built the results area shows the build's progress and asks again
    until the results are there.
    """
    # The form posts (long texts); a short link such as ?call=… from a call's page arrives as GET.
    sent = request.POST if request.method == "POST" else request.GET
    submitted = any(name in sent for name in IDEA_FIELDS)
    data = sent.copy()
    if "coordinator" not in data:
        data["coordinator"] = selectors.coordinator_pic_for(organisation=request.user.organisation)
    form = PartnerSearchForm(
        data if submitted else None, initial={"coordinator": data["coordinator"]}
    )
    search = None
    if submitted and form.is_valid():
        # The engine as it is; the first search after an import starts its build.
        engine = services.engine_build_start(user=request.user)
        search = selectors.partners_find(
            user=request.user, idea=form.idea(), engine=engine, filters=form.filters()
        )
    context = {"form": form, "search": search, "submitted": submitted}
    if search and can_create_idea(request.user):
        context["consortium_url"], context["consortium_texts"] = form.consortium_start()
    if request.htmx:
        return render(request, "partners/partials/results.html", context)
    return render(request, "partners/find.html", context)


@login_required
def coordinator_suggestions(request):
    """Suggestions for the coordinator field as the person types (an htmx datalist)."""
    suggestions = selectors.coordinator_suggestions(text=request.GET.get("coordinator", ""))
    return render(
        request, "partners/partials/coordinator_suggestions.html", {"suggestions": suggestions}
    )


@login_required
@require_POST
def rebuild(request):
    """Start building the partner index again (after a failed build); never a second at once.
    Staff only: a build takes the worker for minutes, and a member cannot know whether the
    failure was the data's (which another build would not mend)."""
    if not is_cluster_staff(request.user):
        raise PermissionDenied(_("Only coordinator staff may rebuild the partner index."))
    services.engine_build_start(user=request.user, retry_failed=True)
    return redirect(next_or(request, "partners:find"))
