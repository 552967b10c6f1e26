"""Writes of the consortium builder: ideas, proposals, pins and exclusions, invitations and
answers, notes, notifications. Each is one transaction; a proposal's builder runs between
two short ones (reading the idea, then writing), with none open while it searches."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klaster.accounts.models import User
from klaster.common.links import site_url
from klaster.common.roles import can_create_idea, is_cluster_staff
from klaster.common.wording import say
from klaster.consortia import permissions, selectors
from klaster.consortia.models import (
    Invitation,
    Note,
    Notification,
    PartnerChoice,
    ProjectIdea,
    Proposal,
    ProposedPartner,
    RequiredRole,
    new_token,
)
from klaster.core.consortium.candidates import UnknownOrganisationError, propose_for_idea
from klaster.core.consortium.rules import check, load_rule_set
from klaster.core.consortium.selection import CLUSTER_MEMBER, ChosenPartner, SelectionError
from klaster.core.messages import message
from klaster.members.models import Organisation

PROPOSAL_TIME_LIMIT = 1.5  # seconds of solver time; the page waits for it
# Times a consortium is proposed again when its idea changed while it was being proposed.
PROPOSAL_ATTEMPTS = 3


def _require_edit(user, idea: ProjectIdea) -> None:
    if not permissions.can_edit_idea(user, idea):
        raise PermissionDenied(_("Only the owning organisation's editors change this consortium."))


# --- Ideas ----------------------------------------------------------------------------------


def _save_roles(idea: ProjectIdea, roles: list[dict]) -> None:
    idea.roles.all().delete()
    RequiredRole.objects.bulk_create(
        RequiredRole(idea=idea, kind=r["kind"], field=(r.get("field") or "").strip())
        for r in roles
        if r.get("kind")
    )


def closed_call_message(call) -> str:
    return _("This call closed on %(date)s: no consortium can be started for it.") % {
        "date": call.deadline.isoformat()
    }


@transaction.atomic
def idea_create(
    *, owner: Organisation, user, data: dict, roles: list[dict], call=None
) -> ProjectIdea:
    """A new idea of `owner`; `data` holds the idea form's cleaned fields."""
    if not can_create_idea(user) or (
        not is_cluster_staff(user) and user.organisation_id != owner.pk
    ):
        raise PermissionDenied(_("Only a member's editors start a consortium for it."))
    if call is not None and call.is_closed_on(timezone.localdate()):
        raise ValidationError(closed_call_message(call))
    idea = ProjectIdea.objects.create(owner=owner, call=call, created_by=user, **data)
    _save_roles(idea, roles)
    return idea


@transaction.atomic
def idea_update(*, idea: ProjectIdea, user, data: dict, roles: list[dict]) -> ProjectIdea:
    _require_edit(user, idea)
    for name, value in data.items():
        setattr(idea, name, value)
    idea.save()
    _save_roles(idea, roles)
    return idea


@transaction.atomic
def partner_choice_set(*, idea: ProjectIdea, user, pic: str, choice: str) -> None:
    """Pin a partner (always in), exclude it (never in), or clear the choice ("")."""
    _require_edit(user, idea)
    if pic == selectors.coordinator_id(idea.owner):
        raise ValidationError(_("The coordinator is always in the consortium."))
    if choice not in ("", *PartnerChoice.Choice.values):
        raise ValidationError(_("Unknown choice."))
    if not choice:
        idea.choices.filter(pic=pic).delete()
        return
    known = ProposedPartner.objects.filter(proposal__idea=idea, pic=pic).order_by("-pk").first()
    if known is None and not idea.choices.filter(pic=pic).exists():
        raise ValidationError(_("Pin or exclude partners of a proposal."))
    defaults = {"choice": choice}
    if known is not None:
        defaults |= {"name": known.name, "country": known.country}
    PartnerChoice.objects.update_or_create(idea=idea, pic=pic, defaults=defaults)
    idea.save(update_fields=["updated_at"])


# --- Proposals ------------------------------------------------------------------------------


def _coordinator_as_member(idea: ProjectIdea, chosen: ChosenPartner) -> ChosenPartner:
    """The owner from the registry when the CORDIS history does not know it (no PIC)."""
    owner = idea.owner
    candidate = replace(
        chosen.candidate,
        name=chosen.candidate.name or owner.name,
        country=chosen.candidate.country or owner.country,
        activity_type=chosen.candidate.activity_type
        or selectors.ACTIVITY_OF_KIND.get(owner.kind, "OTH"),
        sme=chosen.candidate.sme if chosen.candidate.sme is not None else owner.is_sme,
    )
    return replace(chosen, candidate=candidate)


def _in_english(words) -> str:
    with translation.override("en"):
        return str(words())


def _partner_reasons(reasons, pic: str, members: frozenset, abroad: dict) -> list[dict]:
    """The reasons as stored (JSON), "cluster member" told apart for partner clusters abroad."""
    stored = [reason.as_json() for reason in reasons]
    if pic in abroad and pic not in members:
        cluster = abroad[pic].cluster
        abroad_member = message(
            "partner_cluster_member",
            "member of the partner cluster {cluster} ({country}, {partnership})",
            cluster=cluster.name,
            country=cluster.country,
            # Stored in English, like every sentence, and translated when shown.
            partnership=_in_english(cluster.get_partnership_display),
        ).as_json()
        return [abroad_member if r["code"] == CLUSTER_MEMBER else r for r in stored]
    return stored


def consortium_propose(
    *,
    idea: ProjectIdea,
    recommender,
    user,
    seed: int = 0,
    before_write: Callable[[], None] | None = None,
) -> Proposal:
    """Run the builder for `idea` with `recommender` (the partner engine) and store the result.

    Cluster members and organisations of partner clusters abroad get the members' bonus; pinned
    and excluded partners hold; the eligibility check and unmet preferences are kept in words.

    The builder runs with no transaction open; the short write step reads the idea again and,
    when it, its roles, pins or exclusions changed meanwhile, proposes again
    (`PROPOSAL_ATTEMPTS` times at most, then a `ValidationError` and nothing saved).
    `before_write` is called between solving and writing.
    """
    _require_edit(user, idea)
    for _attempt in range(PROPOSAL_ATTEMPTS):
        # Durable: refuses to start inside a caller's transaction, so the builder below never
        # runs with one open (and never holds a lock while it searches).
        with transaction.atomic(durable=True):
            wanted = selectors.proposal_input(idea=ProjectIdea.objects.get(pk=idea.pk))
        rules = load_rule_set(wanted.rule_set)
        started = time.perf_counter()
        try:
            result = propose_for_idea(
                recommender, wanted.idea, rules, wanted.size,
                cluster_members=wanted.bonus, seed=seed, time_limit=PROPOSAL_TIME_LIMIT,
            )  # fmt: skip
        except (UnknownOrganisationError, SelectionError) as exc:
            raise ValidationError(str(exc)) from None
        seconds = time.perf_counter() - started
        if before_write is not None:
            before_write()
        proposal = _proposal_save(
            idea_id=idea.pk, user=user, wanted=wanted, rules=rules, result=result, seconds=seconds
        )
        if proposal is not None:
            return proposal
    raise ValidationError(
        _(
            "The idea, its roles, pins or exclusions kept changing while the consortium was "
            "being proposed, so nothing was saved. Please propose again."
        ),
        code="idea_changed",
    )


@transaction.atomic(durable=True)
def _proposal_save(
    *, idea_id: int, user, wanted: selectors.ProposalInput, rules, result, seconds: float
) -> Proposal | None:
    """Store a proposal built from `wanted`; None (and nothing written) when the idea changed."""
    idea = (
        ProjectIdea.objects.select_for_update(of=("self",))
        .select_related("owner", "call")
        .get(pk=idea_id)
    )
    _require_edit(user, idea)
    if selectors.proposal_input(idea=idea) != wanted:
        return None
    partners = list(result.partners)
    partners[0] = _coordinator_as_member(idea, partners[0])
    # The check again, with the coordinator's country and kind from the registry.
    verdict = check(rules, [p.candidate.entity() for p in partners])
    proposal = Proposal.objects.create(
        idea=idea,
        rule_set=rules.name,
        rule_set_title=rules.title,
        size=wanted.size,
        eligible=verdict.eligible,
        missing=[m.as_json() for m in verdict.missing + result.unmet_preferences],
        notes=[n.as_json() for n in result.notes],
        seconds=round(seconds, 3),
        created_by=user,
    )
    member_by_pic = {
        o.pic: o
        for o in Organisation.objects.filter(
            pic__in=[p.candidate.organisation_id for p in partners]
        )
    }
    abroad = wanted.abroad
    rows = []
    for position, partner in enumerate(partners):
        c = partner.candidate
        organisation = idea.owner if position == 0 else member_by_pic.get(c.organisation_id)
        rows.append(
            ProposedPartner(
                proposal=proposal,
                position=position,
                pic=c.organisation_id,
                name=c.name,
                country=c.country,
                activity_type=c.activity_type,
                sme=c.sme,
                role=partner.role,
                reasons=_partner_reasons(
                    partner.reasons, c.organisation_id, wanted.members, abroad
                ),
                is_coordinator=position == 0,
                organisation=organisation,
                partner_organisation=abroad.get(c.organisation_id),
            )
        )
    ProposedPartner.objects.bulk_create(rows)
    idea.save(update_fields=["updated_at"])
    return proposal


# --- Invitations ----------------------------------------------------------------------------


def _notify(users, text: str, url: str) -> None:
    Notification.objects.bulk_create(Notification(user=u, text=text, url=url) for u in users)


def _site_url() -> str:
    return site_url()


@transaction.atomic
def invitation_send(
    *, idea: ProjectIdea, user, pic: str, email: str = "", message: str = ""
) -> Invitation:
    """Invite a partner of the latest proposal. A member organisation hears it in the app and by
    e-mail to its editors; any other organisation by e-mail, with a link to answer."""
    _require_edit(user, idea)
    proposal = selectors.latest_proposal(idea=idea)
    partner = proposal.partners.filter(pic=pic).first() if proposal else None
    if partner is None:
        raise ValidationError(_("Invite partners of the proposed consortium."))
    if partner.is_coordinator:
        raise ValidationError(_("The coordinator does not invite itself."))
    earlier = idea.invitations.filter(pic=pic).first()
    if earlier is not None and earlier.status != Invitation.Status.WITHDRAWN:
        raise ValidationError(_("This partner is already invited."))
    organisation = partner.organisation
    editors = []
    if organisation is not None:
        editors = list(
            User.objects.filter(
                organisation=organisation, role=User.Role.MEMBER_EDITOR, is_active=True
            )
        )
    if organisation is None or not editors:
        organisation = None
        email = (
            email or (partner.partner_organisation.email if partner.partner_organisation else "")
        ).strip()
        if not email:
            raise ValidationError(
                _(
                    "This organisation has no editor in Klaster: give an e-mail address to invite it."
                )
            )
    fields = {
        "name": partner.name, "country": partner.country, "role": partner.role,
        "organisation": organisation, "email": email if organisation is None else "",
        "message": message.strip(), "invited_by": user,
    }  # fmt: skip
    if earlier is None:
        invitation = Invitation.objects.create(idea=idea, pic=pic, **fields)
    else:
        # Invited again after a withdrawal: the same row starts over, with a new link, so the
        # link of the withdrawn invitation stays dead.
        invitation = earlier
        for name, value in fields.items():
            setattr(invitation, name, value)
        invitation.status = Invitation.Status.INVITED
        invitation.token = new_token()
        invitation.invited_at = timezone.now()
        invitation.answered_at = invitation.answered_by = None
        invitation.withdrawn_at = invitation.withdrawn_by = None
        invitation.save()
    subject = _("Invitation to the consortium: %(title)s") % {"title": idea.title}
    context = {"invitation": invitation, "idea": idea, "site_url": _site_url()}
    if organisation is not None:
        url = reverse("consortia:detail", args=[idea.pk])
        _notify(
            editors,
            _("%(owner)s invites %(organisation)s to the consortium “%(title)s” as %(role)s.")
            % {
                "owner": idea.owner.name,
                "organisation": organisation.name,
                "title": idea.title,
                "role": say(partner.role),
            },  # fmt: skip
            url,
        )
        recipients = [u.email for u in editors if u.email]
        context["answer_url"] = _site_url() + url
    else:
        recipients = [invitation.email]
        context["answer_url"] = _site_url() + reverse(
            "consortia:invitation_token", args=[invitation.token]
        )
    if recipients:
        body = render_to_string("consortia/invitation_email.txt", context)
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        )
    return invitation


@transaction.atomic
def invitation_answer(*, invitation: Invitation, accept: bool, user=None) -> Invitation:
    """Accept or decline. `user` is the invited member's editor; None for an answer given
    through the e-mailed link (the token stood for the organisation)."""
    if user is not None and not permissions.can_answer_invitation(user, invitation):
        raise PermissionDenied(_("Only the invited organisation's editors answer for it."))
    if user is None and invitation.organisation_id is not None:
        raise PermissionDenied(_("A member organisation answers in Klaster."))
    if invitation.status == Invitation.Status.WITHDRAWN:
        raise ValidationError(_("This invitation was withdrawn: there is nothing to answer."))
    invitation.status = Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
    invitation.answered_at = timezone.now()
    invitation.answered_by = user
    invitation.save(update_fields=["status", "answered_at", "answered_by"])
    idea = invitation.idea
    text = (
        _("%(organisation)s accepted the invitation to “%(title)s”.")
        if accept
        else _("%(organisation)s declined the invitation to “%(title)s”.")
    ) % {"organisation": invitation.name, "title": idea.title}
    owners = User.objects.filter(
        organisation_id=idea.owner_id, role=User.Role.MEMBER_EDITOR, is_active=True
    )
    _notify(owners, text, reverse("consortia:detail", args=[idea.pk]))
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, user) -> Invitation:
    """Take an invitation back (invited or accepted): the organisation is told in the app or by
    e-mail, can no longer answer, and leaves the consortium's notes."""
    idea = invitation.idea
    _require_edit(user, idea)
    # Lock the row so that an answer arriving at the same moment cannot be lost in between.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("Only a standing invitation can be withdrawn."))
    invitation.status = Invitation.Status.WITHDRAWN
    invitation.withdrawn_at = timezone.now()
    invitation.withdrawn_by = user
    invitation.save(update_fields=["status", "withdrawn_at", "withdrawn_by"])
    text = _("%(owner)s withdrew the invitation of %(organisation)s to “%(title)s”.") % {
        "owner": idea.owner.name,
        "organisation": invitation.name,
        "title": idea.title,
    }
    if invitation.organisation_id is not None:
        editors = list(
            User.objects.filter(
                organisation_id=invitation.organisation_id,
                role=User.Role.MEMBER_EDITOR,
                is_active=True,
            )
        )
        _notify(editors, text, reverse("consortia:detail", args=[idea.pk]))
        recipients = [u.email for u in editors if u.email]
    else:
        recipients = [invitation.email] if invitation.email else []
    if recipients:
        subject = _("Invitation withdrawn: %(title)s") % {"title": idea.title}
        transaction.on_commit(
            lambda: send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
        )
    return invitation


# --- Notes and notifications ----------------------------------------------------------------


@transaction.atomic
def note_add(*, idea: ProjectIdea, user, text: str) -> Note:
    if not permissions.can_read_notes(user, idea):
        raise PermissionDenied(_("Only the consortium's members write its notes."))
    text = text.strip()
    if not text:
        raise ValidationError(_("A note cannot be empty."))
    return Note.objects.create(idea=idea, author=user, text=text)


@transaction.atomic
def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
