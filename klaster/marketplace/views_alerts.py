"""Pages of saved searches and the weekly digest: save the list's filters, list, switch off and
delete them, opt in or out of the digest, and the digest's signed one-click unsubscribe link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from klaster.common.roles import is_member_editor
from klaster.marketplace import selectors_alerts, services_alerts
from klaster.marketplace.forms import ProfileFilterForm
from klaster.marketplace.forms_alerts import DigestForm, SavedSearchNameForm
from klaster.marketplace.models import SavedSearch


@login_required
def alerts(request):
    searches = [
        (search, reverse("marketplace:list") + "?" + urlencode(search.query))
        for search in selectors_alerts.saved_searches_of(user=request.user)
    ]
    digest = None
    if is_member_editor(request.user):
        digest = DigestForm(initial={"weekly": selectors_alerts.digest_wanted(user=request.user)})
    return render(request, "marketplace/alerts.html", {"searches": searches, "digest": digest})


@login_required
@require_POST
def search_save(request):
    """Save the filters posted from the list (as its filter form reads them) under a name."""
    filters = ProfileFilterForm(request.POST)
    name = SavedSearchNameForm(request.POST)
    if not (filters.is_valid() and name.is_valid()):
        messages.error(request, _("These filters cannot be saved: correct them first."))
        return redirect("marketplace:list")
    try:
        services_alerts.saved_search_create(
            user=request.user,
            name=name.cleaned_data["search_name"],
            filters=filters.filters(),
            now=timezone.now(),
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("marketplace:alerts")
    messages.success(
        request, _("The search is saved: new profiles that match it will be e-mailed to you.")
    )
    return redirect("marketplace:alerts")


def _own_search(request, search_id: int) -> SavedSearch:
    # Another person's search is not found, rather than forbidden: its name says nothing then.
    return get_object_or_404(selectors_alerts.saved_searches_of(user=request.user), pk=search_id)


@login_required
@require_POST
def search_alert(request, search_id: int):
    search = _own_search(request, search_id)
    alert = request.POST.get("alert") == "1"
    services_alerts.saved_search_alert_set(user=request.user, search=search, alert=alert)
    messages.success(request, _("E-mail alerts are on.") if alert else _("E-mail alerts are off."))
    return redirect("marketplace:alerts")


@login_required
@require_POST
def search_delete(request, search_id: int):
    search = _own_search(request, search_id)
    services_alerts.saved_search_delete(user=request.user, search=search)
    messages.success(request, _("The saved search is deleted."))
    return redirect("marketplace:alerts")


@login_required
@require_POST
def digest_settings(request):
    form = DigestForm(request.POST)
    form.is_valid()
    weekly = bool(form.cleaned_data.get("weekly"))
    services_alerts.digest_subscription_set(user=request.user, weekly=weekly)
    messages.success(
        request,
        _("You will get the weekly digest.")
        if weekly
        else _("You will not get the weekly digest."),
    )
    return redirect("marketplace:alerts")


@csrf_exempt  # the signed token is the credential; mail clients post without a form
def digest_unsubscribe(request, token: str):
    """The digest's link: a page with one button (mail scanners open links; only a press, or a
    mail client's one-click POST, unsubscribes)."""
    if request.method == "POST":
        try:
            services_alerts.digest_unsubscribe(token=token)
        except ValidationError:
            raise Http404 from None
        return render(request, "marketplace/unsubscribe.html", {"done": True})
    if not selectors_alerts.unsubscribe_user(token):
        raise Http404
    return render(request, "marketplace/unsubscribe.html", {"done": False})
