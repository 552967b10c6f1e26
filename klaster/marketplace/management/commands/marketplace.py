"""`klaster marketplace expire`, `import <file>` and `export <file>`.

expire: published profiles whose deadline passed or that saw no activity for six months
expire; owners of those expiring within 14 days get one renewal reminder (console e-mail
backend unless EMAIL_BACKEND says otherwise).
import: profiles from CSV or XLSX, in Klaster's columns or POD's (`--layout pod`); all or
nothing, new rows as drafts; `--dry-run` only reports. export: every profile to .csv or .xlsx.
alerts: e-mail each saved search's new profiles since its last alert. digest: the weekly digest
to each subscribed member editor (at most once a week). Both take `--now`.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from klaster.imports.cli import command_line_import
from klaster.imports.uploads import CommandLineOperator
from klaster.jobs.registry import JobKind
from klaster.marketplace import imports, services, services_alerts
from klaster.members.exports import FORMATS


class Command(BaseCommand):
    help = (
        "Marketplace profiles: `expire` by deadline and inactivity (with renewal reminders), "
        "`import` from CSV/XLSX, `export` to CSV/XLSX, `alerts` of saved searches and the "
        "weekly `digest` by e-mail."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        expire = actions.add_parser("expire", help="expire profiles and send renewal reminders")
        expire.add_argument("--now", help="pretend it is this moment (ISO 8601)")
        importing = actions.add_parser("import", help="import profiles (CSV/XLSX)")
        importing.add_argument("file")
        importing.add_argument("--layout", choices=imports.LAYOUTS, default=imports.NATIVE)
        importing.add_argument("--dry-run", action="store_true", help="only report; write nothing")
        export = actions.add_parser("export", help="export every profile to FILE.csv or .xlsx")
        export.add_argument("file")
        export.add_argument("--layout", choices=imports.LAYOUTS, default=imports.NATIVE)
        alerts = actions.add_parser("alerts", help="e-mail saved searches' new profiles")
        alerts.add_argument("--now", help="pretend it is this moment (ISO 8601)")
        digest = actions.add_parser("digest", help="e-mail the weekly digest to member editors")
        digest.add_argument("--now", help="pretend it is this moment (ISO 8601)")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "expire":
            self._expire(options["now"])
        elif action == "import":
            command_line_import(
                self,
                path=Path(options["file"]),
                kind=imports.UPLOAD_KIND + options["layout"],
                importer_for=imports.importer_for,
                job_kind=JobKind.MARKETPLACE_IMPORT,
                dry_run=options["dry_run"],
            )
        elif action == "export":
            self._export(Path(options["file"]), options["layout"])
        elif action == "alerts":
            sent = services_alerts.alerts_send(now=self._now(options["now"]))
            self.stdout.write(f"saved-search alerts sent: {sent}")
        elif action == "digest":
            sent = services_alerts.digests_send(now=self._now(options["now"]))
            self.stdout.write(f"weekly digests sent: {sent}")

    @staticmethod
    def _now(now_text: str | None) -> datetime.datetime:
        try:
            now = datetime.datetime.fromisoformat(now_text) if now_text else timezone.now()
        except ValueError:
            raise CommandError("--now must be a moment, YYYY-MM-DDTHH:MM") from None
        return timezone.make_aware(now) if timezone.is_naive(now) else now

    def _expire(self, now_text: str | None) -> None:
        counts = services.profiles_expire(now=self._now(now_text))
        self.stdout.write(
            f"profiles expired: {counts['expired']}; renewal reminders: {counts['reminded']}"
        )

    def _export(self, path: Path, layout: str) -> None:
        file_format = path.suffix.lower().lstrip(".")
        if file_format not in FORMATS:
            raise CommandError("the file must end in .csv or .xlsx")
        operator = CommandLineOperator()
        exported = imports.profiles_export(user=operator, layout=layout, file_format=file_format)
        try:
            path.write_bytes(exported.content)
        except OSError as error:
            raise CommandError(f"cannot write {path}: {error.strerror or error}") from None
        count = imports.exported_profiles(user=operator).count()
        self.stdout.write(f"{count} profile(s) written to {path}")
