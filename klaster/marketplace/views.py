"""Pages of the marketplace: the public list (an htmx fragment when filtering) and detail, the
member editors' own profiles with their form, and the staff's review queue and review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klaster.common.roles import is_member_editor, require_cluster_staff
from klaster.marketplace import selectors, services
from klaster.marketplace.forms import AttachmentForm, ProfileFilterForm, ProfileForm, ReviewForm
from klaster.marketplace.models import Profile

PAGE_SIZE = 20


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def _form_page(request, form: ProfileForm, *, profile: Profile | None):
    context = {
        "form": form,
        "profile": profile,
        # The Polish and English texts side by side.
        "bilingual": [(form[f"{name}_pl"], form[f"{name}_en"]) for name in selectors.TEXT_NAMES],
        "checkbox_fields": [
            form["partnership_types"],
            form["partner_kinds"],
            form["partner_sizes"],
        ],
    }
    return render(request, "marketplace/profile_form.html", context)


def profile_list(request):
    form = ProfileFilterForm(request.GET or None)
    profiles = selectors.profiles_published(filters=form.filters(), user=request.user)
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "marketplace/partials/profile_rows.html"
        if request.htmx
        else "marketplace/profile_list.html"
    )
    return render(request, template, {"form": form, "page": page})


def profile_detail(request, pk: int):
    profile = selectors.profile_for_viewer(user=request.user, pk=pk)
    language = "en" if (get_language() or "").startswith("en") else "pl"
    manages = services.may_manage(request.user, profile)
    context = {
        "profile": profile,
        "manages": manages,
        "is_owner": services.is_owner(request.user, profile),
        "shows_organisation": selectors.shows_organisation(profile, viewer=request.user),
        "texts": selectors.profile_texts(profile, language),
        "labels": selectors.profile_labels(profile),
        "trl_words": selectors.trl_words(profile.trl, language),
        "review": selectors.latest_review(profile) if manages else None,
        "attachment_form": AttachmentForm() if manages else None,
        "editable": profile.status in services.EDITABLE_STATUSES,
        # Matches of a published profile for everyone; of any other for its owner and staff.
        "show_matches": profile.status == Profile.Status.PUBLISHED or manages,
    }
    return render(request, "marketplace/profile_detail.html", context)


@login_required
def my_profiles(request):
    if not is_member_editor(request.user):
        raise PermissionDenied(_("Only member editors have profiles on the marketplace."))
    profiles = [
        (profile, selectors.latest_review(profile))
        for profile in selectors.profiles_of_organisation(user=request.user)
    ]
    return render(request, "marketplace/my_profiles.html", {"profiles": profiles})


@login_required
def profile_create(request):
    if not is_member_editor(request.user):
        raise PermissionDenied(_("Only member editors publish profiles on the marketplace."))
    form = ProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_create(user=request.user, data=form.data_for_service())
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The draft is saved. Submit it for review when ready."))
            return redirect("marketplace:detail", pk=profile.pk)
    return _form_page(request, form, profile=None)


@login_required
def profile_edit(request, pk: int):
    profile = selectors.profile_for_viewer(user=request.user, pk=pk)
    if not services.may_manage(request.user, profile):
        raise PermissionDenied(_("Only the profile's organisation or cluster staff may do this."))
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_update(
                user=request.user, profile=profile, data=form.data_for_service()
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("marketplace:detail", pk=profile.pk)
    return _form_page(request, form, profile=profile)


def _workflow_step(request, pk: int, step, done: str):
    profile = selectors.profile_for_viewer(user=request.user, pk=pk)
    try:
        step(user=request.user, profile=profile)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect("marketplace:detail", pk=profile.pk)


@login_required
@require_POST
def profile_submit(request, pk: int):
    return _workflow_step(
        request, pk, services.profile_submit, _("The profile is submitted for review.")
    )


@login_required
@require_POST
def profile_archive(request, pk: int):
    return _workflow_step(request, pk, services.profile_archive, _("The profile is archived."))


@login_required
@require_POST
def profile_renew(request, pk: int):
    return _workflow_step(
        request, pk, services.profile_renew, _("The profile is renewed for twelve months.")
    )


@login_required
@require_POST
def attachment_add(request, pk: int):
    profile = selectors.profile_for_viewer(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.profile_attachment_add(
                user=request.user,
                profile=profile,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The attachment is added."))
    else:
        for field_errors in form.errors.values():
            for text in field_errors:
                messages.error(request, text)
    return redirect("marketplace:detail", pk=profile.pk)


@login_required
def review_queue(request):
    require_cluster_staff(request, _("Only cluster staff review marketplace profiles."))
    profiles = selectors.profiles_to_review(user=request.user)
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "marketplace/review_queue.html", {"page": page})


@login_required
def profile_review(request, pk: int):
    require_cluster_staff(request, _("Only cluster staff review marketplace profiles."))
    profile = selectors.profile_for_viewer(user=request.user, pk=pk)
    form = ReviewForm(request.POST or None)
    decision = None
    if request.method == "POST" and form.is_valid():
        decision = form.publishes()
        # The first press shows the decision the scores make; saving takes a second one, with
        # the scores whose decision was shown (changed scores show their decision first).
        shown = request.POST.get("shown_decision")
        if request.POST.get("confirm") == "1" and shown == ("publish" if decision else "hold"):
            try:
                services.profile_review(
                    user=request.user,
                    profile=profile,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("The profile is published.") if decision else _("The profile is on hold."),
                )
                return redirect("marketplace:review_queue")
    context = {"profile": profile, "form": form, "decision": decision}
    return render(request, "marketplace/review_form.html", context)
