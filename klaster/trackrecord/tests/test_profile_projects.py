"""An organisation's EU projects on its profile: paginated, H2020 rows say what they are."""

import datetime

import pytest
from django.conf import settings

from klaster.members.tests.factories import OrganisationFactory
from klaster.trackrecord.models import CordisOrganisation, CordisParticipation, CordisProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def university():
    """A member university with 45 Horizon Europe projects, one started each month."""
    organisation = OrganisationFactory(
        name="Politechnika Testowa", kind="university", pic="999000001"
    )
    record = CordisOrganisation.objects.create(pic="999000001", organisation=organisation)
    for n in range(45):
        project = CordisProject.objects.create(
            project_id=f"1010{n:05d}",
            programme="HORIZON",
            acronym=f"PROJ{n:02d}",
            start_date=datetime.date(2021, 1, 1) + datetime.timedelta(days=31 * n),
        )
        CordisParticipation.objects.create(
            project=project, cordis_organisation=record, role="participant", country="PL"
        )
    return organisation


def acronyms_on(html: str) -> set[str]:
    return {f"PROJ{n:02d}" for n in range(45) if f">PROJ{n:02d}<" in html}


def test_profile_lists_twenty_projects_a_page_but_counts_them_all(university, anonymous):
    page = anonymous.get(f"/members/{university.pk}/").content.decode()

    assert len(acronyms_on(page)) == 20
    assert '<span class="figure">45</span>' in page  # the figures cover every project
    assert 'data-testid="projects_page-next"' in page


def test_next_pages_of_projects_hold_the_rest_and_keep_other_parameters(university, anonymous):
    first = acronyms_on(anonymous.get(f"/members/{university.pk}/").content.decode())
    second_page = anonymous.get(
        f"/members/{university.pk}/", {"projects_page": 2, "tab": "x"}
    ).content.decode()
    third = acronyms_on(
        anonymous.get(f"/members/{university.pk}/", {"projects_page": 3}).content.decode()
    )

    second = acronyms_on(second_page)
    assert len(second) == 20 and len(third) == 5
    assert first | second | third == {f"PROJ{n:02d}" for n in range(45)}
    assert "?projects_page=3&amp;tab=x#eu-projects" in second_page or (
        "?tab=x&amp;projects_page=3#eu-projects" in second_page
    )


def test_a_page_number_past_the_end_shows_the_last_page(university, anonymous):
    page = anonymous.get(f"/members/{university.pk}/", {"projects_page": "99"}).content.decode()

    assert len(acronyms_on(page)) == 5


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "H2020 project (no title in the data), CORDIS record 221856"),
        ("pl", "Projekt H2020 (brak tytułu w danych), rekord CORDIS 221856"),
    ],
)
def test_h2020_project_without_title_says_what_it_is_in_the_readers_language(
    anonymous, language, label
):
    organisation = OrganisationFactory(name="Instytut Testowy", pic="999000002")
    record = CordisOrganisation.objects.create(pic="999000002", organisation=organisation)
    project = CordisProject.objects.create(
        project_id="h2020-221856", programme="H2020", programme_parts="SC4"
    )
    CordisParticipation.objects.create(
        project=project, cordis_organisation=record, role="participant", country="PL"
    )
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = anonymous.get(f"/members/{organisation.pk}/").content.decode()

    assert label in page
    assert "H2020 rcn" not in page
    assert "SC4" in page


def test_cordis_organisation_page_lists_its_projects_twenty_a_page(university, anonymous):
    first = anonymous.get("/trackrecord/cordis/999000001/").content.decode()
    last = anonymous.get("/trackrecord/cordis/999000001/", {"page": 3}).content.decode()

    assert len(acronyms_on(first)) == 20 and len(acronyms_on(last)) == 5
    assert "?page=2" in first
