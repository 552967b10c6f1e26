"""Pages of the marketplace's matches: a profile's matches (a section of its page, loaded with
htmx, or a page of its own) and "Matches for you" of a member organisation.

While the partner index is being built, the section says so and asks again until it is there;
a signed-in reader's visit starts the build when none is under way, as the find-partners page
does (`engine_build_start` never starts a second one).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.common.roles import is_cluster_staff
from klaster.marketplace import matching, selectors
from klaster.marketplace.models import Profile
from klaster.members.models import Organisation
from klaster.partners import services as partner_services
from klaster.partners.serving import Engine, engine_get


def _engine(request) -> Engine:
    # A visitor's look never queues work; a signed-in reader's starts the build when needed.
    if request.user.is_authenticated:
        return partner_services.engine_build_start(user=request.user)
    return engine_get()


def profile_matches(request, pk: int):
    """The matches of a profile the reader may see (404 otherwise), as the profile page's
    section (htmx) or as a page."""
    profile = selectors.profile_for_viewer(user=request.user, pk=pk)
    found = matching.profile_matches(
        user=request.user, profile=profile, engine=_engine(request), today=timezone.localdate()
    )
    context = {"profile": profile, "matches": found}
    if found.full and profile.kind not in Profile.OFFER_KINDS:
        context["find_partners_texts"] = matching.find_partners_texts(profile)
    if found.full:
        context["consortium_texts"] = matching.consortium_texts(profile)
    if request.htmx:
        return render(request, "marketplace/partials/matches.html", context)
    return render(request, "marketplace/matches.html", context)


@login_required
def for_you(request):
    """'Matches for you': a member editor's organisation (staff: `?organisation=<id>`)."""
    organisation_id = request.GET.get("organisation") or request.user.organisation_id
    if not organisation_id or not str(organisation_id).isdigit():
        raise PermissionDenied(_("Matches are shown to the member editors of an organisation."))
    organisation = get_object_or_404(Organisation, pk=int(organisation_id))
    if not matching.may_see_matches_of(request.user, organisation.pk):
        raise PermissionDenied(
            _("Only the organisation's editors and cluster staff see its matches.")
        )
    found = matching.organisation_matches(
        user=request.user,
        organisation=organisation,
        engine=_engine(request),
        today=timezone.localdate(),
    )
    context = {"for_you": found, "is_staff": is_cluster_staff(request.user)}
    if request.htmx:
        return render(request, "marketplace/partials/for_you.html", context)
    return render(request, "marketplace/for_you.html", context)


def profile_section(request, organisation) -> dict:
    """The "Matches for you" section of an organisation's profile page (added in apps.py):
    only its editors and staff see it; the matches load with htmx."""
    return {"marketplace_for_you": matching.may_see_matches_of(request.user, organisation.pk)}
