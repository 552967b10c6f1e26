"""`klaster restore IN [--force]`: the database and the media from a `klaster backup` archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from klaster.portal import backup


class Command(BaseCommand):
    help = (
        "Restore the database and the uploaded media from a backup archive; all or nothing. "
        "Refuses a database that already holds data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="an archive written by `klaster backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database and media folder that already hold data",
        )
        parser.add_argument("--database", default="default", help="database alias (default)")

    def handle(self, *args, **options):
        try:
            manifest = backup.backup_restore(
                archive=options["archive"], using=options["database"], force=options["force"]
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _(
                "Restored the backup of %(created)s: %(rows)s rows in %(tables)s tables, "
                "%(media)s media files."
            )
            % {
                "created": manifest["created_at"],
                "rows": sum(manifest["tables"].values()),
                "tables": len(manifest["tables"]),
                "media": manifest["media_files"],
            }
        )
        if backup.migrations_pending(using=options["database"]):
            self.stdout.write(_("The backup is older than this Klaster: run `klaster migrate`."))
