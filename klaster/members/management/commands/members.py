"""`klaster members import <file> --kind organisations|people [--dry-run]` and
`klaster members export <file.csv|xlsx> [--kind organisations|people]`, for operators."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from klaster.imports.cli import command_line_import
from klaster.imports.uploads import CommandLineOperator
from klaster.jobs.registry import JobKind
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
        command_line_import(
            self,
            path=path,
            kind=kind,
            importer_for=imports.importer_for,
            job_kind=JobKind.MEMBERS_IMPORT,
            dry_run=dry_run,
        )

    def export_file(self, path: Path, *, kind: str) -> None:
        file_format = path.suffix.lower().lstrip(".")
        if file_format not in exports.FORMATS:
            raise CommandError("The file name must end in .csv or .xlsx")
        operator = CommandLineOperator()
        if kind == imports.PEOPLE:
            exported = exports.people_export(user=operator, file_format=file_format)
        else:
            exported = exports.directory_export(
                user=operator, filters=DirectoryFilters(), file_format=file_format
            )
        path.write_bytes(exported.content)
        self.stdout.write(self.style.SUCCESS(f"Written {path}"))
