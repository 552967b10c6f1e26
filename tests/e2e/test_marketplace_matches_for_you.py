"""A member editor's marketplace alerts in the browser: "Matches for you" loads on the
organisation's page, a filtered list is saved as a search with its alert, switched off and
deleted; the same page works at 360 px."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from klaster.marketplace import matching
from klaster.marketplace.models import Profile, SavedSearch
from klaster.marketplace.tests.factories import ProfileFactory
from klaster.members.tests.factories import MembershipFactory
from klaster.partners import serving
from klaster.partners.tests.conftest import partner_engine_sandbox, track_record  # noqa: F401

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("partner_engine_sandbox"),
]


def test_matches_for_you_and_a_saved_search_with_its_alert(
    live_server,
    signed_in_page,
    track_record,  # noqa: F811
    editor_a,
    organisation_a,
    organisation_b,
):
    MembershipFactory(organisation=organisation_a)
    MembershipFactory(organisation=organisation_b)
    space = {
        "summary_en": "Satellite earth observation data to monitor crops and agriculture.",
        "technology_keywords": ["earth observation", "satellite"],
        "market_keywords": ["agriculture"],
    }
    ProfileFactory(
        kind=Profile.Kind.TECHNOLOGY_REQUEST,
        organisation=organisation_a,
        title_pl="Obserwacja Ziemi do monitorowania upraw",
        **space,
    )
    ProfileFactory(
        kind=Profile.Kind.TECHNOLOGY_OFFER,
        organisation=organisation_b,
        status=Profile.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(days=1),
        reference="TO-2026-0001",
        title_pl="Platforma teledetekcji satelitarnej dla rolnictwa",
        **space,
    )
    matching._loaded.clear()
    serving.build_recommender_now()

    # On her organisation's page, Anna's draft request already shows Beta's offer.
    anna = signed_in_page(editor_a.username, width=360)
    anna.goto(f"{live_server.url}/members/{organisation_a.pk}/")
    for_you = anna.get_by_test_id("matches-for-you")
    # Loaded after the page, beside the network map's drawing: give it the time a busy CI needs.
    expect(for_you.get_by_test_id("for-you-match").first).to_contain_text(
        "teledetekcji", timeout=20_000
    )
    expect(for_you.get_by_test_id("match-reasons").first).to_be_visible()
    assert anna.evaluate("document.documentElement.scrollWidth") <= 360

    # She filters the list to technology offers and saves the search.
    anna.goto(f"{live_server.url}/marketplace/")
    anna.locator("#id_kind").select_option("technology_offer")
    expect(anna.locator("[data-testid=search-save] input[name=kind]")).to_have_value(
        "technology_offer"
    )
    anna.locator("#id_search_name").fill("Oferty technologii")
    anna.get_by_test_id("search-save").get_by_role("button").click()
    row = anna.get_by_test_id("saved-search")
    expect(row).to_contain_text("Oferty technologii")
    search = SavedSearch.objects.get(user=editor_a)
    assert search.query == {"kind": "technology_offer"} and search.alert

    # Its alert goes off, then the search goes.
    row.get_by_role("button").first.click()
    expect(anna.get_by_test_id("saved-search")).to_contain_text("Oferty technologii")
    search.refresh_from_db()
    assert not search.alert
    anna.get_by_test_id("saved-search-delete").click()
    expect(anna.get_by_test_id("saved-search")).to_have_count(0)
    assert not SavedSearch.objects.exists()
