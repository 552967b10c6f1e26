"""`klaster members import <file> --kind organisations|people [--dry-run]` and
`klaster members export <file.csv|xlsx> [--kind organisations|people]`, for operators."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from klaster.jobs.models import Job
from klaster.jobs.services import job_create, job_run
from klaster.members import exports, imports
from klaster.members.selectors import DirectoryFilters


class Command(BaseCommand):
    help = "Import organisations or people from CSV/XLSX, or export the registry."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        load = verbs.add_parser("import", help="Import a CSV or XLSX file (all rows or none).")
        load.add_argument("file", type=Path)
        load.add_argument("--kind", choices=imports.KINDS, default=imports.ORGANISATIONS)
        load.add_argument(
            "--dry-run", action="store_true", help="Only check the file and report; write nothing."
        )
        dump = verbs.add_parser("export", help="Export the whole registry to .csv or .xlsx.")
        dump.add_argument("file", type=Path)
        dump.add_argument("--kind", choices=imports.KINDS, default=imports.ORGANISATIONS)

    def handle(self, *args, verb, file: Path, kind: str, **options):
        if verb == "import":
            self.import_file(file, kind=kind, dry_run=options["dry_run"])
        else:
            self.export_file(file, kind=kind)

    def import_file(self, path: Path, *, kind: str, dry_run: bool) -> None:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        operator = imports.CommandLineOperator()
        if dry_run:
            report = imports.import_check(
                data=path.read_bytes(), filename=path.name, kind=kind, editor=operator
            )
            for plan in report.plans:
                how = f"update (found by {plan.matched_by})" if plan.action == "update" else "add"
                self.stdout.write(f"row {plan.row}: {how}: {plan.label}")
            if report.ignored_columns:
                self.stdout.write("ignored columns: " + ", ".join(report.ignored_columns))
            if not report.ok:
                raise CommandError(report.summary())
            self.stdout.write(self.style.SUCCESS(report.summary()))
            return
        job = job_create(
            kind=imports.IMPORT_JOB_KIND,
            title=f"Import of {kind} from {path.name}",
            parameters={"path": str(path.resolve()), "kind": kind, "filename": path.name},
        )

        def echo(done: int, total: int, message: str) -> None:
            percent = int(100 * done / total) if total else 0
            sys.stderr.write(f"\r{percent:3d}%  {message[:70]:<70}")
            sys.stderr.flush()

        job = job_run(job_id=job.pk, echo=echo)
        sys.stderr.write("\n")
        if job.status != Job.Status.SUCCEEDED:
            raise CommandError(job.error)
        self.stdout.write(self.style.SUCCESS(job.result.get("summary", "Imported.")))

    def export_file(self, path: Path, *, kind: str) -> None:
        file_format = path.suffix.lower().lstrip(".")
        if file_format not in exports.FORMATS:
            raise CommandError("The file name must end in .csv or .xlsx")
        operator = imports.CommandLineOperator()
        if kind == imports.PEOPLE:
            exported = exports.people_export(user=operator, file_format=file_format)
        else:
            exported = exports.directory_export(
                user=operator, filters=DirectoryFilters(), file_format=file_format
            )
        path.write_bytes(exported.content)
        self.stdout.write(self.style.SUCCESS(f"Written {path}"))
