"""Country codes are shown as names in the reader's language, and chosen from named lists."""

import pytest
from django.urls import reverse
from django.utils import translation

from klaster.common.countries import country_choices, country_name
from klaster.events.forms import ProfileForm
from klaster.members.models import Organisation
from klaster.members.tests.test_permissions_pages import edit_payload


@pytest.mark.parametrize(
    ("code", "polish", "english"),
    [
        ("DE", "Niemcy", "Germany"),
        ("pl", "Polska", "Poland"),
        ("EL", "Grecja", "Greece"),  # CORDIS's code for Greece
        ("UK", "Wielka Brytania", "United Kingdom"),  # ... and for the United Kingdom
        ("XK", "Kosowo", "Kosovo"),  # user-assigned in ISO 3166, listed by CORDIS
        ("QQ", "QQ", "QQ"),  # unknown: shown as it is, not hidden
        ("", "", ""),
    ],
)
def test_a_code_is_named_in_the_readers_language(code, polish, english):
    with translation.override("pl"):
        assert country_name(code) == polish
    with translation.override("en"):
        assert country_name(code) == english


def test_choices_follow_the_names_in_the_readers_language():
    codes = ["PL", "DE", "EL", "PL", ""]  # repeats and blanks are dropped
    with translation.override("pl"):
        assert country_choices(codes) == [("EL", "Grecja"), ("DE", "Niemcy"), ("PL", "Polska")]
    with translation.override("en"):
        assert country_choices(codes) == [("DE", "Germany"), ("EL", "Greece"), ("PL", "Poland")]


def test_without_codes_every_country_is_offered():
    with translation.override("pl"):
        choices = dict(country_choices())
    assert choices["PL"] == "Polska"
    assert choices["XK"] == "Kosowo"
    assert len(choices) > 240


def test_an_event_registration_picks_a_country_from_the_list():
    assert ProfileForm(data={"country": "DE"}).errors.get("country") is None
    errors = ProfileForm(data={"country": "Polska"}).errors["country"]
    assert errors  # a name typed in is not a country of the list


@pytest.mark.django_db
def test_member_page_names_the_country_of_a_foreign_member(client_for, editor_a, organisation_a):
    Organisation.objects.filter(pk=organisation_a.pk).update(country="DE", city="Berlin")
    page = client_for(editor_a).get(reverse("members:detail", args=[organisation_a.pk]))
    assert "Berlin, Niemcy" in page.content.decode()


@pytest.mark.django_db
def test_a_member_imported_with_an_eu_code_keeps_it_when_edited(
    client_for, editor_a, organisation_a
):
    Organisation.objects.filter(pk=organisation_a.pk).update(country="UK", nip="", vat_number="")
    organisation_a.refresh_from_db()
    url = reverse("members:edit", args=[organisation_a.pk])
    assert 'value="UK" selected' in client_for(editor_a).get(url).content.decode()
    response = client_for(editor_a).post(url, edit_payload(organisation_a, city="London"))
    assert response.status_code == 302
    organisation_a.refresh_from_db()
    assert (organisation_a.country, organisation_a.city) == ("UK", "London")


@pytest.mark.django_db
def test_a_member_form_refuses_a_country_that_is_not_on_the_list(
    client_for, editor_a, organisation_a
):
    url = reverse("members:edit", args=[organisation_a.pk])
    response = client_for(editor_a).post(url, edit_payload(organisation_a, country="XX"))
    assert response.status_code == 200
    organisation_a.refresh_from_db()
    assert organisation_a.country == "PL"
