"""The consortium builder's services: ideas, proposals with pins and exclusions, partner
clusters abroad, invitations and answers, notes; with the outsider for every permission rule."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from klaster.accounts.models import User
from klaster.common.wording import say
from klaster.consortia import selectors, services
from klaster.consortia.models import (
    Invitation,
    Notification,
    PartnerChoice,
    PartnerCluster,
    PartnerOrganisation,
    ProposedPartner,
    RequiredRole,
)
from klaster.consortia.tests.conftest import OWNER_PIC
from klaster.core.consortium.rules import Entity, check, load_rule_set
from klaster.members.models import Membership
from klaster.members.tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def codes(reasons) -> list[str]:
    return [reason["code"] for reason in reasons]


IDEA = {
    "title": "Machine learning for real-time monitoring of energy grids",
    "summary": "Sensors and AI models that detect faults in distribution grids and forecast load.",
    "keywords": "artificial intelligence, energy, smart grid",
    "rule_set": "horizon-ria",
    "size": 5,
    "prefer_members": True,
    "max_per_country": None,
    "include_sme": False,
}


@pytest.fixture
def owner(organisation_a):
    organisation_a.pic = OWNER_PIC
    organisation_a.save()
    MembershipFactory(organisation=organisation_a)
    return organisation_a


@pytest.fixture
def idea(owner, editor_a):
    return services.idea_create(
        owner=owner,
        user=editor_a,
        data=IDEA,
        roles=[
            {"kind": RequiredRole.Kind.RESEARCH, "field": "AI"},
            {"kind": "end user", "field": "energy"},
        ],
    )


def entities(proposal):
    return [Entity(p.pic, p.country, p.activity_type, p.sme) for p in proposal.partners.all()]


def test_member_editor_starts_an_idea_with_required_roles(idea, owner):
    assert idea.owner == owner
    assert [r.label for r in idea.roles.all()] == ["research partner in AI", "end user in energy"]
    core = selectors.consortium_idea(idea=idea)
    assert core.query.coordinator == OWNER_PIC
    assert core.required_roles == ("research partner in AI", "end user in energy")


def test_editor_cannot_start_an_idea_for_another_organisation(owner, editor_b):
    with pytest.raises(PermissionDenied):
        services.idea_create(owner=owner, user=editor_b, data=IDEA, roles=[])


def test_proposal_is_eligible_explained_and_stored_coordinator_first(idea, editor_a, engine):
    proposal = services.consortium_propose(idea=idea, recommender=engine, user=editor_a)

    partners = list(proposal.partners.all())
    assert len(partners) == 5 == len({p.pic for p in partners})
    assert partners[0].pic == OWNER_PIC and partners[0].is_coordinator
    assert partners[0].organisation == idea.owner
    assert proposal.eligible and proposal.missing == []
    assert check(load_rule_set("horizon-ria"), entities(proposal)).eligible
    assert all(p.reasons for p in partners)
    assert any(r["code"] == "covers_role" for p in partners for r in p.reasons)
    assert proposal.rule_set_title.startswith("Horizon Europe")


def test_pinned_partner_stays_and_excluded_partner_goes_after_re_solving(idea, editor_a, engine):
    first = list(
        services.consortium_propose(idea=idea, recommender=engine, user=editor_a).partners.all()
    )
    kept, dropped = first[-1].pic, first[1].pic

    services.partner_choice_set(idea=idea, user=editor_a, pic=kept, choice="pinned")
    services.partner_choice_set(idea=idea, user=editor_a, pic=dropped, choice="excluded")
    again = services.consortium_propose(idea=idea, recommender=engine, user=editor_a)

    chosen = {p.pic: p for p in again.partners.all()}
    assert kept in chosen and dropped not in chosen
    assert "pinned" in codes(chosen[kept].reasons)
    assert again.eligible

    # Undoing the exclusion lets the builder choose that partner again.
    services.partner_choice_set(idea=idea, user=editor_a, pic=dropped, choice="")
    assert not idea.choices.filter(pic=dropped).exists()


def test_coordinator_cannot_be_pinned_or_excluded(idea, editor_a):
    with pytest.raises(ValidationError):
        services.partner_choice_set(idea=idea, user=editor_a, pic=OWNER_PIC, choice="excluded")


def test_only_partners_of_a_proposal_can_be_pinned(idea, editor_a):
    with pytest.raises(ValidationError):
        services.partner_choice_set(idea=idea, user=editor_a, pic="123456789", choice="pinned")


def test_outsider_cannot_propose_pin_or_invite(idea, editor_a, editor_b, engine):
    proposal = services.consortium_propose(idea=idea, recommender=engine, user=editor_a)
    partner = proposal.partners.all()[1]
    with pytest.raises(PermissionDenied):
        services.consortium_propose(idea=idea, recommender=engine, user=editor_b)
    with pytest.raises(PermissionDenied):
        services.partner_choice_set(idea=idea, user=editor_b, pic=partner.pic, choice="pinned")
    with pytest.raises(PermissionDenied):
        services.invitation_send(idea=idea, user=editor_b, pic=partner.pic, email="x@example.org")
    assert not PartnerChoice.objects.exists() and not Invitation.objects.exists()


def test_member_without_pic_coordinates_with_its_country_and_kind_from_the_registry(
    organisation_b, editor_b, engine
):
    MembershipFactory(organisation=organisation_b)
    idea = services.idea_create(
        owner=organisation_b, user=editor_b, data={**IDEA, "rule_set": "pl-rd-consortium", "size": 3},
        roles=[],
    )  # fmt: skip
    proposal = services.consortium_propose(idea=idea, recommender=engine, user=editor_b)
    coordinator = proposal.partners.all()[0]
    assert coordinator.name == organisation_b.name
    assert (coordinator.country, coordinator.activity_type) == ("PL", "PRC")
    assert {p.country for p in proposal.partners.all()} == {"PL"}
    assert proposal.eligible


def test_partner_cluster_organisation_with_a_pic_is_preferred_and_named(idea, editor_a, engine):
    first = list(
        services.consortium_propose(idea=idea, recommender=engine, user=editor_a).partners.all()
    )
    foreign = next(p for p in first[1:] if p.country != "PL")
    cluster = PartnerCluster.objects.create(
        name="Demo: Test cluster", country=foreign.country,
        partnership=PartnerCluster.Partnership.ESCP_4X,
    )  # fmt: skip
    PartnerOrganisation.objects.create(
        cluster=cluster, name=foreign.name, country=foreign.country, kind="REC", pic=foreign.pic
    )

    again = services.consortium_propose(idea=idea, recommender=engine, user=editor_a)

    chosen = again.partners.get(pic=foreign.pic)
    assert chosen.partner_organisation is not None
    abroad = next(r for r in chosen.reasons if r["code"] == "partner_cluster_member")
    assert abroad["values"]["cluster"] == "Demo: Test cluster"
    with translation.override("en"):
        assert say(abroad).startswith("member of the partner cluster Demo: Test cluster (")
    assert "cluster_member" not in codes(chosen.reasons)


@pytest.fixture
def proposed(idea, editor_a, engine):
    """A proposal in which one partner is a cluster member with an editor (Celina)."""
    first = list(
        services.consortium_propose(idea=idea, recommender=engine, user=editor_a).partners.all()
    )
    member = OrganisationFactory(name="Gamma Badania", pic=first[1].pic)
    MembershipFactory(organisation=member)
    celina = UserFactory(username="redaktor_c", role=User.Role.MEMBER_EDITOR, organisation=member)
    proposal = services.consortium_propose(idea=idea, recommender=engine, user=editor_a)
    assert proposal.partners.get(pic=member.pic).organisation == member
    foreign = proposal.partners.exclude(organisation__isnull=False).first()
    return {"member": member, "celina": celina, "foreign": foreign, "proposal": proposal}


def test_invitation_to_a_member_notifies_its_editors_in_app_and_by_email(
    idea, editor_a, proposed, django_capture_on_commit_callbacks
):
    member, celina = proposed["member"], proposed["celina"]
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            idea=idea, user=editor_a, pic=member.pic, message="Join us"
        )

    assert invitation.organisation == member and invitation.status == Invitation.Status.INVITED
    notice = Notification.objects.get(user=celina)
    assert idea.title in notice.text and notice.url == f"/consortia/{idea.pk}/"
    assert mail.outbox[-1].to == [celina.email]
    assert f"/consortia/{idea.pk}/" in mail.outbox[-1].body

    with pytest.raises(ValidationError, match="already invited"):
        services.invitation_send(idea=idea, user=editor_a, pic=member.pic)


def test_invited_member_accepts_and_the_owner_is_told(idea, editor_a, proposed):
    invitation = services.invitation_send(idea=idea, user=editor_a, pic=proposed["member"].pic)
    services.invitation_answer(invitation=invitation, accept=True, user=proposed["celina"])

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.answered_at
    assert "accepted" in Notification.objects.get(user=editor_a).text


def test_outsider_and_inviter_cannot_answer_for_the_invited_member(
    idea, editor_a, editor_b, coordinator, proposed
):
    invitation = services.invitation_send(idea=idea, user=editor_a, pic=proposed["member"].pic)
    for user in (editor_b, editor_a, coordinator):
        with pytest.raises(PermissionDenied):
            services.invitation_answer(invitation=invitation, accept=True, user=user)
    with pytest.raises(PermissionDenied):  # the link is for organisations outside the cluster
        services.invitation_answer(invitation=invitation, accept=True)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.INVITED


def test_organisation_outside_the_cluster_is_invited_by_email_with_a_link(
    idea, editor_a, proposed, django_capture_on_commit_callbacks
):
    foreign = proposed["foreign"]
    with pytest.raises(ValidationError, match="e-mail"):
        services.invitation_send(idea=idea, user=editor_a, pic=foreign.pic)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            idea=idea, user=editor_a, pic=foreign.pic, email="contact@example.eu"
        )
    assert invitation.organisation is None and invitation.token
    assert mail.outbox[-1].to == ["contact@example.eu"]
    assert f"/consortia/invitations/{invitation.token}/" in mail.outbox[-1].body

    services.invitation_answer(invitation=invitation, accept=False)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED


def test_only_partners_of_the_proposal_are_invited(idea, editor_a, proposed):
    with pytest.raises(ValidationError):
        services.invitation_send(idea=idea, user=editor_a, pic="123456789", email="a@example.org")
    with pytest.raises(ValidationError):
        services.invitation_send(idea=idea, user=editor_a, pic=OWNER_PIC)


def test_notes_are_written_by_the_consortium_only(idea, editor_a, editor_b, proposed):
    celina = proposed["celina"]
    services.note_add(idea=idea, user=editor_a, text="Deadline for our part: 1 March")
    invitation = services.invitation_send(idea=idea, user=editor_a, pic=proposed["member"].pic)

    with pytest.raises(PermissionDenied):  # invited, not yet in
        services.note_add(idea=idea, user=celina, text="Hello")
    services.invitation_answer(invitation=invitation, accept=True, user=celina)
    services.note_add(idea=idea, user=celina, text="We will lead WP2")
    with pytest.raises(PermissionDenied):
        services.note_add(idea=idea, user=editor_b, text="Can I read this?")
    with pytest.raises(ValidationError):
        services.note_add(idea=idea, user=editor_a, text="   ")
    assert [n.text for n in idea.notes.all()] == [
        "Deadline for our part: 1 March",
        "We will lead WP2",
    ]


def test_idea_for_a_call_takes_its_rules_and_text(db):
    from klaster.calls.models import Call

    call = Call.objects.create(
        identifier="HORIZON-CL5-2026-D3-01", title="Grid flexibility", programme="Horizon Europe",
        action_type="HORIZON-IA", keywords="grid, flexibility", description="Text",
    )  # fmt: skip
    defaults = selectors.idea_defaults_for_call(call=call)
    assert defaults["rule_set"] == "horizon-ia" and defaults["title"] == "Grid flexibility"
    national = Call.objects.create(identifier="NCBR-1", title="Ścieżka SMART", source="national")
    assert selectors.idea_defaults_for_call(call=national)["rule_set"] == "pl-rd-consortium"


@pytest.mark.parametrize(
    ("scheme", "rule_set", "size"),
    [
        ("HORIZON-CSA", "horizon-csa", 5),
        ("HORIZON-TMA-MSCA-DN", "msca-dn", 6),
        ("HORIZON-ERC", "erc", 1),
        ("HORIZON-AG", "horizon-ria", 6),  # no rule set of its own: the default
        ("", "horizon-ria", 6),
    ],
)
def test_idea_without_a_call_takes_the_rules_of_its_funding_scheme(scheme, rule_set, size):
    defaults = selectors.idea_defaults_for_call(call=None, funding_scheme=scheme)
    assert (defaults["rule_set"], defaults["size"]) == (rule_set, size)


def test_cluster_member_pics_are_active_members_only(db):
    active = OrganisationFactory(pic="111111111")
    MembershipFactory(organisation=active)
    former = OrganisationFactory(pic="222222222")
    MembershipFactory(organisation=former, status=Membership.Status.FORMER)
    assert selectors.cluster_member_pics() == {"111111111"}
    assert ProposedPartner.objects.count() == 0
