"""The network figures are heavy: computed once per data version, scope and filters, by the
task worker, never again for the same data, and again as soon as the data changes."""

import pytest

from klaster.members.tests.factories import MembershipFactory, OrganisationFactory
from klaster.trackrecord import selectors
from klaster.trackrecord.models import Cooperation

pytestmark = pytest.mark.django_db

SUMMARY = "/trackrecord/network/summary/"


@pytest.fixture
def members(organisation_a, organisation_b):
    """Two members who met, and a third who met the second privately."""
    organisation_c = OrganisationFactory(name="Gamma Dane sp. z o.o.")
    for organisation in (organisation_a, organisation_b, organisation_c):
        MembershipFactory(organisation=organisation)
    Cooperation.objects.create(
        kind="meeting",
        date="2025-01-01",
        organisation_a=organisation_a,
        organisation_b=organisation_b,
        visibility="public",
    )
    Cooperation.objects.create(
        kind="meeting",
        date="2025-02-01",
        organisation_a=organisation_b,
        organisation_b=organisation_c,
        visibility="private",
    )
    return organisation_a, organisation_b, organisation_c


@pytest.fixture
def computations(monkeypatch):
    """Counts the heavy computations (and still does them)."""
    calls = []
    compute = selectors._network_summary_compute

    def counting(**kwargs):
        calls.append(kwargs["filters"])
        return compute(**kwargs)

    monkeypatch.setattr(selectors, "_network_summary_compute", counting)
    return calls


def test_second_request_for_the_same_figures_does_no_heavy_computation(
    members, coordinator, client_for, computations
):
    client = client_for(coordinator)

    first = client.get(SUMMARY + "?min_shared=1&group=industry")
    second = client.get(SUMMARY + "?min_shared=1&group=industry")

    assert first.status_code == second.status_code == 200
    assert len(computations) == 1
    assert second.context["summary"] == first.context["summary"]


def test_other_filters_are_computed_on_their_own(members, coordinator, client_for, computations):
    client = client_for(coordinator)

    client.get(SUMMARY + "?min_shared=1")
    client.get(SUMMARY + "?min_shared=1&year_from=2025")

    assert len(computations) == 2


# Real commits: the version moves on when the write's transaction commits.
@pytest.mark.django_db(transaction=True)
def test_renaming_a_member_recomputes_the_figures(members, coordinator, client_for, computations):
    client = client_for(coordinator)
    client.get(SUMMARY + "?min_shared=1")
    organisation_a = members[0]

    organisation_a.name = "Alfa Nowa Energia sp. z o.o."
    organisation_a.save()
    client.get(SUMMARY + "?min_shared=1")

    assert len(computations) == 2


@pytest.mark.django_db(transaction=True)
def test_hiding_a_cooperation_entry_recomputes_the_figures(
    members, coordinator, client_for, computations
):
    client = client_for(coordinator)
    client.get(SUMMARY + "?min_shared=1")
    entry = Cooperation.objects.get(visibility="public")

    entry.visibility = "private"
    entry.save()
    client.get(SUMMARY + "?min_shared=1")

    assert len(computations) == 2


def test_bulk_created_cooperation_recomputes_the_figures_without_signals(
    members, coordinator, client_for, computations
):
    client = client_for(coordinator)
    client.get(SUMMARY + "?min_shared=1")
    organisation_a, _, organisation_c = members

    Cooperation.objects.bulk_create(
        [
            Cooperation(
                kind="meeting",
                date="2025-03-01",
                organisation_a=organisation_a,
                organisation_b=organisation_c,
                visibility="public",
            )
        ]
    )
    after = client.get(SUMMARY + "?min_shared=1")

    assert len(computations) == 2
    assert after.context["summary"]["ties"] == 3


def test_figures_cached_for_staff_are_not_shown_to_a_member_editor(
    members, coordinator, editor_a, client_for, computations
):
    staff = client_for(coordinator).get(SUMMARY + "?min_shared=1")
    editor = client_for(editor_a).get(SUMMARY + "?min_shared=1")

    assert len(computations) == 2
    # The private meeting of the other two members counts for staff only.
    assert staff.context["summary"]["ties"] == 2
    assert editor.context["summary"]["ties"] == 1


def test_page_queues_the_computation_for_the_task_worker_once_per_person(
    members, editor_a, client_for, monkeypatch, computations
):
    queued = []
    monkeypatch.setattr(
        "klaster.trackrecord.tasks.network_summary_compute", lambda *args: queued.append(args)
    )
    client = client_for(editor_a)

    first = client.get(SUMMARY + "?min_shared=1")
    again = client.get(SUMMARY + "?min_shared=1")
    other_filters = client.get(SUMMARY + "?min_shared=2")

    assert len(queued) == 1 and computations == []  # the web request computed nothing
    for page in (first, again, other_filters):
        assert page.status_code == 200
        assert 'hx-trigger="load delay:2s"' in page.content.decode()  # it asks again
    assert f'hx-get="{SUMMARY}?min_shared=1"' in first.content.decode()

    user_id, filters, key = queued[0]
    selectors.network_summary_computed(user_id=user_id, filters=filters, key=key)
    ready = client.get(SUMMARY + "?min_shared=1")
    client.get(SUMMARY + "?min_shared=2")  # the person's turn again: queued now

    assert ready.context["summary"]["members"] == 3
    assert len(computations) == 1
    assert len(queued) == 2


def test_api_summary_is_cached_and_accepts_only_the_page_choices(
    members, coordinator, client_for, computations
):
    client = client_for(coordinator)

    first = client.get("/api/trackrecord/network/summary?min_shared=3")
    again = client.get("/api/trackrecord/network/summary?min_shared=3")
    beyond = client.get("/api/trackrecord/network/summary?min_shared=6")

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert len(computations) == 1
    assert beyond.status_code == 422
