"""The hot pages ask the database a fixed number of questions, however much data they show
(Zulip's query-count tests): each page is measured with N rows and again with 3N, and the two
counts must be equal, and under a ceiling that catches a new query slipping in."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klaster.calls.models import Call
from klaster.events.models import MeetingRequest
from klaster.events.tests.factories import EventFactory, MeetingRequestFactory, RegistrationFactory
from klaster.members.models import Competence, Sector
from klaster.members.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory
from klaster.partners import serving
from klaster.partners.tests.conftest import partner_engine_sandbox  # noqa: F401 (a fixture)
from klaster.partners.tests.trackrecord_rows import make_track_record, pic_of
from klaster.trackrecord.models import CordisOrganisation, CordisParticipation, CordisProject

pytestmark = pytest.mark.django_db

N = 2
serial = itertools.count(1)


def queries_of(client, url: str, data: dict | None = None) -> tuple[int, str]:
    """The queries of one GET of a page, after one GET that warms caches and the session;
    and the page."""
    client.get(url, data)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def member(**fields):
    """An active member with sectors, competences and a contact person."""
    number = next(serial)
    organisation = OrganisationFactory(**fields)
    MembershipFactory(organisation=organisation)
    organisation.sectors.set(Sector.objects.all()[:2])
    organisation.competences.add(
        Competence.objects.create(name=f"energy storage {number}", slug=f"energy-storage-{number}"),
        Competence.objects.create(name=f"smart grids {number}", slug=f"smart-grids-{number}"),
    )
    PersonFactory(organisation=organisation)
    return organisation


def cordis_project(*participants: CordisOrganisation, title: str) -> CordisProject:
    number = next(serial)
    project = CordisProject.objects.create(
        project_id=str(900000 + number), programme="HORIZON", acronym=f"QC{number}",
        title=f"{title} {number}", objective=f"{title}: batteries and smart grids.",
        start_date=datetime.date(2023, 1 + number % 12, 1), checksum="test",
    )  # fmt: skip
    for order, record in enumerate(participants, start=1):
        CordisParticipation.objects.create(
            project=project, cordis_organisation=record, order=order, country=record.country,
            role="coordinator" if order == 1 else "participant", checksum="test",
        )  # fmt: skip
    return project


def cordis_record(organisation=None) -> CordisOrganisation:
    number = next(serial)
    return CordisOrganisation.objects.create(
        pic=f"{880000000 + number}", name=f"Record {number}", country="DE",
        organisation=organisation, checksum="test",
    )  # fmt: skip


@pytest.fixture
def same_count_with_three_times_the_data(django_assert_max_num_queries, client_for):
    """Grow the data to N, measure a page as `user` sees it; grow to 3N, measure again: the
    counts must be equal, and at most `ceiling`. `grow(n)` adds n rows and returns texts the
    page must then show (so that the page measured really lists them)."""

    def measure(user, url, grow, data=None, *, ceiling: int) -> int:
        client = client_for(user)
        shown = grow(N)
        small, _page = queries_of(client, url, data)
        shown += grow(2 * N)
        large, page = queries_of(client, url, data)
        missing = [text for text in shown if text not in page]
        assert not missing, f"{url} does not show {missing}: not a page of 3N rows"
        assert small == large, f"{url}: {small} queries with N, {large} with 3N"
        with django_assert_max_num_queries(ceiling):
            client.get(url, data)
        return large

    return measure


def test_directory_queries_do_not_grow_with_members(
    same_count_with_three_times_the_data, coordinator
):
    same_count_with_three_times_the_data(
        coordinator,
        reverse("members:directory"),
        lambda n: [member().name for _ in range(n)],
        ceiling=10,
    )


def test_organisation_profile_queries_do_not_grow_with_projects_or_people(
    same_count_with_three_times_the_data, coordinator
):
    organisation = member()
    own = cordis_record(organisation)

    def grow(n):
        shown = []
        for _ in range(n):
            project = cordis_project(
                own, cordis_record(), cordis_record(member()), title="Grid storage"
            )
            shown += [project.acronym, PersonFactory(organisation=organisation).last_name]
        return shown

    same_count_with_three_times_the_data(
        coordinator, reverse("members:detail", args=[organisation.pk]), grow, ceiling=13
    )


def test_funding_call_page_queries_do_not_grow_with_members_and_their_projects(
    same_count_with_three_times_the_data, editor_a
):
    call = Call.objects.create(
        identifier="HORIZON-CL5-2027-D3-01",
        title="Energy storage for smart grids",
        keywords="batteries, smart grids",
        description="Batteries and energy storage integrated in smart grids.",
        deadline=timezone.localdate() + datetime.timedelta(days=60),
    )
    call.sectors.set(Sector.objects.all()[:2])

    def grow(n):
        shown = []
        for _ in range(n):
            organisation = member(competences_text="batteries, energy storage")
            cordis_project(cordis_record(organisation), cordis_record(), title="Battery storage")
            shown.append(organisation.name)
        return shown

    same_count_with_three_times_the_data(
        editor_a, reverse("calls:detail", args=[call.pk]), grow, ceiling=11
    )


def test_event_management_queries_do_not_grow_with_registrations_and_requests(
    same_count_with_three_times_the_data, coordinator
):
    from klaster.events import services

    event = EventFactory(slot_count=6, table_count=10)
    sectors = list(Sector.objects.all()[:2])

    def grow(n):
        shown = []
        for _ in range(n):
            a, b, c = (RegistrationFactory(event=event) for _ in range(3))
            for registration in (a, b, c):
                registration.sectors.set(sectors)
            MeetingRequestFactory(sender=a, recipient=b, status=MeetingRequest.Status.ACCEPTED)
            MeetingRequestFactory(sender=c, recipient=a)  # pending
            # Unavailable all day: this one is accepted but stays unscheduled.
            c.unavailable_slots = list(range(event.slot_count))
            c.save()
            MeetingRequestFactory(sender=b, recipient=c, status=MeetingRequest.Status.ACCEPTED)
            shown += [a.name, b.name, c.name]
        services.event_schedule(event=event, user=coordinator, time_limit=1)
        return shown

    same_count_with_three_times_the_data(
        coordinator, reverse("events:manage", args=[event.pk]), grow, ceiling=21
    )


@pytest.mark.usefixtures("partner_engine_sandbox")
def test_find_partners_queries_do_not_grow_with_linked_members(
    same_count_with_three_times_the_data, editor_a
):
    make_track_record(months=12)
    serving.build_recommender_now()
    space = iter(range(3 * N))

    def grow(n):
        # More of the space organisations turn out to be cluster members, shown as such.
        shown = []
        for _ in range(n):
            organisation = member()
            CordisOrganisation.objects.filter(pic=pic_of("space", next(space))).update(
                organisation=organisation
            )
            shown.append(organisation.name)
        return shown

    idea = {
        "title": "Satellite earth observation for crop monitoring",
        "objective": "Remote sensing data from satellites to monitor agriculture.",
        "keywords": "earth observation, satellite",
    }
    same_count_with_three_times_the_data(editor_a, reverse("partners:find"), grow, idea, ceiling=26)
