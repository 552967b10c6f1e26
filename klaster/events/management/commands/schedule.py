"""`klaster schedule solve --instance in.json --out out.json [--time-limit SECONDS]`.

Schedules a brokerage day described in JSON (the contract is in
`klaster.core.schedule.instance_json`) and writes the meetings and the unscheduled requests
with their reasons. A malformed instance is reported on stderr, field by field, with a
non-zero exit and no output file. Needs no database.
"""

import argparse
import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from klaster.core.schedule import (
    DEFAULT_TIME_LIMIT,
    InstanceError,
    load_instance,
    schedule_to_json,
    solve_schedule,
)


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds > 0, got {text!r}")
    return seconds


class Command(BaseCommand):
    help = "Schedule B2B meetings of a brokerage day from a JSON instance."
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        solve = actions.add_parser(
            "solve", help="schedule the meetings of an instance file and write the schedule"
        )
        solve.add_argument("--instance", required=True, help="instance JSON file to read")
        solve.add_argument("--out", required=True, help="schedule JSON file to write")
        solve.add_argument(
            "--time-limit",
            type=_positive_seconds,
            default=DEFAULT_TIME_LIMIT,
            help=f"seconds the solver may search (default {DEFAULT_TIME_LIMIT:g})",
        )
        solve.add_argument("--seed", type=int, default=0, help="random seed (default 0)")

    def handle(self, *args, **options):
        instance_path = Path(options["instance"])
        try:
            text = instance_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read instance {instance_path}: {error}") from error
        try:
            instance = load_instance(text)
        except InstanceError as error:
            raise CommandError(f"invalid instance {instance_path}:\n{error}") from error

        schedule = solve_schedule(instance, time_limit=options["time_limit"], seed=options["seed"])
        self._write_atomically(Path(options["out"]), schedule_to_json(schedule))
        requests = len(instance.requests)
        self.stdout.write(
            f"{len(schedule.meetings)} meetings ({len(instance.locked)} locked), "
            f"{len(schedule.unscheduled)} of {requests} requests unscheduled, "
            f"status {schedule.status}"
        )

    @staticmethod
    def _write_atomically(path: Path, data: dict) -> None:
        # A reader never sees half a schedule, and a failed run leaves no file behind.
        directory = path.parent if str(path.parent) else Path(".")
        try:
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.")
        except OSError as error:
            raise CommandError(f"cannot write {path}: {error}") from error
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(data, file, ensure_ascii=False, indent=1)
                file.write("\n")
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
