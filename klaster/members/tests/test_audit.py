"""The audit trail: who changed what and when, for staff, and each organisation's history."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from klaster.members.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _edit_profile(client, organisation, description):
    return client.post(
        reverse("members:edit", args=[organisation.pk]),
        {
            "name": organisation.name,
            "nip": organisation.nip,
            "country": "PL",
            "city": organisation.city,
            "description_pl": description,
            "is_published": "on",
        },
    )


def test_a_profile_change_records_who_changed_what(editor_a, organisation_a, client_for):
    assert _edit_profile(client_for(editor_a), organisation_a, "Nowy opis.").status_code == 302

    entry = (
        LogEntry.objects.get_for_object(organisation_a).filter(action=LogEntry.Action.UPDATE).get()
    )
    assert entry.actor == editor_a
    assert entry.changes_dict["description_pl"][1] == "Nowy opis."
    assert "search_document" not in entry.changes_dict  # derived data is not history


def test_passwords_and_tokens_never_reach_the_trail(editor_a, client_for):
    editor_a.set_password("another-horse-battery")
    editor_a.save()
    from klaster.accounts.services import api_token_create

    _token, key = api_token_create(user=editor_a, name="t")
    for entry in LogEntry.objects.all():
        text = f"{entry.changes} {entry.serialized_data}"
        assert "pbkdf2" not in text and "md5$" not in text and key not in text
        assert "password" not in (entry.changes_dict or {})


def test_staff_list_filters_by_model_user_and_date(
    coordinator, editor_a, organisation_a, client_for
):
    _edit_profile(client_for(editor_a), organisation_a, "Opis A.")
    PersonFactory(organisation=organisation_a, last_name="Nowacka")
    staff = client_for(coordinator)
    url = reverse("members:audit_log")

    everything = staff.get(url)
    assert everything.status_code == 200
    by_model = staff.get(url, {"model": "members.Person"}).context["page"].object_list
    assert {e.content_type.model for e in by_model} == {"person"}
    by_user = staff.get(url, {"actor": "redaktor_a"}).context["page"].object_list
    assert by_user and all(e.actor == editor_a for e in by_user)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    later = staff.get(url, {"date_from": tomorrow.isoformat()}).context["page"]
    assert later.paginator.count == 0


def test_staff_list_is_paginated(coordinator, client_for):
    for n in range(55):
        PersonFactory(last_name=f"Osoba{n}")
    page = client_for(coordinator).get(reverse("members:audit_log")).context["page"]
    assert len(page.object_list) == 50 and page.has_next()


@pytest.mark.parametrize("persona", ["editor_a", "investor"])
def test_only_staff_see_the_whole_trail(persona, client_for, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("members:audit_log")).status_code == 403


def test_anonymous_is_sent_to_sign_in_for_the_trail(anonymous):
    assert anonymous.get(reverse("members:audit_log")).status_code == 302


def test_organisation_history_keeps_changes_of_deleted_people(
    coordinator, editor_a, organisation_a, client_for
):
    person = PersonFactory(organisation=organisation_a, last_name="Usunięta")
    client_for(editor_a).post(reverse("members:person_delete", args=[organisation_a.pk, person.pk]))

    page = client_for(coordinator).get(reverse("members:history", args=[organisation_a.pk]))

    assert page.status_code == 200
    actions = {(e.content_type.model, e.action) for e in page.context["page"].object_list}
    assert ("person", LogEntry.Action.CREATE) in actions
    assert ("person", LogEntry.Action.DELETE) in actions


def test_own_editor_sees_their_organisation_history(editor_a, organisation_a, client_for):
    client = client_for(editor_a)
    _edit_profile(client, organisation_a, "Opis.")
    page = client.get(reverse("members:history", args=[organisation_a.pk]))
    assert page.status_code == 200
    assert page.context["page"].paginator.count >= 1
    # colleagues' accounts are staff business
    assert all(e.content_type.app_label != "accounts" for e in page.context["page"].object_list)


@pytest.mark.parametrize("persona", ["editor_b", "investor"])
def test_outsider_cannot_see_another_organisation_history(
    persona, organisation_a, client_for, request
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("members:history", args=[organisation_a.pk])).status_code == 403


def test_cooperation_entries_appear_in_both_parties_history(
    editor_a, organisation_a, organisation_b, coordinator, client_for
):
    client_for(editor_a).post(
        "/trackrecord/cooperation/new/",
        {
            "kind": "meeting",
            "date": "2025-06-01",
            "organisation_a": organisation_a.pk,
            "organisation_b": organisation_b.pk,
            "visibility": "private",
        },
    )
    staff = client_for(coordinator)
    for organisation in (organisation_a, organisation_b):
        entries = staff.get(reverse("members:history", args=[organisation.pk])).context["page"]
        assert any(e.content_type.model == "cooperation" for e in entries.object_list)


def test_staff_list_pages_keep_the_filters(organisation_a, coordinator, client_for):
    for number in range(51):
        organisation_a.city = f"Miasto {number}"
        organisation_a.save()
    client = client_for(coordinator)

    first = client.get(reverse("members:audit_log") + "?model=members.organisation")

    html = first.content.decode()
    assert len(first.context["page"].object_list) == 50
    assert "?model=members.organisation&amp;page=2" in html
