"""The cooperation log answers bad input with a 4xx and records nothing: ids beyond 64 bits,
NUL bytes, the year 9999, overlong notes. The API write passes the page's form."""

import json

import pytest

from klaster.trackrecord.forms import COOPERATION_NOTES_LIMIT
from klaster.trackrecord.models import Cooperation

pytestmark = pytest.mark.django_db

TWENTY_DIGITS = "12345678901234567890"


def _post(client, body):
    return client.post(
        "/api/trackrecord/cooperation", data=json.dumps(body), content_type="application/json"
    )


def _entry(organisation_a, organisation_b, **changes):
    return {
        "kind": "meeting",
        "date": "2025-06-01",
        "organisation_a": organisation_a.pk,
        "organisation_b": organisation_b.pk,
        "notes": "open day",
        **changes,
    }


def test_cooperation_page_for_a_twenty_digit_organisation_is_not_found(coordinator, client_for):
    response = client_for(coordinator).get(
        "/trackrecord/cooperation/", {"organisation": TWENTY_DIGITS}
    )

    assert response.status_code == 404


def test_cooperation_page_for_a_real_organisation_filters(coordinator, client_for, organisation_a):
    response = client_for(coordinator).get(
        "/trackrecord/cooperation/", {"organisation": organisation_a.pk}
    )

    assert response.status_code == 200


def test_api_cooperation_list_for_a_twenty_digit_organisation_is_bad_input(anonymous):
    response = anonymous.get("/api/trackrecord/cooperation", {"organisation": TWENTY_DIGITS})

    assert response.status_code == 422


def test_api_cooperation_post_with_a_twenty_digit_organisation_is_bad_input(
    coordinator, client_for, organisation_a
):
    body = {**_entry(organisation_a, organisation_a), "organisation_b": int(TWENTY_DIGITS)}

    response = _post(client_for(coordinator), body)

    assert response.status_code == 422
    assert not Cooperation.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"notes": "tajne\x00"},
        {"people": "Anna\x00Nowak"},
        {"date": "9999-01-01"},
        {"notes": "x" * (COOPERATION_NOTES_LIMIT + 1)},
        {"kind": "k" * 21},
    ],
    ids=["nul-notes", "nul-people", "year-9999", "long-notes", "long-kind"],
)
def test_api_cooperation_post_refuses_bad_values(
    coordinator, client_for, organisation_a, organisation_b, change
):
    response = _post(client_for(coordinator), _entry(organisation_a, organisation_b, **change))

    assert response.status_code == 422
    assert not Cooperation.objects.exists()


def test_api_cooperation_post_runs_the_pages_form(
    coordinator, client_for, organisation_a, organisation_b
):
    response = _post(client_for(coordinator), _entry(organisation_a, organisation_b, kind="lunch"))

    assert response.status_code == 400
    assert "kind" in response.json()["errors"]
    assert not Cooperation.objects.exists()


def test_api_cooperation_post_of_an_unknown_organisation_names_the_field(
    coordinator, client_for, organisation_a, organisation_b
):
    body = {**_entry(organisation_a, organisation_b), "organisation_b": organisation_b.pk + 1000}

    response = _post(client_for(coordinator), body)

    assert response.status_code == 400
    assert "organisation_b" in response.json()["errors"]


def test_member_records_through_the_api_with_its_organisation_second(
    editor_a, client_for, organisation_a, organisation_b
):
    response = _post(client_for(editor_a), _entry(organisation_b, organisation_a))

    assert response.status_code == 201
    entry = Cooperation.objects.get()
    assert {entry.organisation_a, entry.organisation_b} == {organisation_a, organisation_b}


def test_anonymous_api_write_is_asked_to_sign_in(anonymous, organisation_a, organisation_b):
    response = _post(anonymous, _entry(organisation_a, organisation_b))

    assert response.status_code == 401
    # In the request's language: Polish unless the client asks otherwise.
    assert response.json() == {"detail": "Zaloguj się lub użyj tokenu API."}


def test_cooperation_page_form_refuses_the_year_9999(
    editor_a, client_for, organisation_a, organisation_b
):
    response = client_for(editor_a).post(
        "/trackrecord/cooperation/new/",
        {
            "kind": "meeting",
            "date": "9999-06-01",
            "organisation_a": organisation_a.pk,
            "organisation_b": organisation_b.pk,
            "visibility": "private",
        },
    )

    assert response.status_code == 200
    assert not Cooperation.objects.exists()


@pytest.mark.parametrize("path", ["/api/trackrecord/network", "/api/trackrecord/network/summary"])
def test_network_api_asks_anonymous_visitors_to_sign_in(anonymous, path):
    assert anonymous.get(path).status_code == 401


def test_network_api_refuses_a_twenty_digit_focus(coordinator, client_for):
    response = client_for(coordinator).get("/api/trackrecord/network", {"focus": TWENTY_DIGITS})

    assert response.status_code == 422
