"""POST /api/partners/recommend: the find-partners page for other tools."""

import pytest

from klaster.accounts.services import api_token_create
from klaster.jobs.models import Job
from klaster.partners import serving
from klaster.partners.tests.trackrecord_rows import pic_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("partner_engine_sandbox")]
URL = "/api/partners/recommend"
IDEA = {
    "title": "Satellite earth observation for crop monitoring",
    "keywords": ["remote sensing", "satellite"],
    "coordinator": pic_of("space", 0),
}


def english(client, idea: dict, headers: dict):
    """The idea posted with the answer asked for in English."""
    return client.post(
        URL, idea, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers
    )


def bearer(user) -> dict:
    _token, key = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_without_a_token_the_api_refuses(client, track_record):
    assert client.post(URL, IDEA, content_type="application/json").status_code == 401


def test_answers_202_while_the_index_is_built_then_ranked_partners(client, editor_a, track_record):
    headers = bearer(editor_a)
    building = client.post(URL, IDEA, content_type="application/json", **headers)
    assert building.status_code == 202
    assert building.json()["job_id"] == Job.objects.get(kind=serving.BUILD_JOB).pk

    serving.build_recommender_now()
    response = client.post(
        URL,
        {**IDEA, "activity_type": "HES", "limit": 3},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    partners = response.json()["partners"]
    assert partners[0]["pic"] == pic_of("space", 1)  # the university of the idea's theme
    assert {p["pic"] for p in partners} <= {pic_of(t, 1) for t in ("solar", "space", "cyber")}
    first = partners[0]
    assert first["past_projects"] and first["signals"]
    assert first["collaboration_path"][0] == pic_of("space", 0)
    assert first["name_words"] == []  # "Space Organisation 1": the idea never says "space"
    # The space community works together: its members are the team similar projects bring.
    assert first["team_mates"] and all(pic[:2] == first["pic"][:2] for pic in first["team_mates"])
    named = client.post(
        URL, {**IDEA, "title": "Space data for crops"}, content_type="application/json", **headers
    )
    assert named.json()["partners"][0]["name_words"] == ["Space"]


def test_an_idea_without_any_text_is_refused(client, editor_a, track_record):
    response = client.post(
        URL, {"coordinator": ""}, content_type="application/json", **bearer(editor_a)
    )
    assert response.status_code == 400


def test_a_bad_pic_is_refused_with_a_clear_message_and_nothing_is_built(
    client, editor_a, track_record
):
    response = english(client, {**IDEA, "coordinator": "12345"}, bearer(editor_a))
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"][-1] == "coordinator"
    assert problem["msg"] == "PIC: exactly 9 digits are required."
    assert not Job.objects.filter(kind=serving.BUILD_JOB).exists()


def test_a_coordinator_named_by_organisation_is_resolved_as_on_the_page(
    client, editor_a, track_record
):
    serving.build_recommender_now()
    headers = bearer(editor_a)
    named = client.post(
        URL,
        {**IDEA, "coordinator": "  space ORGANISATION 0 "},
        content_type="application/json",
        **headers,
    )
    by_pic = client.post(URL, IDEA, content_type="application/json", **headers)
    assert named.status_code == by_pic.status_code == 200
    assert named.json()["partners"] == by_pic.json()["partners"]
    assert named.json()["partners"][0]["collaboration_path"][0] == pic_of("space", 0)
    unknown = english(client, {**IDEA, "coordinator": "Nobody Ltd"}, headers)
    assert unknown.status_code == 422
    assert "No single organisation in CORDIS is called" in unknown.json()["detail"][0]["msg"]
