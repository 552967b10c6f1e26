"""Upper bounds on the number of meetings a brokerage day can hold.

Three bounds, each counting locked meetings as held:

* participants: each participant meets at most once per open slot and at most once per
  partner, and every meeting needs two participants;
* tables: each slot holds at most its free tables, and at most half of the participants who
  could meet in it;
* flow: both at once. A meeting in slot s uses one "seat" of each participant in s and one
  table of s, so a maximum flow source -> participant (one unit per open pair) ->
  (participant, slot) -> slot (two units per table) -> sink, halved, bounds the meetings.
  It is never above the other two;
* matching: a fractional b-matching of the request graph in which each participant meets
  at most once per open slot and each pair at most once, ignoring that both must be free in
  the *same* slot. It sees what the flow cannot: a sought-after participant's partners
  cannot fill their own seats with meetings that participant has no room for.

`MeetingBound.best`, the smallest, is what the benchmark reports. For days whose requests have
priorities, `weighted_upper_bound` bounds the priority-weighted objective the same way as the
matching bound does the count: a maximum-weight fractional b-matching.

The bounds ignore that a triangle of requests in one slot can only hold one meeting, so they
are not always reachable; instances whose bound equals the optimum are called tight.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from klaster.core.schedule.prepare import PRIORITY_SCALE, PreparedDay, prepare_day
from klaster.core.schedule.records import Instance


@dataclass(frozen=True)
class MeetingBound:
    """Upper bounds on the number of meetings (locked meetings included); `best` is the min."""

    participants: int
    tables: int
    flow: int
    matching: int
    locked: int

    @property
    def best(self) -> int:
        return min(self.participants, self.tables, self.flow, self.matching)


def open_slots_by_participant(day: PreparedDay) -> dict[object, set[int]]:
    """The slots each participant could still meet in, over all of their pairs."""
    slots: dict[object, set[int]] = defaultdict(set)
    for pair in day.pairs:
        slots[pair.a].update(pair.slots)
        slots[pair.b].update(pair.slots)
    return slots


def _partners(day: PreparedDay) -> dict[object, int]:
    partners: dict[object, int] = defaultdict(int)
    for pair in day.pairs:
        partners[pair.a] += 1
        partners[pair.b] += 1
    return partners


def _flow_bound(day: PreparedDay, open_slots: dict[object, set[int]]) -> int:
    participants = sorted(open_slots, key=repr)
    partners = _partners(day)
    slot_count = day.instance.slots
    # Nodes: 0 source, 1 sink, then slots, then participants, then (participant, slot) seats.
    slot_node = {slot: 2 + slot for slot in range(slot_count)}
    participant_node = {p: 2 + slot_count + i for i, p in enumerate(participants)}
    next_node = 2 + slot_count + len(participants)
    people_in_slot: dict[int, int] = defaultdict(int)
    tails, heads, capacities = [], [], []

    def arc(tail: int, head: int, capacity: int) -> None:
        tails.append(tail)
        heads.append(head)
        capacities.append(capacity)

    for participant in participants:
        arc(0, participant_node[participant], partners[participant])
        for slot in open_slots[participant]:
            arc(participant_node[participant], next_node, 1)
            arc(next_node, slot_node[slot], 1)
            people_in_slot[slot] += 1
            next_node += 1
    for slot, people in people_in_slot.items():
        meetings_possible = min(day.capacity(slot), people // 2)
        arc(slot_node[slot], 1, 2 * meetings_possible)
    graph = csr_matrix(
        (np.array(capacities, dtype=np.int32), (np.array(tails), np.array(heads))),
        shape=(next_node, next_node),
    )
    return int(maximum_flow(graph, 0, 1).flow_value) // 2


def _matching_bound(day: PreparedDay, open_slots: dict[object, set[int]]) -> int:
    # Fractional b-matching: each participant meets at most once per open slot, each pair at
    # most once. Solved as a flow on two copies of the participants (senders, receivers).
    participants = sorted(open_slots, key=repr)
    sender = {p: 2 + i for i, p in enumerate(participants)}
    receiver = {p: 2 + len(participants) + i for i, p in enumerate(participants)}
    tails, heads, capacities = [], [], []
    for participant in participants:
        tails += [0, receiver[participant]]
        heads += [sender[participant], 1]
        capacities += [len(open_slots[participant])] * 2
    for pair in day.pairs:
        tails += [sender[pair.a], sender[pair.b]]
        heads += [receiver[pair.b], receiver[pair.a]]
        capacities += [1, 1]
    size = 2 + 2 * len(participants)
    graph = csr_matrix(
        (np.array(capacities, dtype=np.int32), (np.array(tails), np.array(heads))),
        shape=(size, size),
    )
    return int(maximum_flow(graph, 0, 1).flow_value) // 2


SOURCE, SINK, HUB = 0, 1, 2


def max_weight_b_matching(
    day: PreparedDay, weights: Sequence[int], *, most_meetings: int | None = None
) -> tuple[int, list[int]]:
    """Twice the largest total weight of a fractional b-matching of `day`, and the pairs it uses.

    Each participant meets at most once per slot open to them, each pair at most once, and
    with `most_meetings` the pairs hold at most that many meetings in all; `weights` gives each
    pair's (integer) weight. A pair both of whose halves are half-used counts as used. Solved
    as a minimum-cost flow on two copies of the participants (senders and receivers): a
    meeting is one unit each way, hence twice the weight; a bypass lets seats stay empty at no
    cost.
    """
    if not day.pairs:
        return 0, []
    open_slots = open_slots_by_participant(day)
    participants = sorted(open_slots, key=repr)
    sender = {p: 3 + i for i, p in enumerate(participants)}
    receiver = {p: 3 + len(participants) + i for i, p in enumerate(participants)}
    flow = min_cost_flow.SimpleMinCostFlow()
    seats = sum(len(slots) for slots in open_slots.values())
    meeting_units = seats if most_meetings is None else min(seats, 2 * most_meetings)
    flow.add_arc_with_capacity_and_unit_cost(SOURCE, HUB, meeting_units, 0)
    for participant in participants:
        count = len(open_slots[participant])
        flow.add_arc_with_capacity_and_unit_cost(HUB, sender[participant], count, 0)
        flow.add_arc_with_capacity_and_unit_cost(receiver[participant], SINK, count, 0)
    flow.add_arc_with_capacity_and_unit_cost(SOURCE, SINK, seats, 0)
    arcs = [
        (
            flow.add_arc_with_capacity_and_unit_cost(sender[pair.a], receiver[pair.b], 1, -weight),
            flow.add_arc_with_capacity_and_unit_cost(sender[pair.b], receiver[pair.a], 1, -weight),
        )
        for pair, weight in zip(day.pairs, weights, strict=True)
    ]
    flow.set_node_supply(SOURCE, seats)
    flow.set_node_supply(SINK, -seats)
    if flow.solve() != flow.OPTIMAL:  # cannot happen: the bypass makes every supply feasible
        raise RuntimeError("the b-matching flow has no optimal solution")
    used = [index for index, (there, back) in enumerate(arcs) if flow.flow(there) + flow.flow(back)]
    return -flow.optimal_cost(), used


def weighted_upper_bound(instance: Instance) -> float:
    """An upper bound on the priority-weighted objective of any schedule of `instance`.

    The objective counts, for each pair that meets, the highest priority among its requests
    (`Schedule.objective`); pairs a locked meeting covers count as met. The open pairs are
    bounded by a maximum-weight fractional b-matching that holds no more meetings than
    `meeting_upper_bound` allows. Fractional priorities are rounded up to thousandths, so the
    bound stays above the optimum.

    Examples
    --------
    >>> from klaster.core.schedule.records import Instance, MeetingRequest, Participant
    >>> once = frozenset({0})
    >>> day = Instance(slots=1, tables=2,
    ...     participants=tuple(Participant(p, once) for p in ("p1", "p2", "p3")),
    ...     requests=(MeetingRequest("p1", "p2", 1), MeetingRequest("p2", "p3", 3),
    ...               MeetingRequest("p1", "p3", 1)))
    >>> weighted_upper_bound(day)  # one slot each: p2 meets p3 (priority 3), p1 nobody
    3
    """
    day = prepare_day(instance)
    requests = instance.requests
    locked_best: dict[frozenset, int | float] = {}
    for index, reason in day.settled.items():
        if reason is None:
            key = frozenset((requests[index].a, requests[index].b))
            locked_best[key] = max(locked_best.get(key, 0), requests[index].priority)
    priorities = [max(requests[i].priority for i in pair.request_indices) for pair in day.pairs]
    whole = all(isinstance(priority, int) for priority in priorities)
    scale = 1 if whole else PRIORITY_SCALE
    weights = [math.ceil(Fraction(priority) * scale) for priority in priorities]
    open_meetings = meeting_upper_bound(instance).best - len(day.locked_meetings)
    doubled, _ = max_weight_b_matching(day, weights, most_meetings=open_meetings)
    open_part = doubled // 2 if whole else doubled / 2 / scale
    return sum(locked_best.values()) + open_part


def open_meeting_bound(day: PreparedDay) -> int:
    """The best bound on meetings still to schedule in a prepared day (locked ones aside)."""
    if not day.pairs:
        return 0
    open_slots = open_slots_by_participant(day)
    return min(_flow_bound(day, open_slots), _matching_bound(day, open_slots))


def meeting_upper_bound(instance: Instance) -> MeetingBound:
    """Upper bounds on how many meetings `instance` can hold (see the module docstring).

    Examples
    --------
    >>> from klaster.core.schedule.records import Instance, MeetingRequest, Participant
    >>> everyone = frozenset({0, 1})
    >>> day = Instance(slots=2, tables=1,
    ...     participants=tuple(Participant(p, everyone) for p in ("p1", "p2", "p3")),
    ...     requests=(MeetingRequest("p1", "p2"), MeetingRequest("p2", "p3"),
    ...               MeetingRequest("p1", "p3")))
    >>> meeting_upper_bound(day).best
    2
    """
    day = prepare_day(instance)
    locked = len(day.locked_meetings)
    open_slots = open_slots_by_participant(day)
    partners = _partners(day)
    seats = sum(min(partners[p], len(slots)) for p, slots in open_slots.items())
    participants_bound = locked + min(len(day.pairs), seats // 2)

    people_in_slot: dict[int, int] = defaultdict(int)
    for slots in open_slots.values():
        for slot in slots:
            people_in_slot[slot] += 1
    tables_bound = locked + sum(
        min(day.capacity(slot), people // 2) for slot, people in people_in_slot.items()
    )
    flow_bound = locked + (_flow_bound(day, open_slots) if day.pairs else 0)
    matching_bound = locked + (_matching_bound(day, open_slots) if day.pairs else 0)
    return MeetingBound(
        participants=participants_bound,
        tables=tables_bound,
        flow=flow_bound,
        matching=matching_bound,
        locked=locked,
    )
