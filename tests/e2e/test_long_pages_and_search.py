"""A visitor pages through a university's EU projects on its profile, and searches the
directory for an acronym that must not match inside longer words."""

import datetime

import pytest
from playwright.sync_api import expect

from klaster.members.services import organisation_refresh_search_document
from klaster.members.tests.factories import OrganisationFactory
from klaster.trackrecord.models import CordisOrganisation, CordisParticipation, CordisProject

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_profile_projects_come_twenty_a_page_with_next_and_previous(live_server, page):
    university = OrganisationFactory(name="Politechnika Testowa", kind="university")
    record = CordisOrganisation.objects.create(pic="999000001", organisation=university)
    for n in range(45):
        project = CordisProject.objects.create(
            project_id=f"1010{n:05d}", programme="HORIZON", acronym=f"PROJ{n:02d}",
            start_date=datetime.date(2024, 12, 1) - datetime.timedelta(days=31 * n),
        )  # fmt: skip
        CordisParticipation.objects.create(
            project=project, cordis_organisation=record, role="participant", country="PL"
        )

    page.goto(f"{live_server.url}/members/{university.pk}/")
    projects = page.get_by_test_id("eu-projects").locator(":scope > li")
    expect(projects).to_have_count(20)
    expect(projects.first).to_contain_text("PROJ00")  # the newest first

    page.get_by_test_id("projects_page-next").click()
    expect(page).to_have_url(
        f"{live_server.url}/members/{university.pk}/?projects_page=2#eu-projects"
    )
    expect(projects.first).to_contain_text("PROJ20")
    page.get_by_test_id("projects_page-next").click()
    expect(projects).to_have_count(5)
    expect(page.get_by_test_id("projects_page-next")).to_have_count(0)
    page.get_by_test_id("projects_page-previous").click()
    expect(projects).to_have_count(20)


def test_directory_search_for_ai_finds_the_acronym_not_words_containing_it(live_server, page):
    for name, description in [
        ("Kognitywa", "Sztuczna inteligencja (AI) w medycynie."),
        ("Działające Systemy", "Działające rozwiązania dla przemysłu."),
    ]:
        organisation = OrganisationFactory(name=name, description_pl=description)
        organisation_refresh_search_document(organisation=organisation)

    page.goto(f"{live_server.url}/members/")
    results = page.locator("#directory-results")
    expect(results).to_contain_text("Działające Systemy")  # before the search, everyone
    page.get_by_role("searchbox").first.fill("AI")
    expect(results).not_to_contain_text("Działające Systemy")
    expect(results).to_contain_text("Kognitywa")
