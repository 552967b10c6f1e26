"""An independent check of a schedule against its instance.

Written apart from the scheduler on purpose (it shares only the record types): it re-derives
every hard rule from the instance, so a bug in the scheduler's preparation cannot hide itself.
"""

from __future__ import annotations

from collections import Counter

from klaster.core.schedule.records import Instance, Schedule


def schedule_violations(instance: Instance, schedule: Schedule) -> list[str]:
    """Every hard rule `schedule` breaks for `instance`, in words; empty when it is valid.

    Rules: meetings are between two different registered participants, in an existing
    non-break slot at an existing table, when both are available; nobody has two meetings in
    one slot; no table holds two meetings in one slot; every meeting answers a request or is
    a locked meeting; no pair meets more often than asked; locked meetings are kept exactly;
    every request is either met or listed as unscheduled, and no met request is listed.

    Examples
    --------
    >>> from klaster.core.schedule.records import (
    ...     Instance, Meeting, MeetingRequest, Participant, Schedule)
    >>> day = Instance(slots=1, tables=1,
    ...     participants=(Participant("p1", frozenset({0})), Participant("p2", frozenset())),
    ...     requests=(MeetingRequest("p1", "p2"),))
    >>> schedule_violations(day, Schedule(meetings=(Meeting("p1", "p2", 0, 0),)))
    ['meeting p1-p2 in slot 0: p2 is not available']
    """
    violations: list[str] = []
    availability = {person.id: set(person.available) for person in instance.participants}
    break_slots = set(instance.breaks)

    def couple(first, second) -> frozenset:
        return frozenset([first, second])

    # How many meetings each couple may have: one if requested, more only if locked so.
    locked_count = Counter(couple(locked.a, locked.b) for locked in instance.locked)
    requested = {couple(r.a, r.b) for r in instance.requests if r.a != r.b}
    asked = Counter(dict.fromkeys(requested, 1))
    for pair, count in locked_count.items():
        asked[pair] = max(asked[pair], count)

    seat_use = Counter()
    table_use = Counter()
    couple_meetings = Counter()
    for meeting in schedule.meetings:
        label = f"meeting {meeting.a}-{meeting.b} in slot {meeting.slot}"
        if meeting.a == meeting.b:
            violations.append(f"{label}: a participant meets themself")
        unknown = [who for who in (meeting.a, meeting.b) if who not in availability]
        for who in unknown:
            violations.append(f"{label}: {who} is not a participant")
        if not (isinstance(meeting.slot, int) and 0 <= meeting.slot < instance.slots):
            violations.append(f"{label}: the slot does not exist")
        if not (isinstance(meeting.table, int) and 0 <= meeting.table < instance.tables):
            violations.append(f"{label}: table {meeting.table} does not exist")
        if meeting.slot in break_slots:
            violations.append(f"{label}: the slot is a break")
        for who in (meeting.a, meeting.b):
            if who in availability and meeting.slot not in availability[who]:
                violations.append(f"{label}: {who} is not available")
        for who in {meeting.a, meeting.b}:
            seat_use[who, meeting.slot] += 1
        table_use[meeting.slot, meeting.table] += 1
        couple_meetings[couple(meeting.a, meeting.b)] += 1

    for (who, slot), count in sorted(seat_use.items(), key=repr):
        if count > 1:
            violations.append(f"participant {who} has {count} meetings in slot {slot}")
    for (slot, table), count in sorted(table_use.items(), key=repr):
        if count > 1:
            violations.append(f"table {table} holds {count} meetings in slot {slot}")
    for pair, count in sorted(couple_meetings.items(), key=repr):
        names = "-".join(sorted(map(str, pair)))
        if asked[pair] == 0:
            violations.append(f"meeting {names} answers no request and is not locked")
        elif count > asked[pair]:
            violations.append(f"pair {names} meets {count} times")

    kept = Counter((m.a, m.b, m.slot, m.table) for m in schedule.meetings)
    kept.update((m.b, m.a, m.slot, m.table) for m in schedule.meetings)
    for locked in instance.locked:
        if kept[locked.a, locked.b, locked.slot, locked.table] == 0:
            violations.append(
                f"locked meeting {locked.a}-{locked.b} (slot {locked.slot}, table "
                f"{locked.table}) was moved or dropped"
            )

    met = {couple(m.a, m.b) for m in schedule.meetings}
    listed = Counter(couple(u.a, u.b) for u in schedule.unscheduled)
    for index, request in enumerate(instance.requests):
        pair = couple(request.a, request.b)
        if pair in met and pair in listed:
            violations.append(f"request {index} ({request.a}-{request.b}) is met yet unscheduled")
        if pair not in met and pair not in listed:
            violations.append(
                f"request {index} ({request.a}-{request.b}) is neither met nor listed"
            )
    every_request = {couple(r.a, r.b) for r in instance.requests}
    for pair in listed:
        if pair not in every_request:
            names = "-".join(sorted(map(str, pair)))
            violations.append(f"unscheduled entry {names} matches no request")
    return violations
