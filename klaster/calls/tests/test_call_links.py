import pytest
from django.urls import reverse

from klaster.calls.models import Call

pytestmark = pytest.mark.django_db


def test_signed_in_member_can_go_from_a_call_to_partner_search(client_for, editor_a):
    call = Call.objects.create(identifier="HORIZON-CL5-2026-D3-01", title="Wind energy")
    page = client_for(editor_a).get(reverse("calls:detail", args=[call.pk])).content.decode()
    assert f"{reverse('partners:find')}?call={call.pk}" in page


def test_anonymous_visitor_sees_no_partner_search_link(client):
    call = Call.objects.create(identifier="HORIZON-CL5-2026-D3-02", title="Solar")
    page = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
    assert reverse("partners:find") not in page
