"""`klaster schedule solve`: the exact JSON contract, and clear errors for malformed days."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import klaster
from klaster.core.schedule import load_instance, schedule_violations
from klaster.core.schedule.records import LockedMeeting, Meeting, Schedule, UnscheduledRequest

PROJECT_ROOT = Path(klaster.__file__).resolve().parent.parent

TRIANGLE = {
    "slots": 2,
    "tables": 1,
    "participants": [
        {"id": "p1", "available": [0, 1]},
        {"id": "p2", "available": [0, 1]},
        {"id": "p3", "available": [0, 1]},
    ],
    "requests": [
        {"a": "p1", "b": "p2", "priority": 1},
        {"a": "p2", "b": "p3", "priority": 1},
        {"a": "p1", "b": "p3", "priority": 1},
    ],
    "locked": [{"a": "p1", "b": "p3", "slot": 1, "table": 0}],
}


def write_instance(tmp_path, data):
    path = tmp_path / "in.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def solve(tmp_path, data, *extra):
    instance = write_instance(tmp_path, data)
    out = tmp_path / "out.json"
    call_command("schedule", "solve", "--instance", str(instance), "--out", str(out), *extra)
    return json.loads(out.read_text(encoding="utf-8"))


def as_schedule(data):
    return Schedule(
        meetings=tuple(Meeting(**meeting) for meeting in data["meetings"]),
        unscheduled=tuple(UnscheduledRequest(**entry) for entry in data["unscheduled"]),
    )


def test_solve_writes_meetings_and_unscheduled_requests_with_reasons(tmp_path):
    result = solve(tmp_path, TRIANGLE, "--time-limit", "2")

    assert set(result) == {"meetings", "unscheduled"}
    assert result["meetings"] == [
        {"a": "p1", "b": "p2", "slot": 0, "table": 0},
        {"a": "p1", "b": "p3", "slot": 1, "table": 0},
    ]
    assert result["unscheduled"] == [
        {"a": "p2", "b": "p3", "reason": "capacity: participants busy in every common slot"}
    ]
    instance = load_instance(json.dumps(TRIANGLE))
    assert schedule_violations(instance, as_schedule(result)) == []


def test_locked_meetings_come_back_exactly_where_they_were(tmp_path):
    result = solve(tmp_path, TRIANGLE)

    assert {"a": "p1", "b": "p3", "slot": 1, "table": 0} in result["meetings"]
    assert LockedMeeting("p1", "p3", 1, 0) in load_instance(json.dumps(TRIANGLE)).locked


def test_locked_and_priority_are_optional_and_integer_ids_come_back_as_integers(tmp_path):
    data = {
        "slots": 1,
        "tables": 1,
        "participants": [{"id": 1, "available": [0]}, {"id": 2, "available": [0]}],
        "requests": [{"a": 1, "b": 2}],
    }

    result = solve(tmp_path, data)

    assert result == {"meetings": [{"a": 1, "b": 2, "slot": 0, "table": 0}], "unscheduled": []}


def test_klaster_command_runs_without_a_database(tmp_path):
    instance = write_instance(tmp_path, TRIANGLE)
    out = tmp_path / "out.json"
    command = [sys.executable, "-m", "klaster.cli", "schedule", "solve"]
    command += ["--instance", str(instance), "--out", str(out), "--time-limit", "2"]

    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        # A database nobody listens on: the command must never try to reach it.
        env={**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"},
        cwd=PROJECT_ROOT,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert len(json.loads(out.read_text())["meetings"]) == 2


def test_malformed_instance_fails_on_stderr_with_exit_code_and_no_file(tmp_path):
    instance = write_instance(tmp_path, {**TRIANGLE, "slots": "two"})
    out = tmp_path / "out.json"
    command = [sys.executable, "-m", "klaster.cli", "schedule", "solve"]
    command += ["--instance", str(instance), "--out", str(out)]

    result = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, check=False)

    assert result.returncode != 0
    assert "slots: must be a whole number >= 0, got 'two'" in result.stderr
    assert not out.exists()


def without(mapping, key):
    return {name: value for name, value in mapping.items() if name != key}


MALFORMED = [
    pytest.param('{"slots": 2, "tables": ', "not valid JSON", id="bad-json"),
    pytest.param("[1, 2]", "must be a JSON object", id="not-an-object"),
    pytest.param(without(TRIANGLE, "participants"), "participants: missing", id="no-participants"),
    pytest.param(without(TRIANGLE, "requests"), "requests: missing", id="no-requests"),
    pytest.param(without(TRIANGLE, "tables"), "tables: missing", id="no-tables"),
    pytest.param(
        {**TRIANGLE, "requests": [{"a": "p1"}]}, "requests[0].b: missing", id="request-without-b"
    ),
    pytest.param(
        {**TRIANGLE, "requests": [*TRIANGLE["requests"], {"a": "p1", "b": "p9"}]},
        "requests[3].b: participant 'p9' is not in participants",
        id="unknown-participant",
    ),
    pytest.param(
        {
            "slots": 2,
            "tables": 1,
            "participants": [{"id": "p1", "available": [0, 2]}],
            "requests": [],
        },
        "participants[0].available: slot 2 is outside 0..1",
        id="slot-out-of-range",
    ),
    pytest.param(
        {**TRIANGLE, "requests": [{"a": "p1", "b": "p2", "priority": -1}]},
        "requests[0].priority: must be a number > 0",
        id="negative-priority",
    ),
    pytest.param(
        {**TRIANGLE, "participants": [*TRIANGLE["participants"], {"id": "p1", "available": []}]},
        "participants[3].id: 'p1' appears twice",
        id="duplicate-participant",
    ),
    pytest.param(
        {
            **TRIANGLE,
            "locked": [
                {"a": "p1", "b": "p3", "slot": 1, "table": 0},
                {"a": "p2", "b": "p3", "slot": 1, "table": 0},
            ],
        },
        "locked[1]: table 0 in slot 1 is already taken",
        id="locked-meetings-clash",
    ),
    pytest.param(
        {**TRIANGLE, "locked": [{"a": "p1", "b": "p3", "slot": 0, "table": 1}]},
        "locked[0].table: table 1 is outside 0..0",
        id="locked-table-out-of-range",
    ),
    pytest.param(
        {
            **TRIANGLE,
            "participants": [{"id": "p1", "available": [0]}, {"id": "p3", "available": [0, 1]}],
            "requests": [],
        },
        "locked[0].slot: participant 'p1' is not available in slot 1",
        id="locked-outside-availability",
    ),
]


@pytest.mark.parametrize(("data", "message"), MALFORMED)
def test_malformed_instance_is_refused_with_a_clear_error_and_no_file(tmp_path, data, message):
    instance = write_instance(tmp_path, data)
    out = tmp_path / "out.json"

    with pytest.raises(CommandError) as error:
        call_command("schedule", "solve", "--instance", str(instance), "--out", str(out))

    assert message in str(error.value)
    assert not out.exists()


def test_missing_instance_file_is_a_clear_error(tmp_path):
    out = tmp_path / "out.json"

    with pytest.raises(CommandError, match="cannot read instance"):
        call_command(
            "schedule", "solve", "--instance", str(tmp_path / "nope.json"), "--out", str(out)
        )

    assert not out.exists()
