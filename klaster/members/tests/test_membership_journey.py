"""A new member applies (NIP checked), staff accept, the fee is issued and paid, and the
organisation appears in the public directory."""

import datetime

import pytest
from django.urls import reverse

from klaster.members.models import FeePayment, Membership, MembershipTier, Organisation
from klaster.members.tests.factories import valid_nip

pytestmark = pytest.mark.django_db


def application(**changes) -> dict:
    data = {
        "name": "Wodorowe Mazowsze sp. z o.o.",
        "kind": "enterprise",
        "enterprise_size": "micro",
        "nip": valid_nip(4242),
        "city": "Radom",
        "voivodeship": "mazowieckie",
        "description_pl": "Magazyny energii i elektrolizery dla gmin.",
        "sectors": [],
        "competence_tags": "wodór, magazynowanie energii",
        "first_name": "Ola",
        "last_name": "Wiśniewska",
        "email": "ola@example.org",
        "username": "ola",
        "password": "mazowieckie-wodory-2026",
        "consent": "on",
    }
    data.update(changes)
    return data


def test_application_with_wrong_nip_is_refused_with_reason(client):
    nip = valid_nip(4242)
    wrong = nip[:-1] + str((int(nip[-1]) + 3) % 10)
    response = client.post(reverse("members:join"), application(nip=wrong))
    assert response.status_code == 200
    assert "NIP" in response.content.decode()
    assert not Organisation.objects.filter(name="Wodorowe Mazowsze sp. z o.o.").exists()


def test_application_without_consent_is_refused(client):
    data = application()
    del data["consent"]
    assert client.post(reverse("members:join"), data).status_code == 200
    assert not Organisation.objects.exists()


def test_application_with_already_registered_nip_is_refused(client, organisation_a):
    response = client.post(reverse("members:join"), application(nip=organisation_a.nip))
    assert response.status_code == 200
    assert Organisation.objects.count() == 1


def test_new_member_applies_is_accepted_pays_and_appears_in_directory(
    client, client_for, coordinator
):
    response = client.post(reverse("members:join"), application())
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Wodorowe Mazowsze sp. z o.o.")
    assert organisation.membership.status == Membership.Status.CANDIDATE
    assert organisation.is_published is False
    assert organisation.people.get().has_valid_consent
    assert {c.name for c in organisation.competences.all()} == {"wodór", "magazynowanie energii"}
    # the applicant is signed in as the organisation's editor
    assert client.get(reverse("members:edit", args=[organisation.pk])).status_code == 200
    from django.test import Client

    assert (
        "Wodorowe"
        not in Client().get(reverse("members:directory"), {"q": "wodorowe"}).content.decode()
    )

    staff = client_for(coordinator)
    assert "Wodorowe Mazowsze" in staff.get(reverse("members:candidates")).content.decode()
    tier = MembershipTier.objects.order_by("annual_fee").first()
    staff.post(
        reverse("members:candidate_decide", args=[organisation.pk]),
        {"decision": "accept", "tier": tier.pk},
    )
    organisation.refresh_from_db()
    assert organisation.membership.status == Membership.Status.ACTIVE
    assert organisation.membership.joined_on is not None
    assert organisation.is_published

    year = datetime.date.today().year
    staff.post(reverse("members:fees"), {"year": year, "due_on": f"{year}-12-31"})
    fee = FeePayment.objects.get(membership__organisation=organisation, year=year)
    assert fee.amount == tier.annual_fee
    staff.post(
        reverse("members:fee_paid", args=[fee.pk]),
        {"paid_on": f"{year}-06-01", "reference": "FV/1"},
    )
    fee.refresh_from_db()
    assert fee.paid_on == datetime.date(year, 6, 1)

    directory = Client().get(reverse("members:directory"), {"q": "wodorowe"}).content.decode()
    assert "Wodorowe Mazowsze" in directory


def test_staff_reject_application_removes_it(client, client_for, coordinator):
    client.post(reverse("members:join"), application())
    organisation = Organisation.objects.get()
    client_for(coordinator).post(
        reverse("members:candidate_decide", args=[organisation.pk]), {"decision": "reject"}
    )
    assert not Organisation.objects.exists()


def test_members_cannot_decide_on_applications(client, client_for, editor_b):
    client.post(reverse("members:join"), application())
    organisation = Organisation.objects.get(name="Wodorowe Mazowsze sp. z o.o.")
    response = client_for(editor_b).post(
        reverse("members:candidate_decide", args=[organisation.pk]), {"decision": "accept"}
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.membership.status == Membership.Status.CANDIDATE
