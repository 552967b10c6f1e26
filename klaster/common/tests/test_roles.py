"""Who a user is in the cluster, asked the same way by every app (klaster.common.roles)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from klaster.common import roles

PERSONAS = ("coordinator", "editor_a", "investor", "visitor")


@pytest.fixture
def visitor():
    """Someone not signed in (the project's `anonymous` persona is a test client)."""
    return AnonymousUser()


def _answers(request, question) -> dict[str, bool]:
    return {name: question(request.getfixturevalue(name)) for name in PERSONAS}


@pytest.mark.django_db
def test_only_coordinator_staff_are_cluster_staff(request):
    assert _answers(request, roles.is_cluster_staff) == {
        "coordinator": True,
        "editor_a": False,
        "investor": False,
        "visitor": False,
    }


@pytest.mark.django_db
def test_an_inactive_coordinator_is_no_staff(coordinator):
    coordinator.is_active = False
    assert not roles.is_cluster_staff(coordinator)


@pytest.mark.django_db
def test_staff_and_investors_see_every_member(request):
    assert _answers(request, roles.sees_every_member) == {
        "coordinator": True,
        "editor_a": False,
        "investor": True,
        "visitor": False,
    }


@pytest.mark.django_db
def test_staff_and_member_editors_may_create_a_consortium_idea(request):
    assert _answers(request, roles.can_create_idea) == {
        "coordinator": True,
        "editor_a": True,
        "investor": False,
        "visitor": False,
    }


@pytest.mark.django_db
def test_an_editor_edits_for_their_own_organisation_only(
    editor_a, coordinator, visitor, organisation_a, organisation_b
):
    assert roles.is_editor_of(editor_a, organisation_a.pk)
    assert not roles.is_editor_of(editor_a, organisation_b.pk)
    assert not roles.is_editor_of(editor_a, None)
    assert not roles.is_editor_of(coordinator, organisation_a.pk)  # staff are not its editors
    assert not roles.is_editor_of(visitor, organisation_a.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor_a", "investor", "visitor"])
def test_require_cluster_staff_refuses_everybody_else(request, persona):
    page = RequestFactory().get("/")
    page.user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied, match="Only coordinator staff manage events."):
        roles.require_cluster_staff(page, "Only coordinator staff manage events.")


@pytest.mark.django_db
def test_require_cluster_staff_lets_staff_through(coordinator):
    page = RequestFactory().get("/")
    page.user = coordinator
    assert roles.require_cluster_staff(page) is None
