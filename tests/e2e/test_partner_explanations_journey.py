"""A member finds partners and reads why, by name and by the projects behind each; on a call's
page, each member best placed shows its own matching words and its own projects."""

import pytest
from playwright.sync_api import expect

from klaster.calls.tests.test_best_placed import member, project_of, storage_call
from klaster.members.tests.factories import MembershipFactory
from klaster.partners import serving
from klaster.partners.tests.conftest import LIGHT_RANKER
from klaster.partners.tests.trackrecord_rows import make_track_record, pic_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def built_engine(settings, tmp_path, monkeypatch):
    """The partner engine built for a small track record, in a folder of this test's own."""
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(serving, "RANKER_SETTINGS", LIGHT_RANKER)
    monkeypatch.setattr(serving, "FINGERPRINT_SECONDS", 0)
    serving._loaded.clear()
    make_track_record()
    serving.build_recommender_now()
    yield
    serving._loaded.clear()


def test_partners_are_named_and_backed_by_their_similar_projects(
    signed_in_page, live_server, editor_a, organisation_a, built_engine
):
    MembershipFactory(organisation=organisation_a)
    page = signed_in_page(editor_a.username)
    page.goto(f"{live_server.url}/partners/")
    page.locator("#id_title").fill("Satellite earth observation for crop monitoring")
    page.locator("#id_keywords").fill("remote sensing, satellite")
    page.locator("#id_coordinator").fill(pic_of("space", 0))
    page.locator("form[data-testid=partner-search] button[type=submit]").click()

    partners = page.get_by_test_id("partner")
    expect(partners.first).to_be_visible()
    names = page.get_by_test_id("partner-name")
    expect(names.first).to_contain_text("Space Organisation")
    for i in range(5):
        name = names.nth(i).inner_text()
        assert name.startswith("Space Organisation") and not name.startswith("PIC")
        similar = partners.nth(i).get_by_test_id("similar-projects")
        expect(similar).to_contain_text("SPACE")  # the acronyms of its own similar projects
        expect(similar).to_contain_text("Satellite earth observation")  # and their titles


def test_members_best_placed_for_a_call_each_show_their_own_reasons(
    signed_in_page, live_server, editor_b
):
    hydrogen = member("Wodór sp. z o.o.", "hydrogen electrolysers for energy")
    battery = member("Bateria S.A.", "battery packs for energy")
    project_of(hydrogen, "101000001", "H2GRID", "Hydrogen in the grid", 2023)
    project_of(battery, "101000003", "PACKS", "Battery packs for grid storage", 2023)
    call = storage_call()
    page = signed_in_page(editor_b.username)
    page.goto(f"{live_server.url}/calls/{call.pk}/")

    placed = page.get_by_test_id("placed-member")
    expect(placed).to_have_count(2)
    words = [placed.nth(i).get_by_test_id("placed-competences").inner_text() for i in range(2)]
    assert words[0] != words[1]
    by_name = {placed.nth(i).locator("a").first.inner_text(): placed.nth(i) for i in range(2)}
    expect(by_name["Wodór sp. z o.o."].get_by_test_id("placed-projects")).to_contain_text("H2GRID")
    expect(by_name["Bateria S.A."].get_by_test_id("placed-projects")).to_contain_text("PACKS")
    expect(by_name["Bateria S.A."].get_by_test_id("placed-projects")).not_to_contain_text("H2GRID")
    expect(page.get_by_test_id("call-keywords")).not_to_contain_text("HORIZON-CL5")
