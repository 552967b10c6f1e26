"""A public cooperation entry is a claim about two organisations: when a member records it, it
stays out of public view until the other party (or staff) confirms it."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from klaster.members.models import Membership
from klaster.members.tests.factories import OrganisationFactory, UserFactory
from klaster.trackrecord import selectors
from klaster.trackrecord.models import Cooperation

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation_c(db):
    return OrganisationFactory(name="Gamma Instytut")


@pytest.fixture
def editor_c(organisation_c):
    return UserFactory(username="redaktor_c", role="member_editor", organisation=organisation_c)


def _record_public(client, own, other, notes="Strategic agreement"):
    return client.post(
        "/trackrecord/cooperation/new/",
        {
            "kind": "agreement",
            "date": "2025-06-01",
            "organisation_a": own.pk,
            "organisation_b": other.pk,
            "notes": notes,
            "visibility": "public",
        },
    )


def _publicly_listed(notes: str) -> bool:
    return selectors.cooperations_list(user=AnonymousUser()).filter(notes=notes).exists()


def test_public_entry_by_a_member_waits_for_the_other_party(
    editor_a, organisation_a, organisation_b, client_for, investor
):
    _record_public(client_for(editor_a), organisation_a, organisation_b)

    entry = Cooperation.objects.get()
    assert entry.confirmation == Cooperation.Confirmation.PENDING
    assert entry.awaiting_organisation == organisation_b
    assert not _publicly_listed("Strategic agreement")
    assert not selectors.cooperations_list(user=investor).exists()
    api = Client().get("/api/trackrecord/cooperation").json()
    assert api == []
    # the recording party still sees its own entry, marked as waiting
    page = client_for(editor_a).get("/trackrecord/cooperation/").content.decode()
    assert "Strategic agreement" in page
    assert 'data-testid="confirmation"' in page


def test_other_party_confirms_and_the_entry_becomes_public(
    editor_a, editor_b, organisation_a, organisation_b, client_for
):
    _record_public(client_for(editor_a), organisation_a, organisation_b)
    entry = Cooperation.objects.get()

    response = client_for(editor_b).post(
        f"/trackrecord/cooperation/{entry.pk}/confirm/", {"decision": "confirm"}
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.confirmation == Cooperation.Confirmation.CONFIRMED
    assert entry.confirmed_by == editor_b
    assert _publicly_listed("Strategic agreement")
    assert Client().get("/api/trackrecord/cooperation").json()[0]["confirmation"] == "confirmed"


def test_other_party_declines_and_the_entry_stays_hidden(
    editor_a, editor_b, organisation_a, organisation_b, client_for
):
    _record_public(client_for(editor_a), organisation_a, organisation_b)
    entry = Cooperation.objects.get()

    client_for(editor_b).post(
        f"/trackrecord/cooperation/{entry.pk}/confirm/", {"decision": "decline"}
    )

    entry.refresh_from_db()
    assert entry.confirmation == Cooperation.Confirmation.DECLINED
    assert not _publicly_listed("Strategic agreement")


def test_recording_party_cannot_confirm_its_own_claim(
    editor_a, organisation_a, organisation_b, client_for
):
    _record_public(client_for(editor_a), organisation_a, organisation_b)
    entry = Cooperation.objects.get()

    response = client_for(editor_a).post(
        f"/trackrecord/cooperation/{entry.pk}/confirm/", {"decision": "confirm"}
    )

    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.confirmation == Cooperation.Confirmation.PENDING


def test_outsider_cannot_confirm(editor_a, editor_c, organisation_a, organisation_b, client_for):
    _record_public(client_for(editor_a), organisation_a, organisation_b)
    entry = Cooperation.objects.get()

    response = client_for(editor_c).post(
        f"/trackrecord/cooperation/{entry.pk}/confirm/", {"decision": "confirm"}
    )

    assert response.status_code in (403, 404)
    entry.refresh_from_db()
    assert entry.confirmation == Cooperation.Confirmation.PENDING


def test_staff_may_confirm_directly(
    editor_a, organisation_a, organisation_b, coordinator, client_for
):
    _record_public(client_for(editor_a), organisation_a, organisation_b)
    entry = Cooperation.objects.get()

    client_for(coordinator).post(
        f"/trackrecord/cooperation/{entry.pk}/confirm/", {"decision": "confirm"}
    )

    entry.refresh_from_db()
    assert entry.confirmation == Cooperation.Confirmation.CONFIRMED
    assert entry.confirmed_by == coordinator


def test_public_entry_recorded_by_staff_is_public_at_once(
    coordinator, organisation_a, organisation_b, client_for
):
    _record_public(client_for(coordinator), organisation_a, organisation_b)
    assert Cooperation.objects.get().confirmation == Cooperation.Confirmation.CONFIRMED
    assert _publicly_listed("Strategic agreement")


def test_member_changing_a_confirmed_entry_asks_the_other_party_again(
    editor_a, editor_b, organisation_a, organisation_b, client_for
):
    _record_public(client_for(editor_a), organisation_a, organisation_b)
    entry = Cooperation.objects.get()
    client_for(editor_b).post(
        f"/trackrecord/cooperation/{entry.pk}/confirm/", {"decision": "confirm"}
    )

    client_for(editor_a).post(
        f"/trackrecord/cooperation/{entry.pk}/",
        {
            "kind": "agreement",
            "date": "2025-06-01",
            "organisation_a": organisation_a.pk,
            "organisation_b": organisation_b.pk,
            "notes": "Exclusive strategic partnership",
            "visibility": "public",
        },
    )

    entry.refresh_from_db()
    assert entry.confirmation == Cooperation.Confirmation.PENDING
    assert not _publicly_listed("Exclusive strategic partnership")


def test_pending_entry_is_no_public_tie_in_the_network(
    editor_a, editor_b, organisation_a, organisation_b, client_for
):
    for organisation in (organisation_a, organisation_b):
        Membership.objects.create(organisation=organisation, status=Membership.Status.ACTIVE)
    _record_public(client_for(editor_a), organisation_a, organisation_b)

    data = selectors.network_data()
    assert data.ties == []
    assert len(data.private_ties) == 1  # the two parties still see it on their map

    entry = Cooperation.objects.get()
    client_for(editor_b).post(
        f"/trackrecord/cooperation/{entry.pk}/confirm/", {"decision": "confirm"}
    )
    assert len(selectors.network_data().ties) == 1


def test_declined_choice_must_be_explicit(
    editor_a, editor_b, organisation_a, organisation_b, client_for
):
    _record_public(client_for(editor_a), organisation_a, organisation_b)
    entry = Cooperation.objects.get()
    client_for(editor_b).post(f"/trackrecord/cooperation/{entry.pk}/confirm/", {})
    entry.refresh_from_db()
    assert entry.confirmation == Cooperation.Confirmation.PENDING


def _confirm_through_api(client, user, entry_id, confirm=True):
    from klaster.accounts.services import api_token_create

    _token, key = api_token_create(user=user, name="t")
    return client.post(
        f"/api/trackrecord/cooperation/{entry_id}/confirmation",
        data=json.dumps({"confirm": confirm}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def test_other_party_confirms_through_the_api(
    editor_a, editor_b, organisation_a, organisation_b, client_for, client
):
    _record_public(client_for(editor_a), organisation_a, organisation_b)
    entry = Cooperation.objects.get()

    assert _confirm_through_api(client, editor_a, entry.pk).status_code == 403  # the author
    response = _confirm_through_api(client, editor_b, entry.pk)

    assert response.status_code == 200
    assert response.json()["confirmation"] == "confirmed"


def test_outsider_gets_404_from_the_api_for_a_pending_entry(
    editor_a, editor_c, organisation_a, organisation_b, client_for, client
):
    _record_public(client_for(editor_a), organisation_a, organisation_b)
    entry = Cooperation.objects.get()
    assert _confirm_through_api(client, editor_c, entry.pk).status_code == 404
    entry.refresh_from_db()
    assert entry.confirmation == Cooperation.Confirmation.PENDING
