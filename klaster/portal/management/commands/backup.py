"""`klaster backup OUT`: the database and the uploaded media in one archive (.tar.gz)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from klaster.portal import backup


class Command(BaseCommand):
    help = "Write a backup archive (.tar.gz) of the database and the uploaded media."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="the archive to write, e.g. klaster.tar.gz")
        parser.add_argument("--database", default="default", help="database alias (default)")

    def handle(self, *args, **options):
        try:
            manifest = backup.backup_create(out=options["out"], using=options["database"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _(
                "Backup written to %(file)s: %(engine)s, %(rows)s rows in %(tables)s tables, %(media)s media files."
            )
            % {
                "file": options["out"],
                "engine": manifest["engine"],
                "rows": sum(manifest["tables"].values()),
                "tables": len(manifest["tables"]),
                "media": manifest["media_files"],
            }
        )
