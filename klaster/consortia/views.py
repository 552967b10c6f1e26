"""Pages of the consortium builder: ideas (from a call or blank), the proposal with pins and
exclusions, the workspace (invitations, status board, notes), answers, exports, notifications.
Forms posted with htmx get back the section they changed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klaster.calls.models import Call
from klaster.calls.selectors import call_get
from klaster.common.roles import can_create_idea, is_cluster_staff, is_member_editor
from klaster.consortia import exports, permissions, selectors, services
from klaster.consortia.forms import (
    AnswerForm,
    ChoiceForm,
    IdeaForm,
    InviteForm,
    NoteForm,
    role_formset,
    roles_of,
)
from klaster.consortia.models import Invitation, ProjectIdea
from klaster.core.limits import row_id
from klaster.members.models import Organisation
from klaster.partners.services import engine_build_start


def _idea(request, idea_id: int) -> ProjectIdea:
    try:
        return selectors.idea_get(idea_id=idea_id, user=request.user)
    except ProjectIdea.DoesNotExist:
        raise Http404(_("No such consortium.")) from None


def _editable_idea(request, idea_id: int) -> ProjectIdea:
    idea = _idea(request, idea_id)
    if not permissions.can_edit_idea(request.user, idea):
        raise PermissionDenied(_("Only the owning organisation's editors change this consortium."))
    return idea


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _workspace(request, idea: ProjectIdea, status: int = 200, **extra):
    """The whole page, or the workspace section when htmx asked."""
    ws = selectors.idea_workspace(idea=idea, user=request.user)
    # An error about one partner shows beside it; about none on screen, below the list.
    if extra.get("error_pic") not in {p.pic for p in ws.partners}:
        extra.pop("error_pic", None)
    context = {
        "ws": ws,
        "invite_form": InviteForm(),
        "note_form": NoteForm(),
        **extra,
    }
    template = "consortia/partials/workspace.html" if request.htmx else "consortia/idea_detail.html"
    return render(request, template, context, status=status)


@login_required
def idea_list(request):
    context = {
        "ideas": selectors.ideas_of_user(user=request.user),
        "can_create": can_create_idea(request.user),
    }
    return render(request, "consortia/idea_list.html", context)


def _owner_for(request) -> Organisation:
    user = request.user
    if is_member_editor(user):
        return user.organisation
    if is_cluster_staff(user):
        # row_id, not str.isdigit(): "²" is a digit to Python but no number to int().
        owner_id = row_id(request.POST.get("owner") or request.GET.get("owner"))
        if owner_id:
            found = Organisation.objects.filter(pk=owner_id).first()
            if found:
                return found
    raise PermissionDenied(_("Start a consortium as an editor of a member organisation."))


@login_required
def idea_create(request, call_id: int | None = None):
    if not can_create_idea(request.user):
        raise PermissionDenied(_("Start a consortium as an editor of a member organisation."))
    call = None
    if call_id is not None:
        try:
            call = call_get(call_id=call_id)
        except Call.DoesNotExist:
            raise Http404(_("No such funding call.")) from None
        # A closed call takes no applications: back to its page, which says so.
        if call.is_closed_on(timezone.localdate()):
            messages.error(request, services.closed_call_message(call))
            return redirect("calls:detail", call.pk)
    defaults = selectors.idea_defaults_for_call(
        call=call, funding_scheme=request.POST.get("funding_scheme", "")
    )
    # A post with `prefill` hands over an idea's texts (from find partners) to start from.
    if request.method == "POST" and "prefill" not in request.POST:
        owner = _owner_for(request)
        form = IdeaForm(request.POST)
        roles = role_formset(request.POST)
        if form.is_valid() and roles.is_valid():
            idea = services.idea_create(
                owner=owner, user=request.user, data=form.idea_data(),
                roles=roles_of(roles), call=call,
            )  # fmt: skip
            return redirect("consortia:detail", idea.pk)
    else:
        form = IdeaForm(initial={**defaults, **IdeaForm.texts_from(request.POST)})
        roles = role_formset()
    owner_choices = (
        Organisation.objects.filter(membership__isnull=False).order_by("name")
        if is_cluster_staff(request.user) and not is_member_editor(request.user)
        else None
    )
    context = {"form": form, "roles": roles, "call": call, "owner_choices": owner_choices}
    return render(request, "consortia/idea_form.html", context)


@login_required
def idea_edit(request, idea_id: int):
    idea = _editable_idea(request, idea_id)
    if request.method == "POST":
        form = IdeaForm(request.POST, instance=idea)
        roles = role_formset(request.POST)
        if form.is_valid() and roles.is_valid():
            services.idea_update(
                idea=idea, user=request.user, data=form.idea_data(), roles=roles_of(roles)
            )
            messages.success(request, _("Idea saved. Propose again to see its effect."))
            return redirect("consortia:detail", idea.pk)
    else:
        form = IdeaForm(instance=idea)
        roles = role_formset(roles=idea.roles.all())
    context = {"form": form, "roles": roles, "call": idea.call, "idea": idea}
    return render(request, "consortia/idea_form.html", context)


@login_required
def idea_detail(request, idea_id: int):
    return _workspace(request, _idea(request, idea_id))


@login_required
@require_POST
def idea_propose(request, idea_id: int):
    idea = _editable_idea(request, idea_id)
    recommender = selectors.partner_engine()
    if recommender is None:
        engine_build_start(user=request.user)  # the first proposal after an import starts it
        return _workspace(request, idea, engine=selectors.partner_engine_status())
    try:
        services.consortium_propose(idea=idea, recommender=recommender, user=request.user)
    except ValidationError as error:
        return _workspace(request, idea, status=400, propose_error=_error_text(error))
    return _workspace(request, idea)


@login_required
def engine_status(request, idea_id: int):
    """Polled while the partner engine's index is built; offers to propose once it is ready."""
    idea = _editable_idea(request, idea_id)
    context = {"idea": idea, "engine": selectors.partner_engine_status()}
    return render(request, "consortia/partials/engine_status.html", context)


@login_required
@require_POST
def partner_choice(request, idea_id: int):
    idea = _editable_idea(request, idea_id)
    form = ChoiceForm(request.POST)
    if not form.is_valid():
        return _workspace(request, idea, status=400, propose_error=_("Unknown choice."))
    try:
        services.partner_choice_set(
            idea=idea, user=request.user, pic=form.cleaned_data["pic"],
            choice=form.cleaned_data["choice"],
        )  # fmt: skip
    except ValidationError as error:
        return _workspace(request, idea, status=400, propose_error=_error_text(error))
    return _workspace(request, idea)


@login_required
@require_POST
def invite(request, idea_id: int):
    idea = _editable_idea(request, idea_id)
    form = InviteForm(request.POST)
    # On an error the partner's form comes back open, with what was typed in it.
    failed = {"status": 400, "error_pic": request.POST.get("pic", ""), "invite_data": request.POST}
    if not form.is_valid():
        return _workspace(request, idea, invite_error=_("Check the e-mail address."), **failed)
    try:
        services.invitation_send(
            idea=idea, user=request.user, pic=form.cleaned_data["pic"],
            email=form.cleaned_data["email"], message=form.cleaned_data["message"],
        )  # fmt: skip
    except ValidationError as error:
        return _workspace(request, idea, invite_error=_error_text(error), **failed)
    return _workspace(request, idea)


def _visible_invitation(request, invitation_id: int) -> Invitation:
    """The invitation, if its consortium is one the user may see (404 otherwise)."""
    try:
        invitation = selectors.invitation_get(invitation_id=invitation_id)
    except Invitation.DoesNotExist:
        raise Http404(_("No such invitation.")) from None
    if not permissions.can_view_idea(request.user, invitation.idea):
        raise Http404(_("No such invitation."))
    return invitation


@login_required
@require_POST
def invitation_answer(request, invitation_id: int):
    invitation = _visible_invitation(request, invitation_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _workspace(request, invitation.idea, status=400)
    try:
        services.invitation_answer(invitation=invitation, accept=form.accept, user=request.user)
    except ValidationError as error:
        return _workspace(request, invitation.idea, status=409, answer_error=_error_text(error))
    return _workspace(request, invitation.idea)


@login_required
@require_POST
def invitation_withdraw(request, invitation_id: int):
    invitation = _visible_invitation(request, invitation_id)
    idea = _editable_idea(request, invitation.idea_id)
    try:
        services.invitation_withdraw(invitation=invitation, user=request.user)
    except ValidationError as error:
        return _workspace(request, idea, status=400, invite_error=_error_text(error))
    return _workspace(request, idea)


def invitation_by_token(request, token: str):
    """The e-mailed link: the consortium's summary and the answer, no sign-in needed."""
    try:
        invitation = selectors.invitation_by_token(token=token)
    except Invitation.DoesNotExist:
        raise Http404(_("No such invitation.")) from None
    if invitation.status == Invitation.Status.WITHDRAWN:
        # The link may sit in an inbox the consortium no longer trusts: show none of it.
        if request.method == "POST":
            context = {
                "answer_error": _("This invitation was withdrawn: there is nothing to answer.")
            }
            return render(request, "consortia/invitation_withdrawn.html", context, status=409)
        return render(request, "consortia/invitation_withdrawn.html")
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.invitation_answer(invitation=invitation, accept=form.accept)
            except ValidationError as error:
                context = {"invitation": invitation, "idea": invitation.idea}
                context["answer_error"] = _error_text(error)
                return render(request, "consortia/invitation_token.html", context, status=409)
            return redirect("consortia:invitation_token", token)
    context = {
        "invitation": invitation,
        "idea": invitation.idea,
        "proposal": selectors.latest_proposal(idea=invitation.idea),
    }
    return render(request, "consortia/invitation_token.html", context)


@login_required
@require_POST
def note_add(request, idea_id: int):
    idea = _idea(request, idea_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _workspace(request, idea, status=400, note_error=_("Write a note first."))
    try:
        services.note_add(idea=idea, user=request.user, text=form.cleaned_data["text"])
    except ValidationError as error:
        return _workspace(request, idea, status=400, note_error=_error_text(error))
    return _workspace(request, idea)


def _export(request, idea_id: int):
    idea = _idea(request, idea_id)
    if not permissions.is_in_consortium(request.user, idea):
        raise PermissionDenied(_("Only the consortium's members export it."))
    return idea, selectors.consortium_export(
        idea=idea, yes=_("yes"), no=_("no"), coordinator=_("coordinator")
    )


@login_required
def export_xlsx(request, idea_id: int):
    idea, export = _export(request, idea_id)
    response = HttpResponse(
        exports.consortium_xlsx(export),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = slugify(idea.title)[:60] or "consortium"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def export_pdf(request, idea_id: int):
    idea, export = _export(request, idea_id)
    response = HttpResponse(exports.consortium_pdf(export), content_type="application/pdf")
    name = slugify(idea.title)[:60] or "consortium"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@login_required
def notifications(request):
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("consortia:notifications")
    context = {"notifications": selectors.notifications_of(user=request.user)[:100]}
    return render(request, "consortia/notifications.html", context)
