"""A `next` from a request never sends a visitor to another site."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from klaster.common.redirects import next_or
from klaster.members.models import FeePayment
from klaster.members.tests.factories import MembershipFactory

OFF_SITE = [
    "https://evil.example/login",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http://testserver.evil.example/",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_naming_another_site_falls_back_to_our_page(target):
    request = RequestFactory().post("/", {"next": target})
    assert next_or(request, "/members/fees/") == "/members/fees/"


def test_next_on_this_site_is_kept_with_its_query():
    request = RequestFactory().get("/", {"next": "/members/fees/?year=2026"})
    assert next_or(request, "portal:home") == "/members/fees/?year=2026"


def test_plain_http_next_is_refused_on_an_https_request():
    request = RequestFactory().post("/", {"next": "http://testserver/members/"}, secure=True)
    assert next_or(request, "portal:home") == reverse("portal:home")


@pytest.fixture
def fee(db):
    return FeePayment.objects.create(
        membership=MembershipFactory(),
        year=2026,
        amount=2400,
        due_on=datetime.date(2026, 12, 31),
    )


def test_recording_a_fee_payment_does_not_redirect_off_site(client_for, coordinator, fee):
    response = client_for(coordinator).post(
        reverse("members:fee_paid", args=[fee.pk]),
        {"paid_on": "2026-06-01", "reference": "FV/1", "next": "https://evil.example"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:fees")
    fee.refresh_from_db()
    assert fee.paid_on == datetime.date(2026, 6, 1)


def test_recording_a_fee_payment_returns_to_the_filtered_fee_list(client_for, coordinator, fee):
    back = reverse("members:fees") + "?year=2026"
    response = client_for(coordinator).post(
        reverse("members:fee_paid", args=[fee.pk]),
        {"paid_on": "2026-06-01", "reference": "FV/1", "next": back},
    )
    assert response["Location"] == back


def test_rebuilding_the_partner_index_does_not_redirect_off_site(
    client_for, coordinator, monkeypatch
):
    from klaster.partners import services

    monkeypatch.setattr(services, "engine_build_start", lambda **kwargs: None)
    response = client_for(coordinator).post(
        reverse("partners:rebuild"), {"next": "/\\evil.example"}
    )
    assert response["Location"] == reverse("partners:find")
