"""The B2B meeting scheduler: OR-Tools CP-SAT, started from the best of several quick schedules.

The quick schedules are greedy passes (hardest first, arrival order, slot by slot) and one
that first picks which requests to serve by a maximum-weight b-matching and only then finds
their slots (`matching`); each is improved by ejection chains (`moves`) and the best is where
CP-SAT starts.

Model (after `prepare_day` has merged duplicates and set aside hopeless requests): one
boolean per (pair, open slot) saying "this pair meets in this slot". Each pair meets at most
once, each participant has at most one meeting per slot, and each slot holds at most as many
meetings as it has free tables. The objective is the priority-weighted number of meetings.
Table numbers are not variables: tables are interchangeable, so they are handed out per slot
afterwards, around the tables that locked meetings hold.

Determinism: by default CP-SAT runs two workers in *interleaved* mode, which is reproducible
for a given `seed` when the deterministic time budget is what stops the search. The budget is
derived from `time_limit`; the wall-clock `time_limit` is kept too as a guard, so on a machine
much slower than expected the answer can depend on timing (it is still a valid schedule).
Pass `deterministic=False` for the parallel portfolio, which is faster on hard instances but
not reproducible.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from ortools.sat.python import cp_model

from klaster.core.schedule.bounds import open_meeting_bound as _open_meeting_bound
from klaster.core.schedule.greedy import greedy_slots, slotwise_slots
from klaster.core.schedule.matching import matching_slots
from klaster.core.schedule.moves import insert_by_moves
from klaster.core.schedule.prepare import PreparedDay, fill_remaining, finish_schedule, prepare_day
from klaster.core.schedule.records import Instance, Meeting, Schedule

# Leaves headroom for preparing the day and writing the result within ten seconds in all.
DEFAULT_TIME_LIMIT = 8.0
# Above this many (pair, slot) choices one CP-SAT model improves a greedy start far more
# slowly (presolve alone takes seconds on a 2-core machine) than two-slot neighbourhoods.
FULL_MODEL_VARIABLES = 5_000
# Budget of one two-slot neighbourhood. CP-SAT counts presolve in deterministic time, and
# presolve alone takes ~0.15 units here, so less leaves no time to search. The wall-clock cap
# only bites on a machine much slower than a 2-core laptop.
NEIGHBOURHOOD_SECONDS = 1.0
NEIGHBOURHOOD_DETERMINISTIC_TIME = 0.12
# A neighbourhood is solved from a complete hint, so a single light presolve pass is enough:
# the full presolve (probing, symmetry) costs more than the search it speeds up.
LIGHT_PRESOLVE = {"max_presolve_iterations": 1, "cp_model_probing_level": 0, "symmetry_level": 0}
# CP-SAT deterministic time units per wall-clock second, measured on a 2-core machine.
DETERMINISTIC_PER_SECOND = 0.15


def _build_model(
    day: PreparedDay,
    free_pairs: Iterable[int],
    fixed: dict[int, int],
    *,
    stay_bonus: dict[tuple[int, int], int],
    weight_scale: int,
    only_slots: set[int] | None = None,
) -> tuple[cp_model.CpModel, dict[tuple[int, int], cp_model.IntVar]]:
    """CP-SAT model deciding the slots of `free_pairs` around the `fixed` meetings."""
    busy = set()
    room = [day.capacity(slot) for slot in range(day.instance.slots)]
    for index, slot in fixed.items():
        pair = day.pairs[index]
        busy.update(((pair.a, slot), (pair.b, slot)))
        room[slot] -= 1
    model = cp_model.CpModel()
    meets: dict[tuple[int, int], cp_model.IntVar] = {}
    by_participant_slot: dict[tuple[object, int], list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    objective = []
    for index in free_pairs:
        pair = day.pairs[index]
        choices = []
        for slot in pair.slots:
            if only_slots is not None and slot not in only_slots:
                continue
            if room[slot] <= 0 or (pair.a, slot) in busy or (pair.b, slot) in busy:
                continue
            variable = model.new_bool_var(f"m{index}s{slot}")
            meets[index, slot] = variable
            choices.append(variable)
            by_participant_slot[pair.a, slot].append(variable)
            by_participant_slot[pair.b, slot].append(variable)
            by_slot[slot].append(variable)
            objective.append(
                (pair.weight * weight_scale + stay_bonus.get((index, slot), 0)) * variable
            )
        if len(choices) > 1:
            model.add_at_most_one(choices)
    for variables in by_participant_slot.values():
        if len(variables) > 1:
            model.add_at_most_one(variables)
    for slot, variables in by_slot.items():
        if len(variables) > room[slot]:
            model.add(sum(variables) <= room[slot])
    model.maximize(sum(objective))
    return model, meets


def _value(day: PreparedDay, slot_of: dict[int, int], stay_bonus, weight_scale) -> int:
    return sum(
        day.pairs[index].weight * weight_scale + stay_bonus.get((index, slot), 0)
        for index, slot in slot_of.items()
    )


def _objective(day: PreparedDay, slot_of: dict[int, int]) -> int:
    return sum(day.pairs[index].weight for index in slot_of)


def _solve_part(
    day: PreparedDay,
    slot_of: dict[int, int],
    free_pairs: Iterable[int],
    *,
    only_slots: set[int] | None,
    stay_bonus: dict,
    weight_scale: int,
    seconds: float,
    seed: int,
    workers: int,
    deterministic: bool,
) -> tuple[dict[int, int] | None, str, float]:
    """Re-decide `free_pairs` (in `only_slots`) with everything else of `slot_of` fixed."""
    free_pairs = set(free_pairs)
    fixed = {index: slot for index, slot in slot_of.items() if index not in free_pairs}
    model, meets = _build_model(
        day,
        sorted(free_pairs),
        fixed,
        stay_bonus=stay_bonus,
        weight_scale=weight_scale,
        only_slots=only_slots,
    )
    for (index, slot), variable in meets.items():
        model.add_hint(variable, slot_of.get(index) == slot)
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.random_seed = seed
    parameters.num_workers = workers
    parameters.max_time_in_seconds = max(0.01, seconds)
    if only_slots is not None:
        for name, setting in LIGHT_PRESOLVE.items():
            setattr(parameters, name, setting)
    if deterministic:
        parameters.interleave_search = workers > 1
        parameters.max_deterministic_time = (
            NEIGHBOURHOOD_DETERMINISTIC_TIME
            if only_slots is not None
            else max(0.01, seconds * DETERMINISTIC_PER_SECOND)
        )
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, solver.status_name(status), 0.0
    found = dict(fixed)
    found.update(
        {index: slot for (index, slot), variable in meets.items() if solver.value(variable)}
    )
    return found, solver.status_name(status), solver.best_objective_bound


def _improve_by_neighbourhoods(
    day: PreparedDay,
    slot_of: dict[int, int],
    *,
    deadline: float,
    seed: int,
    deterministic: bool,
    stay_bonus: dict,
    weight_scale: int,
    max_rounds: int | None,
    target: int,
    stats: dict,
) -> dict[int, int]:
    """Large-neighbourhood search: re-solve two slots at a time exactly, keep what improves.

    Re-deciding every meeting of two slots at once (plus every unscheduled pair that could
    use them) lets CP-SAT swap long chains of meetings between the slots, which is where a
    greedy schedule loses most. Two such sub-problems on disjoint slots run side by side,
    one per core: meetings in different slots never interact, except that a pair placed by
    both keeps only the first placement.
    """
    rng = random.Random(seed)
    slot_count = day.instance.slots
    usable_slots = [slot for slot in range(slot_count) if day.capacity(slot) > 0]
    pairs_by_slot: dict[int, list[int]] = defaultdict(list)
    for index, pair in enumerate(day.pairs):
        for slot in pair.slots:
            pairs_by_slot[slot].append(index)
    value = _value(day, slot_of, stay_bonus, weight_scale)
    slot_pairs = [
        (first, second) for first in usable_slots for second in usable_slots if first < second
    ]
    # A slot pair proved optimal stays so until one of its slots changes or a meeting leaves
    # the schedule (which gives it a new candidate): such pairs are not solved again.
    changes = dict.fromkeys(usable_slots, 0)
    dropped = 0
    proved: dict[tuple[int, int], tuple[int, int, int]] = {}
    rounds = stalled = 0
    # Every pair of slots once without gain means the search is stuck: stop early.
    patience = max(1, len(slot_pairs) // 2)
    parallel = 2 if len(usable_slots) >= 4 else 1
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        while len(usable_slots) >= 2 and stalled < patience and value < target:
            seconds_left = deadline - time.perf_counter()
            if seconds_left < 0.05 or (max_rounds is not None and rounds >= max_rounds):
                break
            open_pairs = [
                pair
                for pair in slot_pairs
                if proved.get(pair) != (changes[pair[0]], changes[pair[1]], dropped)
            ]
            if not open_pairs:
                break
            rounds += 1
            rng.shuffle(open_pairs)
            chosen = [open_pairs[0]]
            for pair in open_pairs[1:]:
                if len(chosen) == parallel:
                    break
                if not set(pair) & set(chosen[0]):
                    chosen.append(pair)
            parts = []
            for slot_pair in chosen:
                slots = set(slot_pair)
                free = {
                    index
                    for slot in slots
                    for index in pairs_by_slot[slot]
                    if slot_of.get(index, slot) in slots
                }
                parts.append(
                    pool.submit(
                        _solve_part,
                        day,
                        slot_of,
                        free,
                        only_slots=slots,
                        stay_bonus=stay_bonus,
                        weight_scale=weight_scale,
                        seconds=min(NEIGHBOURHOOD_SECONDS, seconds_left),
                        seed=rng.randrange(1 << 30),
                        workers=1,
                        deterministic=deterministic,
                    )
                )
            merged = dict(slot_of)
            for slot_pair, future in zip(chosen, parts, strict=True):
                found, status, _bound = future.result()
                if found is None:
                    continue
                slots = set(slot_pair)
                before = {index: slot for index, slot in merged.items() if slot in slots}
                after = {
                    index: slot
                    for index, slot in found.items()
                    if slot in slots and (index in before or index not in merged)
                }
                if _value(day, after, stay_bonus, weight_scale) < _value(
                    day, before, stay_bonus, weight_scale
                ):
                    continue
                for index in before:
                    del merged[index]
                merged.update(after)
                if status == "OPTIMAL":
                    proved[slot_pair] = (changes[slot_pair[0]], changes[slot_pair[1]], dropped)
                if before != after:
                    for slot in slots:
                        changes[slot] += 1
                    if before.keys() - after.keys():
                        dropped += 1
                    if status == "OPTIMAL":
                        proved[slot_pair] = (
                            changes[slot_pair[0]],
                            changes[slot_pair[1]],
                            dropped,
                        )
            merged_value = _value(day, merged, stay_bonus, weight_scale)
            if merged_value > value:
                stalled = 0
            else:
                stalled += 1
            slot_of, value = merged, merged_value
    stats["neighbourhood_rounds"] = rounds
    return slot_of


def solve_schedule(
    instance: Instance,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
    deterministic: bool = True,
    workers: int = 2,
    previous: Iterable[Meeting] = (),
    max_rounds: int | None = None,
) -> Schedule:
    """Schedule the accepted meeting requests of `instance`, maximising weighted meetings.

    Parameters
    ----------
    instance : Instance
        The day: slots, tables, participants with their availability, requests, locked
        meetings (kept exactly, slot and table) and breaks.
    time_limit : float
        Seconds CP-SAT may search. The best schedule found by then is returned; when CP-SAT
        finds nothing better than the greedy start, the greedy schedule is returned.
    seed : int
        Random seed of the greedy tie-breaks and of CP-SAT.
    deterministic : bool
        Reproducible search (see the module docstring) rather than the parallel portfolio.
    workers : int
        CP-SAT search workers.
    previous : iterable of Meeting
        An earlier schedule to stay close to: its meetings seed the search and, between
        schedules of equal weight, the one that moves fewer of them wins.

    Returns
    -------
    Schedule
        Meetings (locked ones included), unscheduled requests with reasons, and `status`:
        "optimal" (proved), "feasible" (CP-SAT, not proved) or "heuristic" (greedy kept).

    Raises
    ------
    InstanceError
        When the instance itself is broken, e.g. two locked meetings at one table.

    Examples
    --------
    >>> from klaster.core.schedule.records import Instance, MeetingRequest, Participant
    >>> everyone = frozenset({0, 1})
    >>> day = Instance(slots=2, tables=1,
    ...     participants=tuple(Participant(p, everyone) for p in ("p1", "p2", "p3")),
    ...     requests=(MeetingRequest("p1", "p2"), MeetingRequest("p2", "p3"),
    ...               MeetingRequest("p1", "p3")))
    >>> schedule = solve_schedule(day, time_limit=5)
    >>> len(schedule.meetings), schedule.status
    (2, 'optimal')
    """
    started = time.perf_counter()
    deadline = started + time_limit
    day = prepare_day(instance)
    stats: dict[str, float] = {"pairs": len(day.pairs)}
    if not day.pairs:
        return finish_schedule(day, {}, status="optimal", stats=stats)

    # Meetings of an earlier schedule earn a bonus of 1 for keeping their slot; weights are
    # scaled so that the bonuses together never outweigh a single extra priority point.
    pair_index = {frozenset((pair.a, pair.b)): index for index, pair in enumerate(day.pairs)}
    stay_bonus = {}
    for meeting in previous:
        index = pair_index.get(frozenset((meeting.a, meeting.b)))
        if index is not None and meeting.slot in day.pairs[index].slots:
            stay_bonus[index, meeting.slot] = 1
    weight_scale = len(stay_bonus) + 1

    def value(slot_of: dict[int, int]) -> int:
        return _value(day, slot_of, stay_bonus, weight_scale)

    # A schedule holding as many meetings as the upper bound allows cannot be improved
    # (with equal priorities and nothing to keep from an earlier schedule).
    all_equal = len({pair.weight for pair in day.pairs}) == 1 and not stay_bonus
    bound = _open_meeting_bound(day) if all_equal else len(day.pairs)
    target = bound * day.pairs[0].weight * weight_scale if all_equal else 1 << 62
    starts = [
        lambda: greedy_slots(day, seed=seed),
        lambda: greedy_slots(day, order="arrival"),
        lambda: slotwise_slots(day, seed=seed),
        lambda: matching_slots(day, seed=seed),
    ]
    if stay_bonus:
        starts.append(lambda: _keep_valid_hint(day, dict(stay_bonus.keys())))
    # Each start is improved by moves before the best is kept: a start that looks worse often
    # leaves the room (free tables in busy slots) that short chains turn into more meetings.
    current: dict[int, int] = {}
    heuristic_value = -1
    for make_start in starts:
        improved = insert_by_moves(day, make_start(), depth=1, seed=seed)
        if value(improved) > heuristic_value:
            current, heuristic_value = improved, value(improved)
        if heuristic_value >= target:
            break  # as good as it gets: the other starts cannot do better
    stats["heuristic_objective"] = _objective(day, current)

    variables = sum(len(pair.slots) for pair in day.pairs)
    status = "heuristic"
    if value(current) >= target:
        status = "optimal"
    elif variables > FULL_MODEL_VARIABLES:
        current = _improve_by_neighbourhoods(
            day,
            current,
            deadline=deadline,
            seed=seed,
            deterministic=deterministic,
            stay_bonus=stay_bonus,
            weight_scale=weight_scale,
            max_rounds=max_rounds,
            target=target,
            stats=stats,
        )
        if value(current) > heuristic_value:
            status = "feasible"
    else:
        found, solver_status, bound = _solve_part(
            day,
            current,
            range(len(day.pairs)),
            only_slots=None,
            stay_bonus=stay_bonus,
            weight_scale=weight_scale,
            seconds=deadline - time.perf_counter(),
            seed=seed,
            workers=max(1, workers),
            deterministic=deterministic,
        )
        stats["cp_sat_bound"] = bound / weight_scale
        if found is not None and value(found) >= heuristic_value:
            current = found
            status = "optimal" if solver_status == "OPTIMAL" else "feasible"
    current = fill_remaining(day, current)
    stats["solve_seconds"] = time.perf_counter() - started
    return finish_schedule(day, current, status=status, stats=stats)


def _keep_valid_hint(day: PreparedDay, slot_of: dict[int, int]) -> dict[int, int]:
    """Drop hinted meetings that no longer fit (an earlier schedule may predate changes)."""
    room = [day.capacity(slot) for slot in range(day.instance.slots)]
    busy = set()
    kept = {}
    for index, slot in sorted(slot_of.items()):
        pair = day.pairs[index]
        if room[slot] and (pair.a, slot) not in busy and (pair.b, slot) not in busy:
            kept[index] = slot
            room[slot] -= 1
            busy.update(((pair.a, slot), (pair.b, slot)))
    return fill_remaining(day, kept)
