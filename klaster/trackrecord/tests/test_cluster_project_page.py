"""The read-only page of a cluster project: who reads it, and which cooperation-log entries
linked to it each persona sees."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from klaster.members.tests.factories import OrganisationFactory
from klaster.trackrecord.models import ClusterProject, Cooperation

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation_c(db):
    return OrganisationFactory(name="Gamma Instytut")


@pytest.fixture
def project(organisation_a, organisation_c):
    project = ClusterProject.objects.create(
        name="Smart grid pilot",
        status=ClusterProject.Status.RUNNING,
        thematic_area="energy",
        budget_eur=Decimal("1200000"),
        outcomes="Two pilot substations in Mazowsze.",
    )
    project.partners.set([organisation_a, organisation_c])
    return project


def _entry(project, a, b, visibility, notes):
    return Cooperation.objects.create(
        kind=Cooperation.Kind.MEETING,
        date=datetime.date(2025, 5, 1),
        organisation_a=a,
        organisation_b=b,
        notes=notes,
        visibility=visibility,
        cluster_project=project,
    )


@pytest.fixture
def entries(project, organisation_a, organisation_b, organisation_c):
    """A public entry, a private one of A and C, and a private one of B and C."""
    private = Cooperation.Visibility.PRIVATE
    _entry(project, organisation_a, organisation_c, Cooperation.Visibility.PUBLIC, "PUBLIC-NOTE")
    _entry(project, organisation_a, organisation_c, private, "PRIVATE-A-C")
    _entry(project, organisation_b, organisation_c, private, "PRIVATE-B-C")


def _page(client, project) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/trackrecord/projects/{project.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_investor_reads_the_project_without_being_a_partner(
    project, entries, investor, client_for, organisation_a, organisation_c
):
    page = _page(client_for(investor), project)

    assert "Smart grid pilot" in page
    assert "Running" in page and "Energy" in page
    assert "€1,200,000" in page
    assert "Two pilot substations in Mazowsze." in page
    assert f'href="/members/{organisation_a.pk}/"' in page
    assert f'href="/members/{organisation_c.pk}/"' in page
    assert f"/trackrecord/projects/{project.pk}/edit/" not in page


def test_investor_sees_only_public_cooperation_entries_of_the_project(
    project, entries, investor, client_for
):
    page = _page(client_for(investor), project)

    assert "PUBLIC-NOTE" in page
    assert "PRIVATE-A-C" not in page
    assert "PRIVATE-B-C" not in page


def test_partner_sees_private_entries_of_its_own_organisation_only(
    project, entries, editor_a, client_for
):
    page = _page(client_for(editor_a), project)

    assert "PUBLIC-NOTE" in page and "PRIVATE-A-C" in page
    assert "PRIVATE-B-C" not in page
    assert f"/trackrecord/projects/{project.pk}/edit/" in page


def test_coordinator_sees_every_entry_and_may_edit(project, entries, coordinator, client_for):
    page = _page(client_for(coordinator), project)

    assert all(note in page for note in ("PUBLIC-NOTE", "PRIVATE-A-C", "PRIVATE-B-C"))
    assert f"/trackrecord/projects/{project.pk}/edit/" in page


def test_member_not_a_partner_cannot_read_the_project(project, entries, editor_b, client_for):
    response = client_for(editor_b).get(f"/trackrecord/projects/{project.pk}/")

    assert response.status_code == 404
    assert b"PRIVATE-B-C" not in response.content


def test_anonymous_visitor_is_sent_to_sign_in(project, entries, anonymous):
    response = anonymous.get(f"/trackrecord/projects/{project.pk}/")

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_investor_cannot_open_the_edit_page(project, investor, client_for):
    response = client_for(investor).get(f"/trackrecord/projects/{project.pk}/edit/")

    assert response.status_code == 403


def test_list_links_names_to_the_page_and_edit_only_where_allowed(
    project, investor, editor_a, client_for
):
    as_investor = client_for(investor).get("/trackrecord/projects/").content.decode()
    as_partner = client_for(editor_a).get("/trackrecord/projects/").content.decode()

    page_link = f'href="/trackrecord/projects/{project.pk}/"'
    edit_link = f'href="/trackrecord/projects/{project.pk}/edit/"'
    assert page_link in as_investor and edit_link not in as_investor
    assert page_link in as_partner and edit_link in as_partner


def test_saving_the_project_returns_to_its_page(project, coordinator, client_for, organisation_a):
    response = client_for(coordinator).post(
        f"/trackrecord/projects/{project.pk}/edit/",
        {
            "name": "Smart grid pilot",
            "status": "funded",
            "thematic_area": "energy",
            "partners": [organisation_a.pk],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/trackrecord/projects/{project.pk}/"
    project.refresh_from_db()
    assert project.status == "funded"
