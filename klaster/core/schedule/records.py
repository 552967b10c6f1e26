"""The plain data the meeting scheduler speaks: a brokerage day's instance and its schedule.

Slots and tables are numbered from 0, like positions in a list: a day with `slots=12` has
slots 0..11 and `tables=60` means tables 0..59. Participant ids are whatever the caller uses
(strings such as "p1", or integers) and come back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ParticipantId = str | int


@dataclass(frozen=True)
class Participant:
    """Someone at the brokerage day, free for meetings in the `available` slots."""

    id: ParticipantId
    available: frozenset[int]


@dataclass(frozen=True)
class MeetingRequest:
    """An accepted meeting request between participants `a` and `b`.

    `priority` weighs the request in the objective: scheduling a priority-3 request is worth
    as much as scheduling three priority-1 requests.
    """

    a: ParticipantId
    b: ParticipantId
    priority: int | float = 1


@dataclass(frozen=True)
class LockedMeeting:
    """A meeting already announced to its participants: it keeps its slot and its table."""

    a: ParticipantId
    b: ParticipantId
    slot: int
    table: int


@dataclass(frozen=True)
class Meeting:
    """A scheduled meeting: `a` meets `b` in `slot` at `table`."""

    a: ParticipantId
    b: ParticipantId
    slot: int
    table: int


@dataclass(frozen=True)
class UnscheduledRequest:
    """A request left out of the schedule, with the reason in words an organiser understands."""

    a: ParticipantId
    b: ParticipantId
    reason: str


@dataclass(frozen=True)
class Instance:
    """Everything the scheduler needs to plan one brokerage day.

    `breaks` are slots in which nobody meets (coffee, keynote). `locked` meetings are kept
    exactly as given; they count as scheduled meetings of the day.
    """

    slots: int
    tables: int
    participants: tuple[Participant, ...]
    requests: tuple[MeetingRequest, ...]
    locked: tuple[LockedMeeting, ...] = ()
    breaks: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Schedule:
    """The scheduler's answer: meetings (locked ones included) and the requests left out.

    `status` says how the schedule was found ("optimal", "feasible", "heuristic"), and
    `objective` is the priority-weighted number of scheduled requests.
    """

    meetings: tuple[Meeting, ...]
    unscheduled: tuple[UnscheduledRequest, ...] = ()
    status: str = "heuristic"
    objective: float = 0
    stats: dict[str, float] = field(default_factory=dict, compare=False)


class Reason:
    """Reasons given for unscheduled requests; stable strings that reports can group by."""

    SELF_REQUEST = "self request"
    PARTICIPANT_UNKNOWN = "participant unknown"
    NO_COMMON_SLOT = "no common available slot"
    COMMON_SLOTS_LOCKED = "common slots taken by locked meetings"
    PARTICIPANT_BUSY = "capacity: participants busy in every common slot"
    TABLES_FULL = "capacity: no free table in common slots"
    CAPACITY = "capacity: participants busy or tables full in every common slot"
