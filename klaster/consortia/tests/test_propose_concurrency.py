"""Proposing a consortium holds no transaction while the builder searches: the idea can be
edited meanwhile, and a proposal built from an idea that changed since is built again or not
saved at all."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from klaster.common.concurrency import held_before_write
from klaster.consortia import services
from klaster.consortia.models import ProjectIdea, Proposal, ProposedPartner
from klaster.consortia.tests.conftest import OWNER_PIC
from klaster.consortia.tests.test_builder_services import IDEA
from klaster.members.tests.factories import MembershipFactory


@pytest.fixture
def idea(organisation_a, editor_a):
    organisation_a.pic = OWNER_PIC
    organisation_a.save()
    MembershipFactory(organisation=organisation_a)
    return services.idea_create(owner=organisation_a, user=editor_a, data=IDEA, roles=[])


@pytest.mark.django_db(transaction=True)
def test_idea_edited_while_a_consortium_is_proposed_is_saved_and_proposed_again(
    idea, editor_a, engine
):
    # Given a proposal built in another thread, held once the builder has finished
    def propose(before_write):
        return services.consortium_propose(
            idea=idea, recommender=engine, user=editor_a, before_write=before_write
        )

    with held_before_write(propose) as run:
        # When the editor makes the consortium smaller meanwhile
        services.idea_update(idea=idea, user=editor_a, data={**IDEA, "size": 3}, roles=[])
        # Then the edit is saved at once, while the proposal still waits to be written
        assert ProjectIdea.objects.get(pk=idea.pk).size == 3
        assert run.waiting and not Proposal.objects.exists()

    # And the proposal of five was dropped: the builder ran again for the idea as edited.
    assert run.in_transaction == [False, False]
    assert Proposal.objects.count() == 1
    proposal = run.result
    assert proposal.size == 3 and proposal.partners.count() == 3
    assert proposal.partners.first().pic == OWNER_PIC


def test_idea_that_keeps_changing_gets_no_proposal_and_nothing_half_written(idea, editor_a, engine):
    sizes = iter(range(4, 4 + services.PROPOSAL_ATTEMPTS))

    def edit():
        # Every time a consortium is ready, the editor has changed the size again.
        services.idea_update(idea=idea, user=editor_a, data={**IDEA, "size": next(sizes)}, roles=[])

    with pytest.raises(ValidationError) as refusal:
        services.consortium_propose(idea=idea, recommender=engine, user=editor_a, before_write=edit)

    assert refusal.value.code == "idea_changed"
    assert not Proposal.objects.exists() and not ProposedPartner.objects.exists()
    assert ProjectIdea.objects.get(pk=idea.pk).size == 3 + services.PROPOSAL_ATTEMPTS


def test_the_same_idea_gets_the_same_consortium(idea, editor_a, engine):
    first = services.consortium_propose(idea=idea, recommender=engine, user=editor_a)
    again = services.consortium_propose(idea=idea, recommender=engine, user=editor_a)
    assert list(first.partners.values_list("pic", "role")) == list(
        again.partners.values_list("pic", "role")
    )


def test_proposal_refuses_to_start_inside_a_callers_transaction(idea, editor_a, engine):
    solved = []
    with pytest.raises(RuntimeError), transaction.atomic():
        services.consortium_propose(
            idea=idea, recommender=engine, user=editor_a, before_write=lambda: solved.append(1)
        )
    assert solved == [] and not Proposal.objects.exists()
