"""A call's "members best placed": each member with its own matching words and its own projects;
the call's keywords line without the identifiers the portal repeats there."""

import datetime

import pytest
from django.urls import reverse

from klaster.calls.models import Call
from klaster.members.models import Sector
from klaster.members.tests.factories import MembershipFactory, OrganisationFactory
from klaster.trackrecord.models import CordisOrganisation, CordisParticipation, CordisProject

pytestmark = pytest.mark.django_db


def member(name: str, competences: str):
    organisation = OrganisationFactory(name=name, competences_text=competences)
    MembershipFactory(organisation=organisation)
    # All in the same sector: its names are words every one of them shares. (Browser tests
    # start from an empty database, without the built-in sectors.)
    energy, _ = Sector.objects.get_or_create(
        code="energy", defaults={"name_pl": "Energetyka", "name_en": "Energy"}
    )
    organisation.sectors.add(energy)
    return organisation


def project_of(organisation, project_id: str, acronym: str, title: str, year: int) -> None:
    project = CordisProject.objects.create(
        project_id=project_id,
        acronym=acronym,
        title=title,
        start_date=datetime.date(year, 1, 1),
        checksum=project_id,
    )
    record, _ = CordisOrganisation.objects.get_or_create(
        pic=f"9{organisation.pk:08d}",
        defaults={"name": organisation.name, "organisation": organisation, "checksum": "x"},
    )
    CordisParticipation.objects.create(
        project=project, cordis_organisation=record, role="participant", checksum=project_id
    )


def storage_call() -> Call:
    """A call on hydrogen and battery storage whose keywords are only its identifiers."""
    return Call.objects.create(
        identifier="HORIZON-CL5-2026-D3-01-07",
        call_identifier="HORIZON-CL5-2026-D3-01",
        title="Hydrogen and battery storage for renewable energy grids",
        keywords="HORIZON-CL5-2026-D3-01-07, HORIZON-CL5-2026-D3-01",
        description="Energy storage demonstrators: hydrogen electrolysers, battery packs.",
    )


@pytest.fixture
def call():
    return storage_call()


def test_each_member_best_placed_shows_its_own_words_and_its_own_projects(
    client_for, editor_b, call
):
    hydrogen = member("Wodór sp. z o.o.", "hydrogen electrolysers for energy")
    battery = member("Bateria S.A.", "battery packs for energy")
    project_of(hydrogen, "101000001", "H2GRID", "Hydrogen electrolysers in the grid", 2022)
    project_of(hydrogen, "101000002", "BREAD", "Bakery ovens", 2021)
    project_of(battery, "101000003", "PACKS", "Battery packs for grid storage", 2023)

    page = client_for(editor_b).get(reverse("calls:detail", args=[call.pk]))

    placed = {p.organisation: p for p in page.context["placed"]}
    assert set(placed) == {hydrogen, battery}
    assert placed[hydrogen].competence_terms[0] == "hydrogen"
    assert placed[battery].competence_terms[0] == "battery"
    assert placed[hydrogen].competence_terms != placed[battery].competence_terms
    assert [p.acronym for p in placed[hydrogen].projects] == ["H2GRID"]  # not the bakery
    assert [(p.acronym, p.year) for p in placed[battery].projects] == [("PACKS", 2023)]
    html = page.content.decode()
    assert html.count('data-testid="placed-projects"') == 2
    assert "Battery packs for grid storage" in html and "Bakery ovens" not in html


def test_the_keywords_line_gives_real_keywords_never_the_identifier_twice(client, call):
    html = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
    line = html[html.index('data-testid="call-keywords"') :].split("</p>")[0]
    assert "HORIZON-CL5-2026-D3-01" not in line
    # Nothing but identifiers in the portal's field: the title's words stand in.
    assert call.keyword_list == ("Hydrogen", "battery", "storage", "renewable", "energy", "grids")
    assert "Hydrogen, battery, storage, renewable, energy, grids" in line

    call.keywords = "HORIZON-CL5-2026-D3-01-07, energy storage, Energy storage, hydrogen"
    call.save()
    assert call.keyword_list == ("energy storage", "hydrogen")
