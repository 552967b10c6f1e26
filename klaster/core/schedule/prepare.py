"""Turn an instance into what the heuristic, the CP-SAT model and the bound all work on.

Requests become *pairs*: one per unordered couple of participants, duplicates merged (the
highest priority wins), each with the slots still open to it once breaks, availability and
locked meetings are taken into account. Requests that can never be scheduled are set aside
here with their reason, so the optimisers only see what they can actually decide.

Tables are interchangeable apart from the ones locked meetings hold, so the optimisers only
decide a slot for each pair; table numbers are handed out per slot at the end
(`finish_schedule`). That keeps the CP-SAT model a fraction of the size of a slot x table one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from klaster.core.schedule.records import (
    Instance,
    Meeting,
    ParticipantId,
    Reason,
    Schedule,
    UnscheduledRequest,
)
from klaster.core.schedule.validation import validate_instance

# Non-integer priorities are scaled to integers because CP-SAT only optimises integers.
PRIORITY_SCALE = 1000


@dataclass(frozen=True)
class Pair:
    """Two participants who asked to meet, with the slots in which they still could."""

    a: ParticipantId
    b: ParticipantId
    weight: int
    slots: tuple[int, ...]
    request_indices: tuple[int, ...]


@dataclass(frozen=True)
class PreparedDay:
    """An instance digested for the optimisers (see the module docstring)."""

    instance: Instance
    pairs: tuple[Pair, ...]
    # Tables still free in each slot once breaks and locked meetings are counted.
    free_tables: tuple[tuple[int, ...], ...]
    locked_meetings: tuple[Meeting, ...]
    # Requests decided before optimising: index -> reason (None when a locked meeting covers it).
    settled: dict[int, str | None]

    def capacity(self, slot: int) -> int:
        """How many more meetings fit in `slot`."""
        return len(self.free_tables[slot])


def _integer_weights(priorities: list[int | float]) -> list[int]:
    if all(isinstance(priority, int) for priority in priorities):
        return [int(priority) for priority in priorities]
    return [max(1, round(Fraction(priority) * PRIORITY_SCALE)) for priority in priorities]


def prepare_day(instance: Instance) -> PreparedDay:
    """Validate `instance` and split its requests into open pairs and settled requests.

    Raises `InstanceError` when the instance itself is broken (see `validate_instance`).
    """
    validate_instance(instance)
    breaks = set(instance.breaks)
    busy: dict[ParticipantId, set[int]] = defaultdict(set)
    locked_tables: dict[int, set[int]] = defaultdict(set)
    locked_pairs = set()
    for meeting in instance.locked:
        busy[meeting.a].add(meeting.slot)
        busy[meeting.b].add(meeting.slot)
        locked_tables[meeting.slot].add(meeting.table)
        locked_pairs.add(frozenset((meeting.a, meeting.b)))
    free_tables = tuple(
        ()
        if slot in breaks
        else tuple(table for table in range(instance.tables) if table not in locked_tables[slot])
        for slot in range(instance.slots)
    )
    available = {
        participant.id: frozenset(participant.available) - breaks
        for participant in instance.participants
    }

    settled: dict[int, str | None] = {}
    indices_by_pair: dict[frozenset, list[int]] = {}
    for index, request in enumerate(instance.requests):
        if request.a == request.b:
            settled[index] = Reason.SELF_REQUEST
        elif request.a not in available or request.b not in available:
            settled[index] = Reason.PARTICIPANT_UNKNOWN
        elif frozenset((request.a, request.b)) in locked_pairs:
            settled[index] = None
        else:
            indices_by_pair.setdefault(frozenset((request.a, request.b)), []).append(index)

    weights = _integer_weights([request.priority for request in instance.requests])
    pairs = []
    for indices in indices_by_pair.values():
        first = instance.requests[indices[0]]
        common = available[first.a] & available[first.b]
        if not common:
            settled.update(dict.fromkeys(indices, Reason.NO_COMMON_SLOT))
            continue
        open_slots = tuple(
            sorted(
                slot
                for slot in common
                if slot not in busy[first.a] and slot not in busy[first.b] and free_tables[slot]
            )
        )
        if not open_slots:
            reason = (
                Reason.COMMON_SLOTS_LOCKED
                if all(slot in busy[first.a] or slot in busy[first.b] for slot in common)
                else Reason.TABLES_FULL
            )
            settled.update(dict.fromkeys(indices, reason))
            continue
        weight = max(weights[index] for index in indices)
        pairs.append(Pair(first.a, first.b, weight, open_slots, tuple(indices)))

    locked_meetings = tuple(
        Meeting(meeting.a, meeting.b, meeting.slot, meeting.table) for meeting in instance.locked
    )
    return PreparedDay(instance, tuple(pairs), free_tables, locked_meetings, settled)


def fill_remaining(day: PreparedDay, slot_of: dict[int, int]) -> dict[int, int]:
    """Add every pair that still fits somewhere, so no schedule leaves an easy meeting out.

    A time-limited CP-SAT answer can miss a meeting that fits into a gap; this closes it.
    `slot_of` maps pair index -> slot and is returned extended (a new dict).
    """
    slot_of = dict(slot_of)
    used = [0] * day.instance.slots
    busy = set()
    for index, slot in slot_of.items():
        pair = day.pairs[index]
        used[slot] += 1
        busy.add((pair.a, slot))
        busy.add((pair.b, slot))
    for index, pair in enumerate(day.pairs):
        if index in slot_of:
            continue
        for slot in pair.slots:
            if used[slot] < day.capacity(slot) and (pair.a, slot) not in busy:
                if (pair.b, slot) in busy:
                    continue
                slot_of[index] = slot
                used[slot] += 1
                busy.add((pair.a, slot))
                busy.add((pair.b, slot))
                break
    return slot_of


def _reason_left_out(
    day: PreparedDay, pair: Pair, used: list[int], busy: set[tuple[ParticipantId, int]]
) -> str:
    participant_busy = [(pair.a, slot) in busy or (pair.b, slot) in busy for slot in pair.slots]
    tables_full = [used[slot] >= day.capacity(slot) for slot in pair.slots]
    if all(participant_busy):
        return Reason.PARTICIPANT_BUSY
    if all(tables_full):
        return Reason.TABLES_FULL
    return Reason.CAPACITY


def finish_schedule(
    day: PreparedDay, slot_of: dict[int, int], *, status: str, stats: dict | None = None
) -> Schedule:
    """Hand out table numbers per slot and explain every request left unscheduled.

    `slot_of` maps pair index -> slot; it must respect availability and capacities.
    """
    by_slot: dict[int, list[Pair]] = defaultdict(list)
    used = [0] * day.instance.slots
    busy = set()
    for index, slot in slot_of.items():
        pair = day.pairs[index]
        by_slot[slot].append(pair)
        used[slot] += 1
        busy.add((pair.a, slot))
        busy.add((pair.b, slot))

    meetings = list(day.locked_meetings)
    for slot, pairs in by_slot.items():
        if len(pairs) > day.capacity(slot):
            raise ValueError(f"slot {slot} holds {len(pairs)} meetings, more than its tables")
        # Pairs keep the order of the requests, so the same answer gives the same table plan.
        pairs.sort(key=lambda pair: pair.request_indices[0])
        for pair, table in zip(pairs, day.free_tables[slot], strict=False):
            meetings.append(Meeting(pair.a, pair.b, slot, table))
    meetings.sort(key=lambda meeting: (meeting.slot, meeting.table))

    reasons = {index: reason for index, reason in day.settled.items() if reason is not None}
    for index, pair in enumerate(day.pairs):
        if index not in slot_of:
            reason = _reason_left_out(day, pair, used, busy)
            reasons.update(dict.fromkeys(pair.request_indices, reason))
    unscheduled = tuple(
        UnscheduledRequest(day.instance.requests[index].a, day.instance.requests[index].b, reason)
        for index, reason in sorted(reasons.items())
    )
    # The objective in the caller's own priorities: one request per met pair, the highest.
    best_priority: dict[frozenset, int | float] = {}
    met = [index for index, reason in day.settled.items() if reason is None]
    met += [request for index in slot_of for request in day.pairs[index].request_indices]
    for index in met:
        request = day.instance.requests[index]
        key = frozenset((request.a, request.b))
        best_priority[key] = max(best_priority.get(key, 0), request.priority)
    objective = sum(best_priority.values())
    return Schedule(
        meetings=tuple(meetings),
        unscheduled=unscheduled,
        status=status,
        objective=objective,
        stats=dict(stats or {}),
    )
