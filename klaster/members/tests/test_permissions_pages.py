"""Every permission rule of the registry through the pages, always with the outsider."""

import pytest
from django.urls import reverse

from klaster.members.models import Organisation, Person
from klaster.members.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def edit_payload(organisation: Organisation, **changes) -> dict:
    data = {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "description_pl": organisation.description_pl,
        "description_en": organisation.description_en,
        "nip": organisation.nip,
        "regon": organisation.regon,
        "krs": organisation.krs,
        "vat_number": organisation.vat_number,
        "city": organisation.city,
        "voivodeship": organisation.voivodeship,
        "country": organisation.country,
        "is_published": "on" if organisation.is_published else "",
    }
    data.update(changes)
    return data


def test_member_editor_edits_own_organisation_and_it_is_saved(client_for, editor_a, organisation_a):
    response = client_for(editor_a).post(
        reverse("members:edit", args=[organisation_a.pk]),
        edit_payload(
            organisation_a,
            description_pl="Nowy opis: magazyny energii",
            competence_tags="magazynowanie energii, IoT",
        ),
    )
    assert response.status_code == 302
    organisation_a.refresh_from_db()
    assert organisation_a.description_pl == "Nowy opis: magazyny energii"
    assert sorted(c.name for c in organisation_a.competences.all()) == [
        "IoT",
        "magazynowanie energii",
    ]
    assert "magazynowanie energii" in organisation_a.search_document


def test_member_cannot_open_edit_page_of_other_organisation(client_for, editor_a, organisation_b):
    response = client_for(editor_a).get(reverse("members:edit", args=[organisation_b.pk]))
    assert response.status_code == 403


def test_member_cannot_change_other_organisation_by_post(client_for, editor_a, organisation_b):
    response = client_for(editor_a).post(
        reverse("members:edit", args=[organisation_b.pk]),
        edit_payload(organisation_b, description_pl="Przejęte"),
    )
    assert response.status_code == 403
    organisation_b.refresh_from_db()
    assert organisation_b.description_pl != "Przejęte"


def test_member_editor_cannot_change_kind_or_pic_through_the_page(
    client_for, editor_a, organisation_a
):
    client_for(editor_a).post(
        reverse("members:edit", args=[organisation_a.pk]),
        edit_payload(organisation_a, kind="university", pic="999999999"),
    )
    organisation_a.refresh_from_db()
    assert organisation_a.kind == Organisation.Kind.ENTERPRISE
    assert organisation_a.pic is None


def test_anonymous_is_sent_to_sign_in_before_editing(anonymous, organisation_a):
    response = anonymous.get(reverse("members:edit", args=[organisation_a.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_investor_cannot_edit_any_profile(client_for, investor, organisation_a):
    response = client_for(investor).post(
        reverse("members:edit", args=[organisation_a.pk]), edit_payload(organisation_a, name="X")
    )
    assert response.status_code == 403


def test_coordinator_edits_any_organisation_including_kind(client_for, coordinator, organisation_b):
    response = client_for(coordinator).post(
        reverse("members:edit", args=[organisation_b.pk]),
        edit_payload(
            organisation_b, kind="research_institute", enterprise_size="", pic="123456789"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation_b.refresh_from_db()
    assert organisation_b.kind == Organisation.Kind.RESEARCH_INSTITUTE
    assert organisation_b.pic == "123456789"
    assert organisation_b.is_sme is False


def test_wrong_nip_check_digit_is_explained_and_nothing_saved(client_for, editor_a, organisation_a):
    old_nip = organisation_a.nip
    wrong = old_nip[:-1] + str((int(old_nip[-1]) + 1) % 10)
    response = client_for(editor_a).post(
        reverse("members:edit", args=[organisation_a.pk]), edit_payload(organisation_a, nip=wrong)
    )
    assert response.status_code == 200
    assert "NIP" in response.content.decode()
    assert (
        "cyfra kontrolna" in response.content.decode() or "check digit" in response.content.decode()
    )
    organisation_a.refresh_from_db()
    assert organisation_a.nip == old_nip


def test_unpublished_profile_is_hidden_from_public_and_other_members(
    anonymous, client_for, editor_a, editor_b, investor, coordinator, organisation_b
):
    organisation_b.is_published = False
    organisation_b.save()
    url = reverse("members:detail", args=[organisation_b.pk])
    assert anonymous.get(url).status_code == 404
    assert client_for(editor_a).get(url).status_code == 404
    assert client_for(editor_b).get(url).status_code == 200
    assert client_for(investor).get(url).status_code == 200
    assert client_for(coordinator).get(url).status_code == 200


def test_investor_fields_are_shown_to_investors_but_not_to_the_public(
    anonymous, client_for, investor, editor_b, organisation_a
):
    organisation_a.investor_notes = "Szukamy rundy seed"
    organisation_a.save()
    url = reverse("members:detail", args=[organisation_a.pk])
    assert "Szukamy rundy seed" in client_for(investor).get(url).content.decode()
    assert "Szukamy rundy seed" not in anonymous.get(url).content.decode()
    assert "Szukamy rundy seed" not in client_for(editor_b).get(url).content.decode()


def test_contacts_without_consent_are_not_public(anonymous, client_for, editor_a, organisation_a):
    PersonFactory(
        organisation=organisation_a,
        last_name="Zgodna",
        consent_purpose="kontakt",
        consent_given_on="2026-01-10",
    )
    PersonFactory(organisation=organisation_a, last_name="Bezzgody")
    url = reverse("members:detail", args=[organisation_a.pk])
    public_page = anonymous.get(url).content.decode()
    assert "Zgodna" in public_page and "Bezzgody" not in public_page
    assert "Bezzgody" in client_for(editor_a).get(url).content.decode()


def test_member_adds_person_to_own_organisation_only(
    client_for, editor_a, organisation_a, organisation_b
):
    client = client_for(editor_a)
    payload = {"first_name": "Jan", "last_name": "Nowak", "email": "jan@example.org"}
    assert (
        client.post(reverse("members:people", args=[organisation_a.pk]), payload).status_code == 302
    )
    assert organisation_a.people.filter(last_name="Nowak").exists()
    assert (
        client.post(reverse("members:people", args=[organisation_b.pk]), payload).status_code == 403
    )
    assert not organisation_b.people.exists()


def test_member_cannot_edit_or_delete_person_of_other_organisation(
    client_for, editor_a, organisation_b
):
    person = PersonFactory(organisation=organisation_b, last_name="Obca")
    client = client_for(editor_a)
    edit = client.post(
        reverse("members:person_edit", args=[organisation_b.pk, person.pk]),
        {"first_name": "X", "last_name": "Y"},
    )
    assert edit.status_code == 403
    delete = client.post(reverse("members:person_delete", args=[organisation_b.pk, person.pk]))
    assert delete.status_code == 403
    person.refresh_from_db()
    assert person.last_name == "Obca"


def test_person_of_other_organisation_cannot_be_reached_through_own_url(
    client_for, editor_a, organisation_a, organisation_b
):
    person = PersonFactory(organisation=organisation_b)
    response = client_for(editor_a).post(
        reverse("members:person_delete", args=[organisation_a.pk, person.pk])
    )
    assert response.status_code == 404
    assert Person.objects.filter(pk=person.pk).exists()


def test_gdpr_withdrawal_before_consent_is_refused(client_for, editor_a, organisation_a):
    response = client_for(editor_a).post(
        reverse("members:people", args=[organisation_a.pk]),
        {
            "first_name": "Ewa",
            "last_name": "Lis",
            "consent_purpose": "newsletter",
            "consent_given_on": "2026-05-01",
            "consent_withdrawn_on": "2026-04-01",
        },
    )
    assert response.status_code == 200
    assert not organisation_a.people.filter(last_name="Lis").exists()


@pytest.mark.parametrize("persona", ["editor_a", "investor"])
def test_only_staff_see_dashboard_and_fees(request, client_for, persona, coordinator):
    outsider = client_for(request.getfixturevalue(persona))
    assert outsider.get(reverse("portal:dashboard")).status_code == 403
    assert outsider.get(reverse("members:fees")).status_code == 403
    staff = client_for(coordinator)
    assert staff.get(reverse("portal:dashboard")).status_code == 200
    assert staff.get(reverse("members:fees")).status_code == 200


def test_my_organisation_leads_editor_to_own_profile(client_for, editor_a, organisation_a):
    response = client_for(editor_a).get(reverse("members:my_organisation"))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:edit", args=[organisation_a.pk])


def test_directory_search_ignores_diacritics_and_filters(anonymous, organisation_a, organisation_b):
    OrganisationFactory(name="Łódzka Fotowoltaika", city="Łódź", kind="enterprise")
    unpublished = OrganisationFactory(name="Ukryta Fotowoltaika", is_published=False)
    from klaster.members.services import organisation_refresh_search_document

    for organisation in Organisation.objects.all():
        organisation_refresh_search_document(organisation=organisation)
    page = anonymous.get(
        reverse("members:directory"), {"q": "lodzka fotowoltaika"}
    ).content.decode()
    assert "Łódzka Fotowoltaika" in page
    assert unpublished.name not in page
    assert "Alfa Energia" not in page
    by_kind = anonymous.get(reverse("members:directory"), {"kind": "university"}).content.decode()
    assert "Alfa Energia" not in by_kind


def test_directory_returns_fragment_to_htmx(anonymous, organisation_a):
    response = anonymous.get(reverse("members:directory"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert organisation_a.name in response.content.decode()
