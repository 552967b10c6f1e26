"""What makes a brokerage-day instance impossible to schedule as given.

Requests are judged leniently (a request to oneself or to someone who is not registered is
simply left unscheduled with a reason), but the frame of the day and the locked meetings must
hold together: a locked meeting has been announced, so if it breaks a rule the organiser has
to fix it, not the scheduler.
"""

from __future__ import annotations

from collections import Counter
from numbers import Real

from klaster.core.schedule.records import Instance


class InstanceError(ValueError):
    """An instance that cannot be scheduled; `problems` names each field that is wrong."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def instance_problems(instance: Instance) -> list[str]:
    """List what is wrong with `instance`, each problem naming its field; empty when valid.

    Examples
    --------
    >>> from klaster.core.schedule.records import Instance, Participant
    >>> instance_problems(Instance(slots=2, tables=1, requests=(),
    ...     participants=(Participant("p1", frozenset({0, 5})),)))
    ['participants[0].available: slot 5 is outside 0..1']
    """
    problems: list[str] = []
    if not _is_int(instance.slots) or instance.slots < 0:
        return [f"slots: must be a whole number >= 0, got {instance.slots!r}"]
    if not _is_int(instance.tables) or instance.tables < 0:
        return [f"tables: must be a whole number >= 0, got {instance.tables!r}"]
    slot_range = f"0..{instance.slots - 1}" if instance.slots else "nothing (slots is 0)"

    def slot_is_valid(slot: object) -> bool:
        return _is_int(slot) and 0 <= slot < instance.slots

    for slot in sorted(instance.breaks, key=repr):
        if not slot_is_valid(slot):
            problems.append(f"breaks: slot {slot!r} is outside {slot_range}")

    availability = {}
    for index, participant in enumerate(instance.participants):
        if participant.id in availability:
            problems.append(f"participants[{index}].id: {participant.id!r} appears twice")
        availability[participant.id] = participant.available
        for slot in sorted(participant.available, key=repr):
            if not slot_is_valid(slot):
                problems.append(
                    f"participants[{index}].available: slot {slot!r} is outside {slot_range}"
                )

    for index, request in enumerate(instance.requests):
        priority = request.priority
        if isinstance(priority, bool) or not isinstance(priority, Real) or not priority > 0:
            problems.append(f"requests[{index}].priority: must be a number > 0, got {priority!r}")

    tables_taken: Counter[tuple[int, int]] = Counter()
    participants_busy: Counter[tuple[object, int]] = Counter()
    for index, meeting in enumerate(instance.locked):
        where = f"locked[{index}]"
        for side in ("a", "b"):
            participant_id = getattr(meeting, side)
            if participant_id not in availability:
                problems.append(f"{where}.{side}: participant {participant_id!r} is unknown")
        if meeting.a == meeting.b:
            problems.append(f"{where}: a participant cannot meet themself ({meeting.a!r})")
        if not slot_is_valid(meeting.slot):
            problems.append(f"{where}.slot: slot {meeting.slot!r} is outside {slot_range}")
            continue
        if not _is_int(meeting.table) or not 0 <= meeting.table < instance.tables:
            table_range = f"0..{instance.tables - 1}" if instance.tables else "nothing"
            problems.append(f"{where}.table: table {meeting.table!r} is outside {table_range}")
            continue
        if meeting.slot in instance.breaks:
            problems.append(f"{where}.slot: slot {meeting.slot} is a break")
        for side in ("a", "b"):
            participant_id = getattr(meeting, side)
            if participant_id in availability and meeting.slot not in availability[participant_id]:
                problems.append(
                    f"{where}.slot: participant {participant_id!r} is not available in slot "
                    f"{meeting.slot}"
                )
        tables_taken[meeting.slot, meeting.table] += 1
        if tables_taken[meeting.slot, meeting.table] == 2:
            problems.append(
                f"{where}: table {meeting.table} in slot {meeting.slot} is already taken by "
                "another locked meeting"
            )
        for participant_id in {meeting.a, meeting.b}:
            participants_busy[participant_id, meeting.slot] += 1
            if participants_busy[participant_id, meeting.slot] == 2:
                problems.append(
                    f"{where}: participant {participant_id!r} already has a locked meeting in "
                    f"slot {meeting.slot}"
                )
    return problems


def validate_instance(instance: Instance) -> None:
    """Raise `InstanceError` listing every problem of `instance`; return quietly when valid."""
    problems = instance_problems(instance)
    if problems:
        raise InstanceError(problems)
