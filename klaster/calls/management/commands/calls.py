"""`klaster calls import <file.jsonl.gz>`, `import-csv <file>`, `assign-sectors` and `remind`.

import: EU topics from the Funding & Tenders portal (JSON lines, gzip or plain); idempotent, all
or nothing. import-csv: national or regional calls from CSV or XLSX (--dry-run only reports);
all or nothing. assign-sectors: the sector rules again, after they changed (sectors set by hand
stay). remind: e-mail about calls closing within --days days, once per call (console e-mail
backend unless EMAIL_BACKEND says otherwise).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from klaster.calls import imports
from klaster.calls.services import (
    REMIND_DAYS_BEFORE,
    CallFileError,
    calls_assign_sectors,
    calls_import,
    calls_remind,
)
from klaster.imports.cli import command_line_import
from klaster.jobs.registry import JobKind


class Command(BaseCommand):
    help = (
        "Funding calls: `import` EU topics from a file, `import-csv` national or regional calls, "
        "`assign-sectors` by the rules, `remind` of deadlines by e-mail."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="import EU topics (JSON lines, .gz or plain)")
        importing.add_argument("file")
        csv = actions.add_parser("import-csv", help="import national or regional calls (CSV/XLSX)")
        csv.add_argument("file")
        csv.add_argument("--source", choices=imports.SOURCES, default="national")
        csv.add_argument("--dry-run", action="store_true", help="only report; write nothing")
        actions.add_parser("assign-sectors", help="apply the sector rules again")
        remind = actions.add_parser("remind", help="e-mail about calls closing soon")
        remind.add_argument("--days", type=int, default=REMIND_DAYS_BEFORE)
        remind.add_argument("--today", help="pretend today is this date (YYYY-MM-DD)")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "import":
            try:
                result = calls_import(path=options["file"])
            except CallFileError as exc:
                raise CommandError(f"{options['file']}: {exc}") from None
            self.stdout.write(
                f"calls: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
        elif action == "import-csv":
            self._import_csv(Path(options["file"]), options["source"], options["dry_run"])
        elif action == "assign-sectors":
            self.stdout.write(f"sectors changed for {calls_assign_sectors()} call(s)")
        elif action == "remind":
            if options["days"] < 0:
                raise CommandError("--days must not be negative")
            try:
                today = datetime.date.fromisoformat(options["today"]) if options["today"] else None
            except ValueError:
                raise CommandError("--today must be a date, YYYY-MM-DD") from None
            count = calls_remind(today=today, days_before=options["days"])
            self.stdout.write(f"reminders sent for {count} call(s)")

    def _import_csv(self, path: Path, source: str, dry_run: bool) -> None:
        command_line_import(
            self,
            path=path,
            kind=imports.UPLOAD_KIND + source,
            importer_for=imports.importer_for,
            job_kind=JobKind.CALLS_IMPORT,
            dry_run=dry_run,
        )
