"""The marketplace's REST API, with the personas: the same rules as the pages, every refusal."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klaster.accounts.services import api_token_create
from klaster.marketplace import services
from klaster.marketplace.models import Interest, Profile
from klaster.marketplace.tests.test_imports import FULL, _published

pytestmark = pytest.mark.django_db

API = "/api/marketplace"


def _send(client, method: str, path: str, body=None):
    return getattr(client, method)(
        f"{API}{path}", data=json.dumps(body or {}), content_type="application/json"
    )


def test_anyone_lists_published_profiles_with_filters_and_pages(
    anonymous, editor_a, editor_b, coordinator
):
    _published(editor_a, coordinator, title_pl="Prognozy obciążenia sieci", trl=7)
    _published(
        editor_b,
        coordinator,
        kind=Profile.Kind.BUSINESS_REQUEST,
        title_pl="Dystrybutor w Niemczech",
        trl=None,
        partnership_types=["distribution"],
        show_organisation=False,
    )
    services.profile_create(user=editor_a, data={"kind": "technology_offer", "title_pl": "Szkic"})

    listed = anonymous.get(f"{API}/profiles").json()
    assert listed["count"] == 2
    assert "Szkic" not in {item["title_pl"] for item in listed["items"]}
    assert {item["organisation_name"] for item in listed["items"]} == {
        None,
        "Alfa Energia sp. z o.o.",
    }

    def titles(query: str) -> list[str]:
        return [
            item["title_pl"] for item in anonymous.get(f"{API}/profiles?{query}").json()["items"]
        ]

    assert titles("kind=business_request") == ["Dystrybutor w Niemczech"]
    assert titles("trl_min=6") == ["Prognozy obciążenia sieci"]
    assert titles("partnership=distribution") == ["Dystrybutor w Niemczech"]
    assert titles("q=sieci") == ["Prognozy obciążenia sieci"]
    paged = anonymous.get(f"{API}/profiles?page=2&page_size=1").json()
    assert (paged["count"], len(paged["items"])) == (2, 1)


def test_a_published_profile_reads_anonymously_unless_its_owner_shows_the_organisation(
    anonymous, client_for, editor_a, editor_b, coordinator
):
    hidden = _published(editor_a, coordinator, show_organisation=False)
    seen = anonymous.get(f"{API}/profiles/{hidden.pk}").json()
    assert (seen["organisation_id"], seen["organisation_name"]) == (None, None)
    assert seen["title_en"] == FULL["title_en"] and seen["trl"] == 7
    by_b = client_for(editor_b).get(f"{API}/profiles/{hidden.pk}").json()
    assert by_b["organisation_name"] is None
    by_owner = client_for(editor_a).get(f"{API}/profiles/{hidden.pk}").json()
    assert by_owner["organisation_id"] == editor_a.organisation_id


def test_another_organisations_draft_is_not_found_and_cannot_be_changed(
    client_for, anonymous, editor_a, editor_b
):
    draft = services.profile_create(
        user=editor_a, data={"kind": "technology_offer", "title_pl": "A"}
    )
    b = client_for(editor_b)
    assert b.get(f"{API}/profiles/{draft.pk}").status_code == 404
    assert anonymous.get(f"{API}/profiles/{draft.pk}").status_code == 404
    assert _send(b, "patch", f"/profiles/{draft.pk}", {"title_pl": "B"}).status_code == 404
    assert _send(b, "post", f"/profiles/{draft.pk}/submit").status_code == 404
    assert [p["id"] for p in b.get(f"{API}/profiles/mine").json()] == []
    draft.refresh_from_db()
    assert draft.title_pl == "A" and draft.status == Profile.Status.DRAFT


def test_another_organisations_published_profile_cannot_be_changed(
    client_for, editor_a, editor_b, coordinator
):
    profile = _published(editor_a, coordinator)
    response = _send(client_for(editor_b), "patch", f"/profiles/{profile.pk}", {"trl": 3})
    assert response.status_code == 403
    profile.refresh_from_db()
    assert profile.trl == 7


def test_member_editor_creates_changes_and_submits_a_draft_with_a_token(client, editor_a):
    _token, key = api_token_create(user=editor_a, name="skrypt")
    headers = {"Authorization": f"Bearer {key}"}
    created = client.post(
        f"{API}/profiles",
        data=json.dumps({"kind": "technology_request", "title_pl": "Szukamy czujników"}),
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["organisation_id"] == editor_a.organisation_id
    pk = body["id"]
    refused = client.post(f"{API}/profiles/{pk}/submit", headers=headers)
    assert refused.status_code == 400
    assert refused.json()["detail"] and Profile.objects.get(pk=pk).status == Profile.Status.DRAFT
    changed = client.patch(
        f"{API}/profiles/{pk}",
        data=json.dumps({"summary_pl": "Czujniki PM2.5", "technology_keywords": ["czujniki"]}),
        content_type="application/json",
        headers=headers,
    )
    assert changed.status_code == 200 and changed.json()["title_pl"] == "Szukamy czujników"
    submitted = client.post(f"{API}/profiles/{pk}/submit", headers=headers)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["reference"].startswith("TR-")


def test_invalid_input_is_refused_with_422_and_a_broken_rule_with_400(client_for, editor_a):
    editor = client_for(editor_a)
    for body in (
        {"kind": "technology_offer", "trl": 12},
        {"kind": "technology_offer", "trl": 0},
        {"kind": "pizza"},
        {"kind": "technology_offer", "partnership_types": ["barter"]},
        {"kind": "technology_offer", "languages": ["polish"]},
    ):
        assert _send(editor, "post", "/profiles", body).status_code == 422, body
    unknown_call = _send(editor, "post", "/profiles", {"kind": "technology_offer", "call_id": 999})
    assert unknown_call.status_code == 400
    assert "call_id" in unknown_call.json()["errors"]
    assert not Profile.objects.exists()


def test_visitors_and_investors_cannot_write(
    anonymous, client_for, investor, editor_a, coordinator
):
    profile = _published(editor_a, coordinator)
    body = {"kind": "technology_offer", "title_pl": "X"}
    assert _send(anonymous, "post", "/profiles", body).status_code == 401
    assert _send(anonymous, "patch", f"/profiles/{profile.pk}", body).status_code == 401
    assert _send(anonymous, "post", f"/profiles/{profile.pk}/submit").status_code == 401
    message = {"message": "Chętnie porozmawiamy."}
    assert _send(anonymous, "post", f"/profiles/{profile.pk}/interest", message).status_code == 401
    assert anonymous.get(f"{API}/interests").status_code == 401
    assert anonymous.get(f"{API}/profiles/mine").status_code == 401
    assert _send(client_for(investor), "post", "/profiles", body).status_code == 403
    assert client_for(investor).get(f"{API}/profiles/mine").status_code == 403


def test_member_expresses_interest_and_both_sides_list_it_others_do_not(
    client_for, editor_a, editor_b, coordinator, organisation_b
):
    profile = _published(editor_a, coordinator)
    b = client_for(editor_b)
    response = _send(b, "post", f"/profiles/{profile.pk}/interest", {"message": "Chętnie."})
    assert response.status_code == 201, response.content
    interest = Interest.objects.get()
    assert interest.organisation == organisation_b and interest.messages.count() == 1
    assert response.json()["side"] == "interested"
    sent = b.get(f"{API}/interests?direction=sent").json()
    assert [i["id"] for i in sent] == [interest.pk]
    received = client_for(editor_a).get(f"{API}/interests").json()
    assert [(i["id"], i["side"]) for i in received] == [(interest.pk, "owner")]
    assert client_for(editor_a).get(f"{API}/interests?direction=sent").json() == []


def test_interest_in_your_own_profile_or_a_draft_is_refused(client_for, editor_a, coordinator):
    profile = _published(editor_a, coordinator)
    own = _send(client_for(editor_a), "post", f"/profiles/{profile.pk}/interest", {"message": "X"})
    assert own.status_code in (400, 403)
    draft = services.profile_create(
        user=editor_a, data={"kind": "technology_offer", "title_pl": "D"}
    )
    to_draft = _send(
        client_for(coordinator), "post", f"/profiles/{draft.pk}/interest", {"message": "X"}
    )
    assert to_draft.status_code == 404
    empty = _send(
        client_for(coordinator), "post", f"/profiles/{profile.pk}/interest", {"message": ""}
    )
    assert empty.status_code == 422
    assert not Interest.objects.exists()


def test_listing_profiles_takes_the_same_queries_for_one_profile_or_many(
    anonymous, editor_a, coordinator
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert anonymous.get(f"{API}/profiles").status_code == 200
        return len(captured.captured_queries)

    _published(editor_a, coordinator, show_organisation=True)
    one = queries()
    for number in range(4):
        _published(editor_a, coordinator, title_pl=f"Oferta {number}", show_organisation=True)
    assert queries() == one
