"""Late acceptances: re-schedule a day without moving the meetings already announced."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from klaster.core.schedule.records import (
    Instance,
    LockedMeeting,
    Meeting,
    MeetingRequest,
    Schedule,
)
from klaster.core.schedule.solver import DEFAULT_TIME_LIMIT, solve_schedule


def reschedule(
    instance: Instance,
    previous: Schedule,
    *,
    announced: Iterable[Meeting],
    new_requests: Iterable[MeetingRequest] = (),
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
) -> Schedule:
    """Add late requests to a day whose `announced` meetings must stay where they are.

    Parameters
    ----------
    instance : Instance
        The day as it is now (availability may have changed since `previous`), without the
        late requests.
    previous : Schedule
        The schedule computed earlier; meetings not announced may move, but between
        schedules of equal weight the one that moves fewer of them wins.
    announced : iterable of Meeting
        Meetings of `previous` that participants have been told about: kept at their slot
        and table, as locked meetings.
    new_requests : iterable of MeetingRequest
        Requests accepted since `previous` was computed.

    Raises
    ------
    ValueError
        When an announced meeting is not part of `previous`.
    InstanceError
        When announced meetings clash with the instance (e.g. a participant no longer
        available in an announced slot): the organiser has to settle that by hand.
    """
    earlier = {(m.a, m.b, m.slot, m.table) for m in previous.meetings}
    locked = list(instance.locked)
    already_locked = {(m.a, m.b, m.slot, m.table) for m in locked}
    for meeting in announced:
        key = (meeting.a, meeting.b, meeting.slot, meeting.table)
        if key not in earlier:
            raise ValueError(
                f"announced meeting {meeting.a}-{meeting.b} (slot {meeting.slot}, table "
                f"{meeting.table}) is not in the previous schedule"
            )
        if key not in already_locked:
            locked.append(LockedMeeting(meeting.a, meeting.b, meeting.slot, meeting.table))
            already_locked.add(key)
    updated = replace(
        instance,
        requests=tuple(instance.requests) + tuple(new_requests),
        locked=tuple(locked),
    )
    return solve_schedule(updated, time_limit=time_limit, seed=seed, previous=previous.meetings)
