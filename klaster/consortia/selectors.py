"""Reads for the consortium builder: ideas and their workspace, candidates' bonus, the engine."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db import DatabaseError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from klaster.accounts.models import User
from klaster.common.roles import is_cluster_staff, is_member_editor
from klaster.common.wording import activity_words, say, shown_pic
from klaster.consortia import permissions
from klaster.consortia.models import (
    Invitation,
    Notification,
    PartnerChoice,
    PartnerOrganisation,
    ProjectIdea,
    Proposal,
)
from klaster.core.consortium.ideas import ConsortiumIdea
from klaster.core.consortium.rules import RuleSetError, load_rule_set, rule_set_names
from klaster.core.consortium.schemes import DEFAULT_SIZES, rule_set_for
from klaster.members.models import Membership, Organisation
from klaster.partners.ideas import idea_parse
from klaster.partners.selectors import coordinator_pic_for
from klaster.partners.serving import EngineState, engine_get

# The kinds of the member registry in the CORDIS activity types the rules look at.
ACTIVITY_OF_KIND = {
    Organisation.Kind.ENTERPRISE: "PRC",
    Organisation.Kind.RESEARCH_INSTITUTE: "REC",
    Organisation.Kind.UNIVERSITY: "HES",
    Organisation.Kind.PUBLIC_ADMINISTRATION: "PUB",
    Organisation.Kind.INVESTMENT_FUND: "OTH",
    Organisation.Kind.BUSINESS_SUPPORT: "OTH",
    Organisation.Kind.NGO: "OTH",
}
FALLBACK_RULE_SET = "horizon-ria"


def cluster_member_pics() -> frozenset[str]:
    """PICs of the cluster's member organisations (their own, or of the CORDIS records linked to
    them), for "prefer cluster members".

    An empty set when the registry is not there (the evaluation command runs without a database).
    """
    from klaster.trackrecord.models import CordisOrganisation

    active = Organisation.objects.filter(membership__status=Membership.Status.ACTIVE)
    try:
        own = active.exclude(pic__isnull=True).exclude(pic="").values_list("pic", flat=True)
        linked = CordisOrganisation.objects.filter(organisation__in=active).values_list(
            "pic", flat=True
        )
        return frozenset(own) | frozenset(linked)
    except DatabaseError:
        return frozenset()


def member_organisations_by_pic(*, pics) -> dict[str, Organisation]:
    """Registry organisations under these PICs, by their own PIC or a linked CORDIS record."""
    from klaster.trackrecord.models import CordisOrganisation

    pics = list(pics)
    found = {
        c.pic: c.organisation
        for c in CordisOrganisation.objects.filter(
            pic__in=pics, organisation__isnull=False
        ).select_related("organisation")
    }
    found.update({o.pic: o for o in Organisation.objects.filter(pic__in=pics)})
    return found


def partner_organisations_by_pic() -> dict[str, PartnerOrganisation]:
    """Organisations of partner clusters abroad that have a PIC: candidates with a bonus."""
    return {o.pic: o for o in PartnerOrganisation.objects.exclude(pic="").select_related("cluster")}


def rule_set_choices() -> list[tuple[str, str]]:
    """The shipped rule sets, titled in the reader's language."""
    choices = []
    for name in rule_set_names():
        try:
            choices.append((name, f"{gettext(load_rule_set(name).title)} ({name})"))
        except RuleSetError:
            continue
    return choices


def idea_defaults_for_call(*, call, funding_scheme: str = "") -> dict:
    """Title, summary, keywords and the rule set of a funding call, to start an idea from it.

    Without a call, a CORDIS funding scheme (HORIZON-CSA, ERC-STG, ...) picks the rule set.
    """
    if call is None:
        rules = rule_set_for(identifier=funding_scheme) if funding_scheme else None
        rules = rules or FALLBACK_RULE_SET
        return {"rule_set": rules, "size": DEFAULT_SIZES.get(rules, 5)}
    if call.source in (call.Source.NATIONAL, call.Source.REGIONAL):
        rules = "pl-rd-consortium"
    else:
        rules = (
            rule_set_for(
                programme=call.programme,
                action_type=call.action_type,
                types_of_action=call.types_of_action,
                identifier=call.identifier,
            )
            or FALLBACK_RULE_SET
        )
    return {
        "title": call.title[:300],
        "summary": call.description[:3000],
        "keywords": ", ".join(call.keyword_list)[:500],
        "rule_set": rules,
        "size": DEFAULT_SIZES.get(rules, 5),
    }


# --- The partner engine ---------------------------------------------------------------------


def partner_engine():
    """The partner engine over the database when it is ready, else None: a pure read (the
    builder's page starts a build with `klaster.partners.services.engine_build_start`). Tests
    swap this function for a recommender built from the extract files."""
    return engine_get().recommender


@dataclass(frozen=True)
class EngineStatus:
    ready: bool
    job: object | None = None  # the index build job, with its live progress
    available: bool = True  # False: no CORDIS track record in the database to build from


def partner_engine_status() -> EngineStatus:
    engine = engine_get()
    return EngineStatus(
        ready=engine.ready, job=engine.job, available=engine.state != EngineState.NO_DATA
    )


# --- Ideas ----------------------------------------------------------------------------------


def idea_get(*, idea_id: int, user) -> ProjectIdea:
    """The idea if `user` may see it; `ProjectIdea.DoesNotExist` otherwise (pages answer 404)."""
    idea = ProjectIdea.objects.select_related("owner", "call").get(pk=idea_id)
    if not permissions.can_view_idea(user, idea):
        raise ProjectIdea.DoesNotExist
    return idea


def ideas_of_user(*, user) -> QuerySet:
    """Ideas the user works on: their organisation's own, and those it was invited to."""
    ideas = ProjectIdea.objects.select_related("owner", "call")
    if is_cluster_staff(user):
        return ideas
    if not is_member_editor(user):
        return ideas.none()
    return ideas.filter(
        Q(owner_id=user.organisation_id) | Q(invitations__organisation_id=user.organisation_id)
    ).distinct()


def consortium_idea(*, idea: ProjectIdea) -> ConsortiumIdea:
    """The idea in the words of the core builder, parsed as the find-partners page parses one."""
    choices = list(idea.choices.all())
    query = idea_parse(
        {
            "title": idea.title,
            "objective": idea.summary,
            "keywords": idea.keyword_list(),
            "coordinator": coordinator_pic_for(organisation=idea.owner),
        },
        call=idea.call,
    )
    return ConsortiumIdea(
        # An owner outside CORDIS still heads the consortium, under a stand-in id.
        query=replace(query, coordinator=query.coordinator or coordinator_id(idea.owner)),
        pinned=tuple(c.pic for c in choices if c.choice == PartnerChoice.Choice.PINNED),
        excluded=tuple(c.pic for c in choices if c.choice == PartnerChoice.Choice.EXCLUDED),
        required_roles=tuple(dict.fromkeys(r.label for r in idea.roles.all())),
        max_per_country=idea.max_per_country,
        include_sme=idea.include_sme,
    )


@dataclass(frozen=True)
class ProposalInput:
    """What proposing a consortium for an idea depends on, read at one moment.

    Two readings compare equal exactly when a proposal solved from the first still answers the
    second, so the write step reads again and compares instead of holding a lock while the
    builder searches.
    """

    idea: ConsortiumIdea
    rule_set: str
    size: int
    prefer_members: bool
    members: frozenset[str]  # PICs of the cluster's members
    abroad_pics: frozenset[str]  # PICs of partner clusters' organisations
    # The partner clusters' organisations themselves, to store with the proposal.
    abroad: dict[str, PartnerOrganisation] = field(compare=False)

    @property
    def bonus(self) -> frozenset[str]:
        """The candidates that get the members' bonus."""
        return (self.members | self.abroad_pics) if self.prefer_members else frozenset()


def proposal_input(*, idea: ProjectIdea) -> ProposalInput:
    """The idea as the builder sees it, with the cluster's members and partner clusters."""
    abroad = partner_organisations_by_pic()
    return ProposalInput(
        idea=consortium_idea(idea=idea),
        rule_set=idea.rule_set,
        size=idea.size,
        prefer_members=idea.prefer_members,
        members=cluster_member_pics(),
        abroad_pics=frozenset(abroad),
        abroad=abroad,
    )


def coordinator_id(organisation: Organisation) -> str:
    """The owner's PIC in CORDIS, or a stand-in id when it has none (then no track record)."""
    return coordinator_pic_for(organisation=organisation) or f"member-{organisation.pk}"


def latest_proposal(*, idea: ProjectIdea) -> Proposal | None:
    return idea.proposals.prefetch_related("partners").first()


@dataclass
class Workspace:
    idea: ProjectIdea
    can_edit: bool
    in_consortium: bool
    proposal: Proposal | None
    partners: list = field(default_factory=list)
    roles: list = field(default_factory=list)
    pinned: list = field(default_factory=list)
    excluded: list = field(default_factory=list)
    invitations: list = field(default_factory=list)
    notes: list | None = None  # None: the user may not read them
    my_invitation: Invitation | None = None
    choices_changed: bool = False  # pins or exclusions newer than the proposal on screen


def organisations_with_editors(*, organisation_ids: set[int]) -> set[int]:
    """Those of the organisations that have an active editor to receive an invitation."""
    if not organisation_ids:
        return set()
    return set(
        User.objects.filter(
            organisation_id__in=organisation_ids, role=User.Role.MEMBER_EDITOR, is_active=True
        ).values_list("organisation_id", flat=True)
    )


def idea_workspace(*, idea: ProjectIdea, user) -> Workspace:
    can_edit = permissions.can_edit_idea(user, idea)
    proposal = latest_proposal(idea=idea)
    invitations = list(idea.invitations.select_related("organisation"))
    invited = {i.pic: i for i in invitations}
    partners = list(proposal.partners.all()) if proposal else []
    choices = list(idea.choices.all())
    pinned = [c for c in choices if c.choice == PartnerChoice.Choice.PINNED]
    excluded = [c for c in choices if c.choice == PartnerChoice.Choice.EXCLUDED]
    pinned_pics = {c.pic for c in pinned}
    reachable = organisations_with_editors(
        organisation_ids={p.organisation_id for p in partners if p.organisation_id}
    )
    for partner in partners:
        partner.invitation = invited.get(partner.pic)
        partner.is_pinned = partner.pic in pinned_pics
        # A member hears of an invitation through its editors; one without any (and every
        # organisation outside the cluster) is invited by e-mail, so the form asks for one.
        partner.needs_email = partner.organisation_id not in reachable
    chosen = {p.pic for p in partners}
    changed = proposal is not None and (
        any(c.pic not in chosen for c in pinned) or any(c.pic in chosen for c in excluded)
    )
    mine = None
    if is_member_editor(user):
        mine = next((i for i in invitations if i.organisation_id == user.organisation_id), None)
    in_consortium = permissions.is_in_consortium(user, idea)
    notes = list(idea.notes.select_related("author")) if in_consortium else None
    return Workspace(
        idea=idea,
        can_edit=can_edit,
        in_consortium=in_consortium,
        proposal=proposal,
        partners=partners,
        roles=list(idea.roles.all()),
        pinned=pinned,
        excluded=excluded,
        invitations=invitations,
        notes=notes,
        my_invitation=mine,
        choices_changed=changed,
    )


def invitation_by_token(*, token: str) -> Invitation:
    return Invitation.objects.select_related("idea", "idea__owner", "idea__call").get(
        token=token, organisation__isnull=True
    )


def invitation_get(*, invitation_id: int) -> Invitation:
    return Invitation.objects.select_related("idea", "idea__owner").get(pk=invitation_id)


def notifications_of(*, user) -> QuerySet:
    return Notification.objects.filter(user=user)


def unread_notification_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# --- Exports --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRow:
    name: str
    pic: str
    country: str
    kind: str
    sme: str
    role: str
    status: str
    reasons: str


@dataclass(frozen=True)
class ConsortiumExport:
    idea: ProjectIdea
    rule_set_title: str
    eligible: bool | None
    missing: list[str]
    rows: list[ExportRow]


def consortium_export(
    *, idea: ProjectIdea, yes: str, no: str, coordinator: str
) -> ConsortiumExport:
    """The latest proposal with each partner's invitation status, for PDF and XLSX."""
    proposal = latest_proposal(idea=idea)
    status_of = {i.pic: i.get_status_display() for i in idea.invitations.all()}
    rows = []
    for p in proposal.partners.all() if proposal else []:
        status = coordinator if p.is_coordinator else str(status_of.get(p.pic, "—"))
        rows.append(
            ExportRow(
                name=p.name,
                pic=shown_pic(p.pic),
                country=p.country,
                kind=activity_words(p.activity_type),
                sme="" if p.sme is None else (yes if p.sme else no),
                role=say(p.role),
                status=status,
                reasons="; ".join(say(reason) for reason in p.reasons),
            )  # fmt: skip
        )
    return ConsortiumExport(
        idea=idea,
        # Stored in English as the rule set's file says it; the catalogue knows each title.
        rule_set_title=gettext(proposal.rule_set_title) if proposal else "",
        eligible=proposal.eligible if proposal else None,
        missing=[say(item) for item in proposal.missing] if proposal else [],
        rows=rows,
    )
