"""The command-line runner of every import (`klaster members import`, `klaster calls import-csv`).

`--dry-run` checks the file and prints a line per good row and the summary; otherwise the file
is imported by a background job run in this process, its progress drawn on stderr. Messages
are in English at the shell, whatever the site's language. Exit codes: EXIT_OK, EXIT_REJECTED
(row or file errors: nothing written), EXIT_UNREADABLE (no such file).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from klaster.imports.plan import import_check
from klaster.imports.report import CREATE, UNCHANGED, ImportReport
from klaster.imports.uploads import CommandLineOperator, ImporterFor
from klaster.jobs.models import Job
from klaster.jobs.services import job_create, job_run

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_UNREADABLE = 2


def _echo(done: int, total: int, message: str) -> None:
    percent = int(100 * done / total) if total else 0
    sys.stderr.write(f"\r{percent:3d}%  {message[:70]:<70}")
    sys.stderr.flush()


def _row_line(plan) -> str:
    if plan.action == CREATE:
        how = "add"
    elif plan.action == UNCHANGED:
        how = f"no change (found by {plan.matched_by})"
    else:
        how = f"update (found by {plan.matched_by})"
    return f"row {plan.row}: {how}: {plan.label}"


def command_line_import(
    command: BaseCommand,
    *,
    path: Path,
    kind: str,
    importer_for: ImporterFor,
    job_kind: str,
    dry_run: bool,
) -> ImportReport | dict:
    """Check (`dry_run`) or import the file at `path` as an upload of `kind` would be; raises
    CommandError with the exit code and the report's summary when the file is rejected.
    Returns the dry run's report, or the import job's result."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(
            f"cannot read {path}: {error.strerror or error}", returncode=EXIT_UNREADABLE
        ) from None
    importer, options = importer_for(kind)
    with translation.override("en"):
        if dry_run:
            report = import_check(
                importer, data=data, filename=path.name, editor=CommandLineOperator(), **options
            )
            for plan in report.plans:
                command.stdout.write(_row_line(plan))
            if report.ignored_columns:
                command.stdout.write("ignored columns: " + ", ".join(report.ignored_columns))
            if not report.ok:
                raise CommandError(report.summary(), returncode=EXIT_REJECTED)
            command.stdout.write(command.style.SUCCESS(report.summary()))
            return report
        job = job_create(
            kind=job_kind,
            title=f"Import of {kind} from {path.name}",
            parameters={"path": str(path.resolve()), "kind": kind, "filename": path.name},
        )
        job = job_run(job_id=job.pk, echo=_echo)
        sys.stderr.write("\n")
        if job.status != Job.Status.SUCCEEDED:
            raise CommandError(job.error, returncode=EXIT_REJECTED)
        command.stdout.write(command.style.SUCCESS(job.result.get("summary", "Imported.")))
        return job.result
