"""`klaster cordis import <zip or folder> [--h2020 <participations.csv.gz>]` loads CORDIS into
the track record (idempotent, all or nothing) with progress on the terminal, and
`klaster cordis extract` makes the compact extract the demo loads (data/extracts/)."""

import resource
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from klaster.core import cordis_extract
from klaster.jobs.models import Job
from klaster.jobs.registry import JobKind
from klaster.jobs.services import job_create, job_run

SHARED = settings.BASE_DIR.parent / "shared" / "data" / "cordis"


class Command(BaseCommand):
    help = "Import CORDIS projects into the track record, or make the demo's compact extract."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        load = verbs.add_parser(
            "import",
            help="Import a CORDIS download (zip or folder in the official CSV layout) "
            "and/or Horizon 2020 participations (csv.gz). A second run changes nothing.",
        )
        load.add_argument("source", type=Path, nargs="?", help="cordis-HORIZONprojects-csv.zip")
        load.add_argument("--h2020", type=Path, help="h2020_participations.csv.gz")
        load.add_argument(
            "--h2020-programme-parts", type=Path, help="h2020_programme_parts.csv.gz (optional)"
        )
        make = verbs.add_parser(
            "extract",
            help="Cut the projects with a Mazowieckie participant (NUTS PL91, PL92), with their "
            "whole consortia, out of the full files into data/extracts/.",
        )
        make.add_argument("--source", type=Path, default=SHARED / "cordis-HORIZONprojects-csv.zip")
        make.add_argument("--h2020", type=Path, default=SHARED / "h2020_participations.csv.gz")
        make.add_argument(
            "--h2020-programme-parts", type=Path, default=SHARED / "h2020_programme_parts.csv.gz"
        )
        make.add_argument("--out", type=Path, default=cordis_extract.DEFAULT_EXTRACT_DIR)
        make.add_argument(
            "--nuts", default="PL91,PL92", help="NUTS prefixes of the region (default %(default)s)"
        )

    def handle(self, *args, verb: str, **options):
        if verb == "import":
            self.import_files(options)
        else:
            self.make_extract(options)

    def import_files(self, options) -> None:
        source, h2020 = options["source"], options["h2020"]
        if source is None and h2020 is None:
            raise CommandError("Give a CORDIS download, --h2020 <participations.csv.gz>, or both.")
        for path in (source, h2020):
            if path is not None and not path.exists():
                raise CommandError(f"No such file or folder: {path}")
        parts = options["h2020_programme_parts"]
        job = job_create(
            kind=JobKind.CORDIS_IMPORT,
            title=f"CORDIS import of {', '.join(p.name for p in (source, h2020) if p)}",
            parameters={
                "cordis_path": str(source.resolve()) if source else None,
                "h2020_path": str(h2020.resolve()) if h2020 else None,
                "h2020_programme_parts": str(parts.resolve()) if parts else None,
            },
        )
        last = [0.0]

        def echo(done: int, total: int, message: str) -> None:
            now = time.monotonic()
            if now - last[0] < 0.2 and done < total:
                return
            last[0] = now
            percent = int(100 * done / total) if total else 0
            sys.stderr.write(f"\r{percent:3d}%  {message[:70]:<70}")
            sys.stderr.flush()

        started = time.perf_counter()
        job = job_run(job_id=job.pk, echo=echo)
        sys.stderr.write("\n")
        if job.status != Job.Status.SUCCEEDED:
            raise CommandError(f"Nothing was imported. {job.error}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(self.style.SUCCESS(job.result.get("summary", "Imported.")))
        self.stdout.write(
            f"Wall time {time.perf_counter() - started:.1f} s, peak memory {peak:.0f} MB "
            f"(job #{job.pk})."
        )

    def make_extract(self, options) -> None:
        try:
            report = cordis_extract.make_extract(
                cordis_path=options["source"],
                h2020_path=options["h2020"],
                h2020_programme_parts=options["h2020_programme_parts"],
                out_dir=options["out"],
                nuts_prefixes=tuple(p.strip() for p in options["nuts"].split(",") if p.strip()),
            )
        except cordis_extract.CordisFormatError as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)
