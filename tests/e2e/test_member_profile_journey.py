"""A member editor signs in, edits the profile, and finds the change in the public directory."""

import pytest
from playwright.sync_api import expect

from klaster.conftest import PASSWORD
from klaster.members.services import organisation_refresh_search_document

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_editor_edits_profile_and_public_directory_shows_it(
    live_server, page, browser, editor_a, organisation_a, organisation_b
):
    for organisation in (organisation_a, organisation_b):
        organisation_refresh_search_document(organisation=organisation)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nazwa użytkownika").fill("redaktor_a")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()

    page.get_by_role("link", name="Moja organizacja").click()
    page.get_by_label("Kompetencje i technologie").fill("wodór, ogniwa paliwowe")
    page.get_by_label("Opis (po polsku)").fill("Projektujemy elektrolizery wodorowe dla gmin.")
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_url(f"**/members/{organisation_a.pk}/")
    assert "elektrolizery wodorowe" in page.content()

    public = browser.new_context(locale="pl-PL").new_page()
    public.goto(f"{live_server.url}/members/")
    results = public.locator("#directory-results")
    expect(results).to_contain_text(organisation_b.name)  # before the search, everyone
    public.get_by_role("searchbox").first.fill("elektrolizery")
    # htmx swaps the results in as the visitor types
    expect(results).not_to_contain_text(organisation_b.name)
    expect(results).to_contain_text(organisation_a.name)
    public.locator("#directory-results").get_by_role("link", name=organisation_a.name).click()
    public.get_by_text("wodór").first.wait_for()
    public.context.close()
