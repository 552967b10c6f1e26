"""Pages of expressions of interest: "I'm interested" on a published profile, the thread (for
the two sides and staff), the visitor's private thread page, and the lists of interests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klaster.accounts.forms import client_address
from klaster.common.roles import is_cluster_staff, is_member_editor
from klaster.marketplace import selectors, selectors_interest, services, services_interest
from klaster.marketplace.forms_interest import (
    InterestFilterForm,
    InterestMessageForm,
    InterestStatusForm,
    MemberInterestForm,
    VisitorInterestForm,
)
from klaster.marketplace.models import Interest
from klaster.marketplace.selectors_interest import OPEN_STATUSES, Side

INTERESTS_PAGE_SIZE = 25


def _refusal(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this.")


# --- Expressing interest ------------------------------------------------------------------------


def interest_express(request, pk: int):
    profile = selectors.profile_for_viewer(user=request.user, pk=pk)
    signed_in = request.user.is_authenticated
    form_class = MemberInterestForm if signed_in else VisitorInterestForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interest = services_interest.interest_express(
                profile=profile,
                user=request.user if signed_in else None,
                visitor=None if signed_in else form.visitor(client_address=client_address(request)),
                message=form.cleaned_data["message"],
            )
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, _refusal(error))
        else:
            if signed_in:
                messages.success(request, _("Your interest was sent to the profile's owner."))
                return redirect("marketplace:interest_thread", pk=interest.pk)
            return render(request, "marketplace/interest_sent.html", {"profile": profile})
    context = {
        "profile": profile,
        "form": form,
        # Issued with every page shown, so the 3-second check counts from what the visitor saw.
        "form_token": "" if signed_in else services_interest.interest_form_token(profile=profile),
        "own_profile": services.is_owner(request.user, profile),
        "shows_organisation": selectors.shows_organisation(profile, viewer=request.user),
    }
    return render(request, "marketplace/interest_express.html", context)


# --- Threads ------------------------------------------------------------------------------------


def _thread_context(request, interest: Interest, side: Side | None, *, token: str = "") -> dict:
    reveal_owner = side == Side.OWNER or (
        side != Side.VISITOR_LINK
        and selectors.shows_organisation(interest.profile, viewer=request.user)
    )
    if side == Side.VISITOR_LINK:
        reveal_owner = interest.profile.show_organisation
    is_open = interest.status in OPEN_STATUSES
    return {
        "interest": interest,
        "profile": interest.profile,
        "entries": selectors_interest.thread_entries(interest=interest, reveal_owner=reveal_owner),
        "reveal_owner": reveal_owner,
        "interested": selectors_interest.interested_party(interest),
        "side": side,
        "token": token,
        "can_write": side is not None and interest.status != Interest.Status.CLOSED,
        "message_form": InterestMessageForm(),
        "status_form": InterestStatusForm() if side == Side.OWNER and is_open else None,
        "can_withdraw": side in (Side.INTERESTED, Side.VISITOR_LINK) and is_open,
        "can_record": side in (Side.OWNER, Side.INTERESTED)
        and interest.status == Interest.Status.AGREEMENT_SIGNED
        and interest.organisation_id is not None
        and interest.cooperation_id is None,
    }


def _interest_or_404(request, pk: int) -> Interest:
    """The interest if this person may read its thread; to anyone else it does not exist."""
    try:
        return selectors_interest.interest_for_viewer(user=request.user, pk=pk)
    except Interest.DoesNotExist:
        raise Http404(_("No such expression of interest.")) from None


@login_required
def interest_thread(request, pk: int):
    interest = _interest_or_404(request, pk)
    side = selectors_interest.interest_side(user=request.user, interest=interest)
    context = _thread_context(request, interest, side)
    if request.method == "POST":
        form = InterestMessageForm(request.POST)
        if form.is_valid():
            try:
                services_interest.interest_message_add(
                    interest=interest, body=form.cleaned_data["body"], user=request.user
                )
            except (PermissionDenied, ValidationError) as error:
                form.add_error(None, _refusal(error))
            else:
                messages.success(request, _("Your message was sent."))
                return redirect("marketplace:interest_thread", pk=interest.pk)
        context["message_form"] = form
    return render(request, "marketplace/interest_thread.html", context)


@login_required
@require_POST
def interest_status(request, pk: int):
    interest = _interest_or_404(request, pk)
    _status_set(request, interest, user=request.user)
    return redirect("marketplace:interest_thread", pk=interest.pk)


def _status_set(request, interest: Interest, *, user=None, token: str | None = None) -> None:
    form = InterestStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return
    try:
        services_interest.interest_status_set(
            user=user,
            interest=interest,
            status=form.cleaned_data["status"],
            closed_reason=form.cleaned_data["closed_reason"],
            token=token,
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("The status was changed."))


@login_required
@require_POST
def interest_agreement(request, pk: int):
    interest = _interest_or_404(request, pk)
    try:
        services_interest.interest_agreement_record(user=request.user, interest=interest)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(
            request,
            _(
                "The agreement was recorded in the cooperation log; it becomes public once the "
                "other organisation confirms it."
            ),
        )
    return redirect("marketplace:interest_thread", pk=interest.pk)


def interest_visitor(request, token: str):
    """A visitor's thread, opened by its private link; any other link is a 404."""
    try:
        interest = selectors_interest.interest_by_token(token=token)
    except Interest.DoesNotExist:
        raise Http404(_("No such expression of interest.")) from None
    context = _thread_context(request, interest, Side.VISITOR_LINK, token=token)
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            _status_set(request, interest, token=token)
            return redirect("marketplace:interest_visitor", token=token)
        form = InterestMessageForm(request.POST)
        if form.is_valid():
            try:
                services_interest.interest_message_add(
                    interest=interest, body=form.cleaned_data["body"], token=token
                )
            except (PermissionDenied, ValidationError) as error:
                form.add_error(None, _refusal(error))
            else:
                messages.success(request, _("Your message was sent."))
                return redirect("marketplace:interest_visitor", token=token)
        context["message_form"] = form
    response = render(request, "marketplace/interest_thread.html", context)
    # The private link must not leak to other sites through the Referer header.
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- Lists --------------------------------------------------------------------------------------


@login_required
def interest_list(request):
    """Staff: every interest, with filters. Others: what they received and what they sent."""
    if is_cluster_staff(request.user):
        filter_form = InterestFilterForm(request.GET or None)
        interests = selectors_interest.interests_for_staff(filters=filter_form.filters())
        box = "all"
    else:
        filter_form = None
        receives = is_member_editor(request.user)
        box = "received" if receives and request.GET.get("box") != "sent" else "sent"
        if box == "sent":
            interests = selectors_interest.interests_sent(user=request.user)
        else:
            interests = selectors_interest.interests_received(user=request.user)
    page = Paginator(interests, INTERESTS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_form": filter_form,
        "box": box,
        "receives": is_member_editor(request.user),
    }
    return render(request, "marketplace/interest_list.html", context)
