"""The REST API: same permissions as the pages; validation with clear errors."""

import json

import pytest

from klaster.accounts.services import api_token_create
from klaster.members.models import Organisation
from klaster.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _token, key = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def patch(client, organisation_id, body, **headers):
    return client.patch(
        f"/api/organisations/{organisation_id}",
        data=json.dumps(body),
        content_type="application/json",
        **headers,
    )


def test_list_counts_by_kind_and_paginates(anonymous, organisation_a, organisation_b):
    for _ in range(3):
        OrganisationFactory(kind="university", enterprise_size="")
    OrganisationFactory(kind="university", enterprise_size="", is_published=False)
    body = anonymous.get("/api/organisations", {"kind": "university", "page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["items"]) == 2
    assert {item["kind"] for item in body["items"]} == {"university"}
    second = anonymous.get(
        "/api/organisations", {"kind": "university", "page_size": 2, "page": 2}
    ).json()
    assert len(second["items"]) == 1


def test_list_filters_by_sector_and_text(anonymous, organisation_a, organisation_b):
    from klaster.members.models import Sector
    from klaster.members.services import organisation_refresh_search_document

    organisation_a.sectors.add(Sector.objects.get(code="energy"))
    organisation_b.description_pl = "Obserwacja Ziemi z orbity"
    organisation_b.save()
    for organisation in (organisation_a, organisation_b):
        organisation_refresh_search_document(organisation=organisation)
    energy = anonymous.get("/api/organisations", {"sector": "energy"}).json()
    assert [item["id"] for item in energy["items"]] == [organisation_a.pk]
    assert energy["items"][0]["sectors"] == ["energy"]
    text = anonymous.get("/api/organisations", {"q": "ziemi orbity"}).json()
    assert [item["id"] for item in text["items"]] == [organisation_b.pk]


def test_anonymous_never_sees_investor_fields_or_unpublished(anonymous, organisation_a):
    organisation_a.investor_notes = "runda A"
    organisation_a.save()
    hidden = OrganisationFactory(is_published=False)
    item = anonymous.get(f"/api/organisations/{organisation_a.pk}").json()
    assert item["investor_notes"] is None
    assert anonymous.get(f"/api/organisations/{hidden.pk}").status_code == 404


def test_investor_token_reads_investor_fields(client, investor, organisation_a):
    organisation_a.investor_notes = "runda A"
    organisation_a.save()
    item = client.get(f"/api/organisations/{organisation_a.pk}", **bearer(investor)).json()
    assert item["investor_notes"] == "runda A"


def test_wrong_token_is_refused(client, organisation_a):
    response = client.get("/api/organisations", HTTP_AUTHORIZATION="Bearer kl_wrong")
    assert response.status_code == 401


def test_member_patches_own_organisation(client, editor_a, organisation_a):
    response = patch(
        client,
        organisation_a.pk,
        {"description_en": "Batteries", "sectors": ["energy", "ict"]},
        **bearer(editor_a),
    )
    assert response.status_code == 200, response.content
    assert response.json()["description_en"] == "Batteries"
    organisation_a.refresh_from_db()
    assert organisation_a.description_en == "Batteries"
    assert sorted(s.code for s in organisation_a.sectors.all()) == ["energy", "ict"]
    assert organisation_a.name == "Alfa Energia sp. z o.o."  # untouched fields kept


def test_member_a_never_changes_member_b_through_the_api(client, editor_a, organisation_b):
    response = patch(client, organisation_b.pk, {"description_pl": "Przejęte"}, **bearer(editor_a))
    assert response.status_code == 403
    organisation_b.refresh_from_db()
    assert organisation_b.description_pl != "Przejęte"


def test_member_cannot_change_staff_only_fields(client, editor_a, organisation_a):
    response = patch(client, organisation_a.pk, {"kind": "university"}, **bearer(editor_a))
    assert response.status_code == 403
    organisation_a.refresh_from_db()
    assert organisation_a.kind == Organisation.Kind.ENTERPRISE


def test_anonymous_patch_is_unauthorised(anonymous, organisation_a):
    assert patch(anonymous, organisation_a.pk, {"name": "X"}).status_code == 401


def test_investor_cannot_patch(client, investor, organisation_a):
    assert patch(client, organisation_a.pk, {"name": "X"}, **bearer(investor)).status_code == 403


def test_invalid_nip_is_a_clear_400_and_nothing_changes(client, editor_a, organisation_a):
    old = organisation_a.nip
    response = patch(client, organisation_a.pk, {"nip": "1234567890"}, **bearer(editor_a))
    assert response.status_code == 400
    assert "nip" in response.json()["errors"]
    organisation_a.refresh_from_db()
    assert organisation_a.nip == old


def test_unknown_sector_code_is_refused(client, coordinator, organisation_a):
    response = patch(
        client, organisation_a.pk, {"sectors": ["quantum-biscuits"]}, **bearer(coordinator)
    )
    assert response.status_code == 400
    assert "quantum-biscuits" in response.json()["errors"]["sectors"][0]


def test_coordinator_patches_any_organisation(client, coordinator, organisation_b):
    response = patch(client, organisation_b.pk, {"pic": "987654321"}, **bearer(coordinator))
    assert response.status_code == 200
    assert response.json()["pic"] == "987654321"


def test_session_patch_needs_csrf(editor_a, organisation_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_a)
    assert patch(client, organisation_a.pk, {"short_name": "ALFA"}).status_code == 401


def test_revoked_token_stops_working(client, editor_a, organisation_a):
    from klaster.accounts.services import api_token_revoke

    token, key = api_token_create(user=editor_a, name="t")
    api_token_revoke(user=editor_a, token_id=token.pk)
    response = client.get("/api/organisations", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401


def test_openapi_schema_is_published(anonymous):
    schema = anonymous.get("/api/openapi.json").json()
    assert "/api/organisations" in schema["paths"]
    assert anonymous.get("/api/docs").status_code == 200
