"""The JSON form of a brokerage day and of its schedule (the `klaster schedule` contract).

In: ``{"slots": S, "tables": T, "participants": [{"id": "p1", "available": [0, 1]}],
"requests": [{"a": "p1", "b": "p2", "priority": 1}], "locked": [{"a", "b", "slot",
"table"}]}``, with optional "locked" (default none), "priority" (default 1) and "breaks"
(a list of slots without meetings). Slots and tables count from 0. Other keys are ignored.

Out: ``{"meetings": [{"a", "b", "slot", "table"}], "unscheduled": [{"a", "b", "reason"}]}``.

The JSON form is stricter than the core API: a request naming a participant who is not in
"participants" is an error here (a typo in a file), while the core leaves it unscheduled.
"""

from __future__ import annotations

import json
from numbers import Real

from klaster.core.schedule.records import (
    Instance,
    LockedMeeting,
    MeetingRequest,
    Participant,
    Schedule,
)
from klaster.core.schedule.validation import InstanceError, instance_problems

# Enough to fix a file in one go without flooding the terminal.
MAX_PROBLEMS_SHOWN = 20


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_id(value: object) -> bool:
    return (isinstance(value, str) and value != "") or _is_int(value)


def _type_name(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


class _Reader:
    """Collects problems with their JSON path while reading, instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def list_field(self, mapping: dict, key: str, *, required: bool = True) -> list:
        if key not in mapping:
            if required:
                self.problems.append(f"{key}: missing")
            return []
        return self.list_of_objects(mapping[key], key)

    def participant_id_field(self, mapping: dict, key: str, where: str, known: set | None):
        if key not in mapping:
            self.problems.append(f"{where}.{key}: missing")
            return None
        return self.participant_id(mapping[key], f"{where}.{key}", known)

    def whole_number_field(self, mapping: dict, key: str, where: str) -> int | None:
        if key not in mapping:
            self.problems.append(f"{where}{key}: missing")
            return None
        return self.whole_number(mapping[key], f"{where}{key}")

    def whole_number(self, value: object, where: str) -> int | None:
        if not _is_int(value) or value < 0:
            self.problems.append(f"{where}: must be a whole number >= 0, got {value!r}")
            return None
        return value

    def participant_id(self, value: object, where: str, known: set | None):
        if not _is_id(value):
            self.problems.append(
                f"{where}: must be a participant id (non-empty string or integer), got {value!r}"
            )
            return None
        if known is not None and value not in known:
            self.problems.append(f"{where}: participant {value!r} is not in participants")
            return None
        return value

    def list_of_objects(self, value: object, where: str) -> list:
        if not isinstance(value, list):
            self.problems.append(f"{where}: must be a list, got {_type_name(value)}")
            return []
        good = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                good.append((index, item))
            else:
                self.problems.append(f"{where}[{index}]: must be an object, got {_type_name(item)}")
        return good


def instance_from_json(data: object) -> Instance:
    """Build an `Instance` from parsed JSON, or raise `InstanceError` naming every bad field.

    Examples
    --------
    >>> instance_from_json({"slots": 2, "tables": 1, "participants": [], "requests": [
    ...     {"a": "p1", "b": "p2"}]})
    Traceback (most recent call last):
    ...
    klaster.core.schedule.validation.InstanceError: requests[0].a: participant 'p1' is not in participants
    requests[0].b: participant 'p2' is not in participants
    """
    if not isinstance(data, dict):
        raise InstanceError([f"the instance must be a JSON object, got {_type_name(data)}"])
    read = _Reader()
    slots = read.whole_number_field(data, "slots", "")
    tables = read.whole_number_field(data, "tables", "")

    participants = []
    for index, item in read.list_field(data, "participants"):
        where = f"participants[{index}]"
        participant_id = read.participant_id_field(item, "id", where, None)
        slots_ok = []
        if "available" not in item:
            read.problems.append(f"{where}.available: missing")
        else:
            available = item["available"]
            if isinstance(available, list):
                for position, slot in enumerate(available):
                    if read.whole_number(slot, f"{where}.available[{position}]") is not None:
                        slots_ok.append(slot)
            else:
                read.problems.append(
                    f"{where}.available: must be a list of slots, got {_type_name(available)}"
                )
        if participant_id is not None:
            participants.append(Participant(participant_id, frozenset(slots_ok)))
    known = {participant.id for participant in participants}

    requests = []
    for index, item in read.list_field(data, "requests"):
        where = f"requests[{index}]"
        a = read.participant_id_field(item, "a", where, known)
        b = read.participant_id_field(item, "b", where, known)
        priority = item.get("priority", 1)
        if isinstance(priority, bool) or not isinstance(priority, Real) or not priority > 0:
            read.problems.append(f"{where}.priority: must be a number > 0, got {priority!r}")
            priority = None
        requests.append(MeetingRequest(a, b, priority or 1))

    locked = []
    for index, item in read.list_field(data, "locked", required=False):
        where = f"locked[{index}]"
        a = read.participant_id_field(item, "a", where, known)
        b = read.participant_id_field(item, "b", where, known)
        slot = read.whole_number_field(item, "slot", f"{where}.")
        table = read.whole_number_field(item, "table", f"{where}.")
        if None not in (a, b, slot, table):
            locked.append(LockedMeeting(a, b, slot, table))

    breaks = []
    breaks_data = data.get("breaks", [])
    if isinstance(breaks_data, list):
        for position, slot in enumerate(breaks_data):
            if read.whole_number(slot, f"breaks[{position}]") is not None:
                breaks.append(slot)
    else:
        read.problems.append(f"breaks: must be a list of slots, got {_type_name(breaks_data)}")

    if not read.problems and slots is not None and tables is not None:
        instance = Instance(
            slots=slots,
            tables=tables,
            participants=tuple(participants),
            requests=tuple(requests),
            locked=tuple(locked),
            breaks=frozenset(breaks),
        )
        # Locked meetings dropped while reading would shift indices; all were read here.
        read.problems.extend(instance_problems(instance))
        if not read.problems:
            return instance
    problems = read.problems[:MAX_PROBLEMS_SHOWN]
    if len(read.problems) > MAX_PROBLEMS_SHOWN:
        problems.append(f"... and {len(read.problems) - MAX_PROBLEMS_SHOWN} more problems")
    raise InstanceError(problems)


def load_instance(text: str) -> Instance:
    """Parse the JSON text of an instance; `InstanceError` says what is wrong and where."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InstanceError(
            [f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"]
        ) from error
    return instance_from_json(data)


def schedule_to_json(schedule: Schedule) -> dict:
    """The JSON form of `schedule`: meetings by slot and table, then unscheduled requests."""
    return {
        "meetings": [
            {"a": m.a, "b": m.b, "slot": m.slot, "table": m.table} for m in schedule.meetings
        ],
        "unscheduled": [{"a": u.a, "b": u.b, "reason": u.reason} for u in schedule.unscheduled],
    }
