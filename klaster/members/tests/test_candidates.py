"""A candidate (membership not yet accepted) keeps a draft: no publishing, no public claims."""

import json

import pytest
from django.urls import reverse

from klaster.accounts.models import User
from klaster.accounts.services import api_token_create
from klaster.members.models import Membership, Organisation
from klaster.members.tests.factories import OrganisationFactory, UserFactory
from klaster.members.tests.test_membership_journey import application
from klaster.trackrecord.models import Cooperation

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(db):
    organisation = OrganisationFactory(name="Kandydat Wodór sp. z o.o.", is_published=False)
    Membership.objects.create(organisation=organisation, status=Membership.Status.CANDIDATE)
    return UserFactory(username="kandydat", role=User.Role.MEMBER_EDITOR, organisation=organisation)


def _edit_data(organisation: Organisation, **changes) -> dict:
    data = {
        "name": organisation.name,
        "nip": organisation.nip,
        "country": "PL",
        "city": organisation.city,
        "description_pl": "Nowy opis.",
    }
    data.update(changes)
    return data


def test_candidate_who_joined_is_signed_in_but_not_offered_publishing(client):
    client.post(reverse("members:join"), application())
    organisation = Organisation.objects.get(name="Wodorowe Mazowsze sp. z o.o.")

    page = client.get(reverse("members:edit", args=[organisation.pk]))

    assert page.status_code == 200
    assert "is_published" not in page.context["form"].fields
    assert 'data-testid="candidate-notice"' in page.content.decode()


def test_candidate_cannot_publish_the_profile_through_the_form(candidate, client_for):
    organisation = candidate.organisation
    response = client_for(candidate).post(
        reverse("members:edit", args=[organisation.pk]),
        _edit_data(organisation, is_published="on"),
    )

    assert response.status_code == 302  # the draft is saved ...
    organisation.refresh_from_db()
    assert organisation.description_pl == "Nowy opis."
    assert organisation.is_published is False  # ... but stays out of the directory


def test_candidate_cannot_publish_the_profile_through_the_api(candidate, client):
    _token, key = api_token_create(user=candidate, name="t")
    response = client.patch(
        f"/api/organisations/{candidate.organisation_id}",
        data=json.dumps({"is_published": True}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )

    assert response.status_code == 403
    assert "is_published" in response.json()["detail"]
    candidate.organisation.refresh_from_db()
    assert candidate.organisation.is_published is False


def test_accepted_member_may_still_hide_and_publish_its_profile(editor_a, client_for):
    organisation = editor_a.organisation
    client_for(editor_a).post(
        reverse("members:edit", args=[organisation.pk]), _edit_data(organisation)
    )
    organisation.refresh_from_db()
    assert organisation.is_published is False  # the unticked box took it out


def test_staff_acceptance_publishes_the_candidate(candidate, client_for, coordinator):
    client_for(coordinator).post(
        reverse("members:candidate_decide", args=[candidate.organisation_id]),
        {"decision": "accept"},
    )
    candidate.organisation.refresh_from_db()
    assert candidate.organisation.is_published is True
    # and from then on the member decides itself
    page = client_for(candidate).get(reverse("members:edit", args=[candidate.organisation_id]))
    assert "is_published" in page.context["form"].fields


def test_candidate_cannot_post_a_public_cooperation_entry(candidate, organisation_b, client_for):
    response = client_for(candidate).post(
        "/trackrecord/cooperation/new/",
        {
            "kind": "agreement",
            "date": "2025-06-01",
            "organisation_a": candidate.organisation_id,
            "organisation_b": organisation_b.pk,
            "notes": "Strategic agreement",
            "visibility": "public",
        },
    )

    assert response.status_code == 200
    assert "private" in response.content.decode().lower() or "prywatn" in response.content.decode()
    assert not Cooperation.objects.exists()


def test_candidate_cannot_post_a_public_cooperation_entry_through_the_api(
    candidate, organisation_b, client
):
    _token, key = api_token_create(user=candidate, name="t")
    response = client.post(
        "/api/trackrecord/cooperation",
        data=json.dumps(
            {
                "kind": "agreement",
                "date": "2025-06-01",
                "organisation_a": candidate.organisation_id,
                "organisation_b": organisation_b.pk,
                "visibility": "public",
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )

    assert response.status_code == 403
    assert not Cooperation.objects.exists()


def test_candidate_may_record_private_cooperation(candidate, organisation_b, client_for):
    response = client_for(candidate).post(
        "/trackrecord/cooperation/new/",
        {
            "kind": "meeting",
            "date": "2025-06-01",
            "organisation_a": candidate.organisation_id,
            "organisation_b": organisation_b.pk,
            "visibility": "private",
        },
    )
    assert response.status_code == 302
    assert Cooperation.objects.get().visibility == "private"
