"""Scheduling a brokerage day holds no transaction while the solver searches: other writes go on
meanwhile, and a schedule solved from a day that changed since is solved again or not saved."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from klaster.common.concurrency import held_before_write
from klaster.events import services
from klaster.events.models import Event, Meeting, MeetingRequest
from klaster.events.tests.factories import (
    EventFactory,
    MeetingRequestFactory,
    RegistrationFactory,
)


def _accepted(a, b):
    return MeetingRequestFactory(sender=a, recipient=b, status=MeetingRequest.Status.ACCEPTED)


def _day():
    """Four participants, each asked by the next one: four requests, room for all of them."""
    event = EventFactory(slot_count=4, table_count=2)
    people = [RegistrationFactory(event=event) for _ in range(4)]
    for sender, recipient in zip(people, people[1:] + people[:1], strict=True):
        _accepted(sender, recipient)
    return event, people


def _meetings(event) -> set[tuple[int, int, int, int]]:
    return set(Meeting.objects.filter(event=event).values_list("a_id", "b_id", "slot", "table"))


@pytest.mark.django_db(transaction=True)
def test_other_writes_commit_while_a_schedule_is_being_solved(coordinator):
    # Given a day with accepted requests, scheduled in another thread held once solved
    event, people = _day()
    seen: dict = {}

    def schedule(before_write):
        def hook():
            before_write()
            # What the others wrote is visible to this connection: it was committed.
            seen["title"] = Event.objects.get(pk=event.pk).title
            seen["pending"] = MeetingRequest.objects.filter(status="pending").count()

        return services.event_schedule(
            event=event, user=coordinator, time_limit=2, before_write=hook
        )

    with held_before_write(schedule) as run:
        # When the organiser renames the event and a participant sends a new request meanwhile
        services.event_update(event=event, user=coordinator, data={"title": "Renamed day"})
        services.meeting_request_create(sender=people[0], recipient=people[2], message="Hi")
        # Then both are written while the schedule still waits to be saved
        assert run.waiting and not Meeting.objects.exists()

    assert run.in_transaction == [False]
    assert seen == {"title": "Renamed day", "pending": 1}
    # Neither write touched what the schedule depends on, so it is saved as solved.
    assert run.result.meetings == 4
    assert len(_meetings(event)) == 4
    assert Event.objects.get(pk=event.pk).scheduled_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_during_the_solve_makes_the_day_be_solved_again(coordinator):
    # Given a day whose first participant cancels while the first schedule is being solved
    event, people = _day()
    cancelled = people[0]
    calls = []

    def cancel_once():
        calls.append(connection.in_atomic_block)
        if len(calls) == 1:
            services.registration_cancel(registration=cancelled)

    # When the day is scheduled
    outcome = services.event_schedule(
        event=event, user=coordinator, time_limit=1, before_write=cancel_once
    )

    # Then the first solution was thrown away and the day solved again without them
    assert calls == [False, False]
    rows = _meetings(event)
    assert outcome.meetings == len(rows) == 2
    assert all(cancelled.pk not in (a, b) for a, b, _slot, _table in rows)


def test_a_day_that_keeps_changing_is_not_saved_and_nothing_is_half_written(coordinator):
    # Given a day scheduled once already
    event, people = _day()
    services.event_schedule(event=event, user=coordinator, time_limit=1)
    event.refresh_from_db()
    before = _meetings(event)
    scheduled_at = event.scheduled_at
    newcomers = iter([RegistrationFactory(event=event) for _ in range(services.SCHEDULE_ATTEMPTS)])

    def new_acceptance():
        # Every time a solution is ready, someone new has accepted a request.
        _accepted(next(newcomers), people[1])

    # When the day changes during every attempt
    with pytest.raises(ValidationError) as refusal:
        services.event_schedule(
            event=event, user=coordinator, time_limit=1, before_write=new_acceptance
        )
    assert refusal.value.code == "schedule_changed"

    # Then the earlier schedule stands untouched
    event.refresh_from_db()
    assert _meetings(event) == before
    assert event.scheduled_at == scheduled_at
    assert Meeting.objects.filter(event=event).count() == len(before)


def test_schedule_refuses_to_start_inside_a_callers_transaction(coordinator):
    """A caller that wraps scheduling in `transaction.atomic` would hold its transaction (and
    on SQLite the whole database) for the solver's seconds: it is told so before any solving."""
    event, _people = _day()
    solved = []
    with pytest.raises(RuntimeError), transaction.atomic():
        services.event_schedule(
            event=event, user=coordinator, time_limit=1, before_write=lambda: solved.append(1)
        )
    assert solved == [] and not Meeting.objects.filter(event=event).exists()
