"""Fast greedy schedules: the CP-SAT starting point and the first-come-first-served baseline.

`greedy_schedule` places the hardest requests first (highest priority, then fewest open
slots) into the slot that its two participants and the other requests need least. The
`arrival` order is what a hand-run brokerage day does: requests in the order they were
accepted, each in the earliest slot that still fits; the benchmark measures CP-SAT against it.
"""

from __future__ import annotations

import random
from collections import Counter

from klaster.core.schedule.prepare import PreparedDay, finish_schedule, prepare_day
from klaster.core.schedule.records import Instance, Schedule

ORDERS = ("scarcity", "arrival")


def greedy_slots(day: PreparedDay, *, order: str = "scarcity", seed: int = 0) -> dict[int, int]:
    """Choose a slot for as many pairs of `day` as a single greedy pass can.

    Returns pair index -> slot. `order` is "scarcity" (hardest first, least needed slot) or
    "arrival" (request order, earliest slot). `seed` breaks ties between equally hard pairs.
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}")
    pairs = day.pairs
    room = [day.capacity(slot) for slot in range(day.instance.slots)]
    busy: set[tuple[object, int]] = set()
    slot_of: dict[int, int] = {}

    if order == "arrival":
        for index in sorted(range(len(pairs)), key=lambda i: pairs[i].request_indices[0]):
            pair = pairs[index]
            for slot in pair.slots:
                if room[slot] and (pair.a, slot) not in busy and (pair.b, slot) not in busy:
                    slot_of[index] = slot
                    room[slot] -= 1
                    busy.update(((pair.a, slot), (pair.b, slot)))
                    break
        return slot_of

    # How many still-unplaced pairs of each participant could use each slot, and how many
    # unplaced pairs could use each slot at all: a slot wanted by few is the one to spend.
    participant_demand: Counter[tuple[object, int]] = Counter()
    slot_demand = [0] * day.instance.slots
    for pair in pairs:
        for slot in pair.slots:
            participant_demand[pair.a, slot] += 1
            participant_demand[pair.b, slot] += 1
            slot_demand[slot] += 1

    tiebreak = random.Random(seed)
    shuffled = list(range(len(pairs)))
    tiebreak.shuffle(shuffled)
    rank = {index: position for position, index in enumerate(shuffled)}
    load: Counter[object] = Counter()
    for pair in pairs:
        load[pair.a] += 1
        load[pair.b] += 1

    def hardness(index: int) -> tuple:
        pair = pairs[index]
        return (-pair.weight, len(pair.slots), -(load[pair.a] + load[pair.b]), rank[index])

    for index in sorted(range(len(pairs)), key=hardness):
        pair = pairs[index]
        for slot in pair.slots:
            participant_demand[pair.a, slot] -= 1
            participant_demand[pair.b, slot] -= 1
            slot_demand[slot] -= 1
        best_slot, best_cost = None, None
        for slot in pair.slots:
            if not room[slot] or (pair.a, slot) in busy or (pair.b, slot) in busy:
                continue
            cost = (
                participant_demand[pair.a, slot]
                + participant_demand[pair.b, slot]
                + slot_demand[slot] / room[slot]
            )
            if best_cost is None or cost < best_cost:
                best_slot, best_cost = slot, cost
        if best_slot is not None:
            slot_of[index] = best_slot
            room[best_slot] -= 1
            busy.update(((pair.a, best_slot), (pair.b, best_slot)))
    return slot_of


def slotwise_slots(day: PreparedDay, *, seed: int = 0) -> dict[int, int]:
    """Fill the slots one after another, each with the meetings least needed later.

    Within a slot, pairs go first whose participants have the least demand left per slot
    still open to them: a participant with more requests than slots cannot meet everyone
    anyway, while one with few requests and few slots loses a meeting if passed over. On
    crowded days this leaves far fewer requests out than arrival order does.
    Returns pair index -> slot.
    """
    pairs = day.pairs
    tiebreak = random.Random(seed)
    ties = [tiebreak.random() for _ in pairs]
    pending: Counter[object] = Counter()
    open_slots: dict[object, set[int]] = {}
    by_slot: list[list[int]] = [[] for _ in range(day.instance.slots)]
    for index, pair in enumerate(pairs):
        for participant in (pair.a, pair.b):
            pending[participant] += 1
            open_slots.setdefault(participant, set()).update(pair.slots)
        for slot in pair.slots:
            by_slot[slot].append(index)
    slot_of: dict[int, int] = {}
    for slot in range(day.instance.slots):
        room = day.capacity(slot)
        candidates = [index for index in by_slot[slot] if index not in slot_of]
        if not room or not candidates:
            continue
        urgency: dict[object, float] = {}
        for index in candidates:
            for participant in (pairs[index].a, pairs[index].b):
                if participant not in urgency:
                    later = sum(1 for other in open_slots[participant] if other >= slot)
                    urgency[participant] = pending[participant] / later

        candidates.sort(
            key=lambda index, urgency=urgency: (
                -pairs[index].weight,
                urgency[pairs[index].a] + urgency[pairs[index].b],
                ties[index],
            )
        )
        busy = set()
        for index in candidates:
            pair = pairs[index]
            if pair.a in busy or pair.b in busy:
                continue
            busy.update((pair.a, pair.b))
            slot_of[index] = slot
            pending[pair.a] -= 1
            pending[pair.b] -= 1
            room -= 1
            if not room:
                break
    return slot_of


def greedy_schedule(instance: Instance, *, order: str = "scarcity", seed: int = 0) -> Schedule:
    """Schedule `instance` with one greedy pass (see `greedy_slots`); fast, not optimal.

    Examples
    --------
    >>> from klaster.core.schedule.records import Instance, MeetingRequest, Participant
    >>> everyone = frozenset({0, 1})
    >>> day = Instance(slots=2, tables=1,
    ...     participants=tuple(Participant(p, everyone) for p in ("p1", "p2", "p3")),
    ...     requests=(MeetingRequest("p1", "p2"), MeetingRequest("p2", "p3")))
    >>> [(m.a, m.b, m.slot) for m in greedy_schedule(day).meetings]
    [('p1', 'p2', 0), ('p2', 'p3', 1)]
    """
    day = prepare_day(instance)
    return finish_schedule(day, greedy_slots(day, order=order, seed=seed), status="heuristic")


def first_come_first_served(instance: Instance) -> Schedule:
    """The baseline: requests in arrival order, each in the earliest slot that still fits."""
    return greedy_schedule(instance, order="arrival")
