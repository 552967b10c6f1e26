"""Inviting a cluster member that has no editor account: the partner's invite form asks for an
e-mail address, a mistake shows beside that partner, and a pinned partner offers to unpin."""

import pytest
from playwright.sync_api import expect

from klaster.calls.models import Call
from klaster.consortia import selectors, services
from klaster.consortia.models import Invitation
from klaster.consortia.tests.conftest import OWNER_PIC, extract_recommender
from klaster.members.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_without_editor_is_invited_by_email_with_the_error_beside_it(
    live_server, signed_in_page, monkeypatch, editor_a, organisation_a
):
    recommender = extract_recommender()
    monkeypatch.setattr(selectors, "partner_engine", lambda **kwargs: recommender)
    organisation_a.pic = OWNER_PIC
    organisation_a.save()
    MembershipFactory(organisation=organisation_a)
    call = Call.objects.create(
        identifier="HORIZON-CL5-2026-D3-07", title="AI for resilient energy grids",
        programme="Horizon Europe", action_type="HORIZON-RIA",
        keywords="artificial intelligence, smart grid, energy",
        description="Machine learning for monitoring and forecasting in electricity grids.",
    )  # fmt: skip
    idea = services.idea_create(
        owner=organisation_a, user=editor_a, call=call, roles=[],
        data={"title": call.title, "summary": call.description, "keywords": call.keywords,
              "rule_set": "horizon-ria", "size": 5, "prefer_members": True,
              "max_per_country": None, "include_sme": False},
    )  # fmt: skip
    first = services.consortium_propose(idea=idea, recommender=recommender, user=editor_a)
    pic = [p.pic for p in first.partners.all() if not p.is_coordinator][0]
    # A member of the cluster, but nobody from it has signed up to Klaster yet.
    MembershipFactory(organisation=OrganisationFactory(name="Delta Badania", pic=pic))
    services.consortium_propose(idea=idea, recommender=recommender, user=editor_a)

    anna = signed_in_page(editor_a.username)
    anna.goto(f"{live_server.url}/consortia/{idea.pk}/")
    partner = anna.get_by_test_id(f"partner-{pic}")

    # Pinning turns the button into "Odepnij", which takes the pin back.
    partner.get_by_test_id(f"pin-{pic}").click()
    expect(anna.get_by_test_id(f"partner-{pic}").get_by_test_id(f"unpin-{pic}")).to_have_text(
        "Odepnij"
    )
    anna.get_by_test_id(f"unpin-{pic}").click()
    expect(anna.get_by_test_id(f"pin-{pic}")).to_be_visible()
    assert not idea.choices.exists()

    # The invite form of this member asks for an e-mail address, and says why.
    anna.get_by_test_id(f"invite-box-{pic}").locator("summary").click()
    email = anna.get_by_test_id(f"invite-email-{pic}")
    expect(email).to_be_visible()
    expect(anna.get_by_test_id(f"no-editor-{pic}")).to_be_visible()

    # An address the server refuses: the message shows beside this partner, what was typed stays.
    email.fill("kontakt@delta")
    anna.locator(f"#invite-message-{pic}").fill("Zapraszamy do konsorcjum.")
    anna.get_by_test_id(f"invite-{pic}").click()
    error = anna.get_by_test_id(f"partner-{pic}").get_by_test_id("invite-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("adres")
    expect(anna.locator(f"#invite-message-{pic}")).to_have_value("Zapraszamy do konsorcjum.")
    assert not Invitation.objects.exists()

    # A good address sends the invitation by e-mail.
    anna.get_by_test_id(f"invite-email-{pic}").fill("biuro@delta.example.pl")
    anna.get_by_test_id(f"invite-{pic}").click()
    expect(anna.get_by_test_id(f"invitation-status-{pic}")).to_be_visible()
    assert Invitation.objects.get().email == "biuro@delta.example.pl"
    anna.context.close()
