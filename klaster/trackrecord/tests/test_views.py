import pytest

from klaster.members.tests.factories import MembershipFactory, OrganisationFactory
from klaster.trackrecord import services
from klaster.trackrecord.models import Cooperation, CordisOrganisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(cordis_folder, h2020_file):
    """A member university with Horizon Europe and H2020 projects, and a member SME."""
    services.cordis_import(cordis_path=cordis_folder, h2020_path=h2020_file)
    university = OrganisationFactory(
        name="Politechnika Testowa", kind="university", enterprise_size="", pic="999000001"
    )
    sme = OrganisationFactory(name="Alfa Energia sp. z o.o.", city="Pruszków", nip="1234563218")
    for organisation in (university, sme):
        MembershipFactory(organisation=organisation)
    services.organisations_link()
    return university, sme


def test_profile_shows_eu_projects_with_cordis_links_partners_and_contribution(linked, anonymous):
    university, _ = linked

    page = anonymous.get(f"/members/{university.pk}/").content.decode()

    assert "https://cordis.europa.eu/project/id/101000001" in page
    assert "GRIDTWIN" in page and "SATFARM" in page
    assert "GRID GMBH" in page  # a partner
    assert "1,900,000" in page or "1 900 000" in page or "1\xa0900\xa0000" in page
    assert "energy and fuels" in page


def test_profile_of_organisation_without_projects_says_so(organisation_b, anonymous):
    page = anonymous.get(f"/members/{organisation_b.pk}/").content.decode()
    assert 'id="track-record"' in page


def test_network_json_has_members_partners_and_ties(linked, coordinator, client_for):
    university, sme = linked

    data = client_for(coordinator).get("/trackrecord/network.json?min_shared=1").json()

    ids = {n["data"]["id"] for n in data["nodes"]}
    assert {f"o{university.pk}", f"o{sme.pk}"} <= ids
    edges = {tuple(sorted((e["data"]["source"], e["data"]["target"]))) for e in data["edges"]}
    assert tuple(sorted((f"o{university.pk}", f"o{sme.pk}"))) in edges
    assert all("x" in n["position"] for n in data["nodes"])
    member = next(n for n in data["nodes"] if n["data"]["id"] == f"o{university.pk}")
    assert member["data"]["url"] == f"/members/{university.pk}/"


def test_network_filters_by_country_keep_members_and_that_countrys_partners(
    linked, coordinator, client_for
):
    data = client_for(coordinator).get("/trackrecord/network.json?min_shared=1&country=DE").json()

    countries = {n["data"]["country"] for n in data["nodes"] if not n["data"]["member"]}
    assert countries == {"DE"}


def test_private_cooperation_shows_on_the_map_only_to_its_parties_and_staff(
    linked, editor_a, organisation_b, coordinator, client_for
):
    university, sme = linked
    MembershipFactory(organisation=organisation_b)
    Cooperation.objects.create(
        kind="meeting",
        date="2025-01-01",
        organisation_a=university,
        organisation_b=organisation_b,
        visibility="private",
    )
    tie = tuple(sorted((f"o{university.pk}", f"o{organisation_b.pk}")))

    def ties(user):
        data = client_for(user).get("/trackrecord/network.json?min_shared=1").json()
        return {tuple(sorted((e["data"]["source"], e["data"]["target"]))) for e in data["edges"]}

    assert tie in ties(coordinator)
    assert tie not in ties(editor_a)


def test_graphml_export_and_network_page(linked, coordinator, client_for):
    client = client_for(coordinator)
    graphml = client.get("/trackrecord/network.graphml?min_shared=1")
    page = client.get("/trackrecord/network/")

    assert graphml.status_code == 200
    assert b"<graphml" in graphml.content
    assert page.status_code == 200
    assert "vendor/cytoscape/cytoscape.min.js" in page.content.decode()
    # The figures come after the page, for the same filters, so the map does not wait for them.
    assert 'hx-get="/trackrecord/network/summary/?"' in page.content.decode()
    filtered = client.get("/trackrecord/network/?min_shared=1&country=DE").content.decode()
    assert "/trackrecord/network/summary/?min_shared=1&amp;country=DE" in filtered
    figures = client.get("/trackrecord/network/summary/?min_shared=1")
    assert figures.status_code == 200 and "<html" not in figures.content.decode()
    assert figures.context["summary"]["members"] >= 1
    assert "scroll-list" in figures.content.decode()  # the staff list of SMEs without research


def test_network_requires_sign_in(anonymous):
    assert anonymous.get("/trackrecord/network.json").status_code == 302
    assert anonymous.get("/trackrecord/network/summary/").status_code == 302


def test_staff_start_an_import_from_the_page_and_follow_its_job(
    coordinator, client_for, cordis_folder, django_capture_on_commit_callbacks
):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in cordis_folder.iterdir():
            zf.write(path, path.name)
    buffer.seek(0)
    buffer.name = "cordis.zip"

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post("/trackrecord/import/", {"cordis_file": buffer})

    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert CordisOrganisation.objects.count() == 4
    job_page = client_for(coordinator).get(response["Location"]).content.decode()
    assert "Zaimportowano." in job_page
    # The file waited in the database (any worker can read it) and is gone once imported.
    from klaster.jobs.models import Job, Upload

    assert "cordis_upload" in Job.objects.get().parameters and not Upload.objects.exists()


def test_member_cannot_open_the_import_page(editor_a, client_for):
    assert client_for(editor_a).get("/trackrecord/import/").status_code == 403
