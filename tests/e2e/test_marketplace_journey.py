"""The marketplace journey end to end: a member editor drafts a technology offer and submits it,
cluster staff review and publish it, the profile shows the request it answers, another member
expresses interest, both write in the thread, and the owner signs the agreement and records it
in the cooperation log."""

import re

import pytest
from playwright.sync_api import expect

from klaster.marketplace import matching, services
from klaster.marketplace.models import Interest, Profile
from klaster.members.tests.factories import MembershipFactory
from klaster.partners import serving
from klaster.partners.tests.conftest import partner_engine_sandbox, track_record  # noqa: F401

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("partner_engine_sandbox"),
]


@pytest.fixture
def betas_request(editor_b, coordinator, organisation_b):
    """Beta's published request for satellite earth observation, which Anna's offer answers."""
    profile = services.profile_create(
        user=editor_b,
        data={
            "kind": Profile.Kind.TECHNOLOGY_REQUEST,
            "title_pl": "Szukamy danych satelitarnych do monitorowania upraw",
            "title_en": "Satellite earth observation to monitor crops",
            "summary_en": "We need satellite earth observation data to monitor crops.",
            "technology_keywords": ["earth observation", "satellite"],
            "market_keywords": ["agriculture"],
            "trl": 6,
        },
    )
    services.profile_submit(user=editor_b, profile=profile)
    scores = {"innovation": 4, "clarity": 4, "expectations": 4, "language": 4}
    services.profile_review(user=coordinator, profile=profile, scores=scores, comment="")
    return profile


def test_draft_to_review_to_matches_to_interest_to_thread_to_agreement(
    live_server,
    signed_in_page,
    track_record,  # noqa: F811
    editor_a,
    editor_b,
    coordinator,
    organisation_a,
    organisation_b,
    betas_request,
):
    MembershipFactory(organisation=organisation_a)
    MembershipFactory(organisation=organisation_b)
    matching._loaded.clear()
    serving.build_recommender_now()

    # Anna drafts a technology offer from her profiles' page.
    anna = signed_in_page(editor_a.username)
    anna.goto(f"{live_server.url}/marketplace/mine/")
    anna.get_by_test_id("marketplace-create").click()
    anna.locator("#id_kind").select_option("technology_offer")
    anna.locator("#id_title_pl").fill("Platforma teledetekcji satelitarnej dla rolnictwa")
    anna.locator("#id_title_en").fill("Satellite remote sensing platform for agriculture")
    anna.locator("#id_summary_en").fill(
        "Satellite earth observation data to monitor crops and agriculture."
    )
    anna.locator("#id_technology_keywords").fill("earth observation, satellite")
    anna.locator("#id_market_keywords").fill("agriculture")
    anna.locator("#id_trl").select_option("7")
    anna.locator("#id_partnership_types_0").check()  # a licence
    anna.get_by_test_id("profile-save").click()
    anna.wait_for_url(re.compile(r".*/marketplace/\d+/$"))
    offer = Profile.objects.get(organisation=organisation_a)
    assert offer.status == Profile.Status.DRAFT and offer.partnership_types == ["licence"]

    # She submits it: it gets its reference and waits for the review.
    anna.get_by_test_id("profile-submit").click()
    expect(anna.get_by_test_id("profile-reference")).to_contain_text("TO-")
    offer.refresh_from_db()
    assert offer.status == Profile.Status.SUBMITTED

    # The coordinator reviews it from the queue: every criterion scored, the decision shown
    # before it is saved.
    staff = signed_in_page(coordinator.username)
    staff.goto(f"{live_server.url}/marketplace/review/")
    staff.get_by_test_id("review-row").filter(has_text=offer.reference).get_by_role(
        "link"
    ).first.click()
    for criterion in ("innovation", "clarity", "expectations", "language"):
        staff.locator(f"#id_{criterion}_4").check()
    staff.get_by_test_id("review-check").click()
    expect(staff.get_by_test_id("review-decision")).to_be_visible()
    staff.get_by_test_id("review-save").click()
    staff.wait_for_load_state()
    offer.refresh_from_db()
    assert offer.status == Profile.Status.PUBLISHED

    # Published, the offer shows Beta's request among the profiles it answers, with reasons.
    anna.goto(f"{live_server.url}/marketplace/{offer.pk}/")
    matches = anna.get_by_test_id("matches")
    expect(matches.get_by_test_id("match-profile").first).to_contain_text("monitorowania upraw")
    expect(matches.get_by_test_id("match-reasons").first).to_be_visible()

    # Beta finds the offer on the public list and expresses interest.
    beata = signed_in_page(editor_b.username)
    beata.goto(f"{live_server.url}/marketplace/")
    beata.get_by_role("link", name="Platforma teledetekcji satelitarnej dla rolnictwa").click()
    expect(beata.get_by_test_id("profile-organisation")).not_to_contain_text(organisation_a.name)
    beata.get_by_test_id("interest-express").click()
    beata.locator("#id_message").fill("Dzień dobry, chętnie przetestujemy platformę u nas.")
    beata.get_by_test_id("interest-submit").click()
    expect(beata.get_by_test_id("interest-thread")).to_contain_text("chętnie przetestujemy")
    interest = Interest.objects.get()
    assert interest.organisation == organisation_b and interest.status == Interest.Status.NEW

    # Anna answers in the thread, reached from the interests in her profiles.
    anna.goto(f"{live_server.url}/marketplace/interests/?box=received")
    anna.get_by_test_id("interest-row").get_by_role("link").first.click()
    anna.locator("#id_body").fill("Dziękujemy! Proponujemy pilotaż od stycznia.")
    anna.get_by_test_id("interest-message-submit").click()
    expect(anna.get_by_test_id("interest-message")).to_have_count(2)

    # Beta reads the answer in her own browser.
    beata.reload()
    expect(beata.get_by_test_id("interest-thread")).to_contain_text("pilotaż od stycznia")

    # The owner records the signed agreement, and it enters the cooperation log.
    anna.locator("#id_status").select_option("agreement_signed")
    anna.get_by_test_id("interest-status-submit").click()
    expect(anna.get_by_test_id("interest-status")).to_contain_text("Umowa podpisana")
    anna.get_by_test_id("interest-agreement").click()
    expect(anna.get_by_test_id("interest-cooperation")).to_be_visible()
    interest.refresh_from_db()
    assert interest.status == Interest.Status.AGREEMENT_SIGNED
    assert interest.cooperation is not None
