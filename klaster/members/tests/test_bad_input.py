"""Bad input to the member registry gets a clear 4xx, never a server error, and nothing is
half-written: huge numbers, a thousand search words, NUL bytes, negative money, year 9999."""

import json

import pytest

from klaster.accounts.services import api_token_create
from klaster.members.forms import MAX_COMPETENCE_TAGS, TEXT_LIMITS, OrganisationForm
from klaster.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TWENTY_DIGITS = "12345678901234567890"


def _patch(client, organisation_id, body):
    return client.patch(
        f"/api/organisations/{organisation_id}",
        data=json.dumps(body),
        content_type="application/json",
    )


def test_api_search_with_a_thousand_words_is_refused_with_a_message(anonymous, organisation_a):
    words = " ".join(f"słowo{n}" for n in range(1000))

    response = anonymous.get("/api/organisations", {"q": words})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]


def test_api_search_with_too_many_short_words_is_refused(anonymous, organisation_a):
    response = anonymous.get(
        "/api/organisations", {"q": " ".join("a" * 21)}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Search with at most 20 words."


def test_api_refusals_of_our_own_validators_speak_the_request_language(
    anonymous, editor_a, organisation_a, client_for
):
    """Our validators' messages come in Polish by default, without pydantic's English prefix."""
    too_many = anonymous.get("/api/organisations", {"q": " ".join("a" * 21)})
    nul = _patch(client_for(editor_a), organisation_a.pk, {"city": "Ra\x00dom"})

    assert too_many.json()["detail"][0]["msg"] == "Szukaj najwyżej 20 słowami."
    assert nul.status_code == 422
    assert [item["msg"] for item in nul.json()["detail"]] == ["Tekst nie może zawierać znaków NUL."]


def test_directory_page_with_a_thousand_words_still_answers(anonymous, organisation_a):
    response = anonymous.get("/members/", {"q": " ".join(f"w{n}" for n in range(1000))})

    assert response.status_code == 200


def test_api_page_number_beyond_any_real_page_is_refused(anonymous, organisation_a):
    response = anonymous.get("/api/organisations", {"page": "100000000000000000"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


def test_directory_page_number_beyond_the_last_shows_the_last_page(anonymous, organisation_a):
    response = anonymous.get("/members/", {"page": "100000000000000000"})

    assert response.status_code == 200
    assert organisation_a.name in response.content.decode()


@pytest.mark.parametrize("organisation_id", [TWENTY_DIGITS, "0"])
def test_api_organisation_id_out_of_range_is_bad_input(anonymous, organisation_id):
    assert anonymous.get(f"/api/organisations/{organisation_id}").status_code == 422
    assert anonymous.get(f"/api/trackrecord/organisations/{organisation_id}").status_code == 422


def test_api_patch_of_a_twenty_digit_id_is_bad_input(coordinator, client_for):
    response = _patch(client_for(coordinator), TWENTY_DIGITS, {"city": "Radom"})

    assert response.status_code == 422


def test_fee_list_for_a_year_that_is_not_a_number_says_so(coordinator, client_for):
    response = client_for(coordinator).get("/members/fees/", {"year": "abc"})

    assert response.status_code == 400
    assert "Rok musi być liczbą, np. 2025." in response.content.decode()


@pytest.mark.parametrize("year", ["99999999999999999999", "9999", "-1"])
def test_fee_list_for_an_impossible_year_is_a_bad_request(coordinator, client_for, year):
    assert client_for(coordinator).get("/members/fees/", {"year": year}).status_code == 400


def test_fee_list_for_a_real_year_shows_it(coordinator, client_for):
    response = client_for(coordinator).get("/members/fees/", {"year": "2024"})

    assert response.status_code == 200
    assert "2024" in response.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Alfa\x00Energia"},
        {"description_pl": "x" * (TEXT_LIMITS["description_pl"] + 1)},
        {"funding_sought_eur": -1},
        {"year_founded": 9999},
        {"competences": [f"kompetencja {n}" for n in range(MAX_COMPETENCE_TAGS + 1)]},
        {"investor_notes": "x" * (TEXT_LIMITS["investor_notes"] + 1)},
    ],
    ids=["nul", "long-description", "negative-money", "year-9999", "tags", "long-notes"],
)
def test_api_patch_refuses_bad_values_and_changes_nothing(
    editor_a, organisation_a, client_for, change
):
    before = (organisation_a.name, organisation_a.description_pl, organisation_a.year_founded)

    response = _patch(client_for(editor_a), organisation_a.pk, change)

    assert response.status_code == 422
    organisation_a.refresh_from_db()
    assert before == (
        organisation_a.name,
        organisation_a.description_pl,
        organisation_a.year_founded,
    )
    assert organisation_a.competences.count() == 0


def test_api_patch_with_a_token_refuses_nul_too(editor_a, organisation_a, client):
    _token, key = api_token_create(user=editor_a, name="t")
    response = client.patch(
        f"/api/organisations/{organisation_a.pk}",
        data=json.dumps({"city": "Ra\x00dom"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )

    assert response.status_code == 422


def _profile_form(organisation, **changes):
    from klaster.members.forms import form_data_from_instance

    data = form_data_from_instance(OrganisationForm, organisation)
    data.update(changes)
    return OrganisationForm(data=data, instance=organisation)


def test_profile_form_refuses_more_tags_than_a_profile_may_hold(organisation_a):
    tags = ", ".join(f"kompetencja {n}" for n in range(MAX_COMPETENCE_TAGS + 1))

    form = _profile_form(organisation_a, competence_tags=tags)

    assert not form.is_valid()
    assert "competence_tags" in form.errors


def test_profile_form_refuses_negative_funding_and_overlong_texts(organisation_a):
    form = _profile_form(
        organisation_a,
        funding_sought_eur="-100",
        competences_text="x" * (TEXT_LIMITS["competences_text"] + 1),
    )

    assert not form.is_valid()
    assert {"funding_sought_eur", "competences_text"} <= set(form.errors)


def test_profile_form_refuses_a_nul_byte(organisation_a):
    assert "street" in _profile_form(organisation_a, street="Prosta\x001").errors


def test_profile_form_accepts_tags_up_to_the_cap(organisation_a):
    tags = ", ".join(f"kompetencja {n}" for n in range(MAX_COMPETENCE_TAGS))

    assert _profile_form(organisation_a, competence_tags=tags).is_valid()


def test_api_patch_with_valid_values_still_works(editor_a, organisation_a, client_for):
    response = _patch(
        client_for(editor_a),
        organisation_a.pk,
        {"funding_sought_eur": 250000, "year_founded": 2011, "competences": ["IoT", "AI"]},
    )

    assert response.status_code == 200
    assert response.json()["year_founded"] == 2011


def test_list_still_pages_and_counts(anonymous):
    for _ in range(3):
        OrganisationFactory()

    body = anonymous.get("/api/organisations", {"page": 2, "page_size": 2}).json()

    assert body["count"] == 3 and len(body["items"]) == 1
