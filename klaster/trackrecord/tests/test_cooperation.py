import datetime

import pytest
from django.core.exceptions import PermissionDenied

from klaster.members.tests.factories import OrganisationFactory
from klaster.trackrecord import services
from klaster.trackrecord.models import ClusterProject, Cooperation

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation_c(db):
    return OrganisationFactory(name="Gamma Instytut")


def _entry(a, b, visibility=Cooperation.Visibility.PRIVATE, notes="secret talks"):
    return Cooperation.objects.create(
        kind=Cooperation.Kind.MEETING,
        date=datetime.date(2025, 5, 1),
        organisation_a=a,
        organisation_b=b,
        notes=notes,
        visibility=visibility,
    )


def test_member_records_cooperation_of_its_own_organisation(
    editor_a, organisation_a, organisation_c, client_for
):
    response = client_for(editor_a).post(
        "/trackrecord/cooperation/new/",
        {
            "kind": "agreement",
            "date": "2025-06-01",
            "organisation_a": organisation_a.pk,
            "organisation_b": organisation_c.pk,
            "people": "Anna Nowak",
            "notes": "MoU signed",
            "visibility": "public",
        },
    )

    assert response.status_code == 302
    entry = Cooperation.objects.get()
    assert (entry.organisation_a, entry.organisation_b, entry.kind) == (
        organisation_a,
        organisation_c,
        "agreement",
    )
    assert entry.recorded_by == editor_a


def test_member_cannot_record_cooperation_between_other_organisations(
    editor_a, organisation_b, organisation_c, client_for
):
    response = client_for(editor_a).post(
        "/trackrecord/cooperation/new/",
        {
            "kind": "meeting",
            "date": "2025-06-01",
            "organisation_a": organisation_b.pk,
            "organisation_b": organisation_c.pk,
            "visibility": "public",
        },
    )

    assert response.status_code == 200  # the form comes back with an error
    assert not Cooperation.objects.exists()


def test_service_refuses_a_member_recording_for_others(editor_a, organisation_b, organisation_c):
    with pytest.raises(PermissionDenied):
        services.cooperation_record(
            user=editor_a,
            data={
                "kind": "meeting",
                "date": datetime.date(2025, 1, 1),
                "organisation_a": organisation_b,
                "organisation_b": organisation_c,
                "visibility": "public",
            },
        )


def test_outsider_never_sees_others_private_cooperation(
    editor_a, organisation_b, organisation_c, client_for
):
    _entry(organisation_b, organisation_c, notes="secret talks")
    _entry(organisation_b, organisation_c, Cooperation.Visibility.PUBLIC, notes="open day")
    client = client_for(editor_a)

    page = client.get("/trackrecord/cooperation/").content.decode()
    api = client.get("/api/trackrecord/cooperation").json()

    assert "open day" in page and "secret talks" not in page
    assert [e["notes"] for e in api] == ["open day"]


def test_party_and_staff_see_private_cooperation(
    editor_b, coordinator, organisation_b, organisation_c, client_for
):
    _entry(organisation_b, organisation_c, notes="secret talks")

    assert "secret talks" in client_for(editor_b).get("/trackrecord/cooperation/").content.decode()
    assert (
        "secret talks" in client_for(coordinator).get("/trackrecord/cooperation/").content.decode()
    )


def test_outsider_cannot_open_or_delete_others_private_entry(
    editor_a, organisation_b, organisation_c, client_for
):
    entry = _entry(organisation_b, organisation_c)
    client = client_for(editor_a)

    assert client.get(f"/trackrecord/cooperation/{entry.pk}/").status_code == 404
    assert client.post(f"/trackrecord/cooperation/{entry.pk}/delete/").status_code == 404
    assert Cooperation.objects.filter(pk=entry.pk).exists()


def test_outsider_cannot_change_others_public_entry(
    editor_a, organisation_b, organisation_c, client_for
):
    entry = _entry(organisation_b, organisation_c, Cooperation.Visibility.PUBLIC)

    response = client_for(editor_a).post(f"/trackrecord/cooperation/{entry.pk}/delete/")

    assert response.status_code == 403
    assert Cooperation.objects.filter(pk=entry.pk).exists()


def test_anonymous_visitor_is_sent_to_sign_in(anonymous):
    response = anonymous.get("/trackrecord/cooperation/")
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_api_member_records_own_cooperation_but_not_others(
    editor_a, organisation_a, organisation_b, organisation_c, client_for
):
    client = client_for(editor_a)
    own = client.post(
        "/api/trackrecord/cooperation",
        {
            "kind": "service",
            "date": "2025-02-02",
            "organisation_a": organisation_a.pk,
            "organisation_b": organisation_c.pk,
        },
        content_type="application/json",
    )
    others = client.post(
        "/api/trackrecord/cooperation",
        {
            "kind": "service",
            "date": "2025-02-02",
            "organisation_a": organisation_b.pk,
            "organisation_b": organisation_c.pk,
        },
        content_type="application/json",
    )

    assert own.status_code == 201
    assert others.status_code == 403
    assert Cooperation.objects.count() == 1


def test_staff_track_cluster_projects_and_members_see_only_theirs(
    coordinator, editor_a, editor_b, organisation_a, client_for
):
    response = client_for(coordinator).post(
        "/trackrecord/projects/new/",
        {
            "name": "Smart grid pilot",
            "status": "submitted",
            "thematic_area": "energy",
            "budget_eur": "1200000",
            "partners": [organisation_a.pk],
            "outcomes": "",
        },
    )
    assert response.status_code == 302
    project = ClusterProject.objects.get()
    assert (project.status, project.thematic_area) == ("submitted", "energy")

    assert "Smart grid pilot" in client_for(editor_a).get("/trackrecord/projects/").content.decode()
    assert (
        "Smart grid pilot"
        not in client_for(editor_b).get("/trackrecord/projects/").content.decode()
    )
    assert client_for(editor_b).get(f"/trackrecord/projects/{project.pk}/").status_code == 404
