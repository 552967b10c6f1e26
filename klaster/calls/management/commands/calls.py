"""`klaster calls import <file.jsonl.gz>` and `klaster calls remind`.

import: EU topics from the Funding & Tenders portal (JSON lines, gzip or plain); idempotent, all
or nothing. remind: e-mail about calls closing within --days days, once per call (console
e-mail backend unless EMAIL_BACKEND says otherwise).
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from klaster.calls.services import REMIND_DAYS_BEFORE, CallFileError, calls_import, calls_remind


class Command(BaseCommand):
    help = "Funding calls: `import` EU topics from a file, `remind` of deadlines by e-mail."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="import EU topics (JSON lines, .gz or plain)")
        importing.add_argument("file")
        remind = actions.add_parser("remind", help="e-mail about calls closing soon")
        remind.add_argument("--days", type=int, default=REMIND_DAYS_BEFORE)
        remind.add_argument("--today", help="pretend today is this date (YYYY-MM-DD)")

    def handle(self, *args, **options):
        if options["action"] == "import":
            try:
                result = calls_import(path=options["file"])
            except CallFileError as exc:
                raise CommandError(f"{options['file']}: {exc}") from None
            self.stdout.write(
                f"calls: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
        elif options["action"] == "remind":
            if options["days"] < 0:
                raise CommandError("--days must not be negative")
            try:
                today = datetime.date.fromisoformat(options["today"]) if options["today"] else None
            except ValueError:
                raise CommandError("--today must be a date, YYYY-MM-DD") from None
            count = calls_remind(today=today, days_before=options["days"])
            self.stdout.write(f"reminders sent for {count} call(s)")
