"""`klaster partners_index`: build the partner engine over the database's track record now.

The find-partners page starts a background build on first use after an import; this command
does the same in the foreground (after `klaster cordis import`, in a deployment script), with
progress on stderr and the figures at the end. With `--queue` it leaves the build to the
background worker instead, so that a server started next finds it ready or under way.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, no_translations

from klaster.partners import serving
from klaster.partners.services import engine_build_start
from klaster.partners.serving import EngineState


class Command(BaseCommand):
    help = "Build the partner index over the CORDIS track record in the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="do nothing when the index is already built for the current data",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="queue the build for the background worker and return at once",
        )

    # An operator's command speaks one language throughout: its own lines and the fitting's are
    # English, so the build steps (worded for the page's reader) are said in English too.
    @no_translations
    def handle(self, *args, **options):
        verbosity = options.get("verbosity", 1)
        if options["if_stale"] and serving.engine_get().ready:
            if verbosity >= 1:
                self.stdout.write("The partner index is up to date.")
            return

        if options["queue"]:
            engine = engine_build_start(retry_failed=True)
            if engine.state == EngineState.NO_DATA:
                raise CommandError(serving.NO_PROJECTS)
            if engine.ready:
                if verbosity >= 1:
                    self.stdout.write("The partner index is up to date.")
                return
            job = engine.job
            if verbosity >= 1:
                self.stdout.write(
                    f"The partner index build is queued for the background worker (job {job.pk})."
                )
            return

        last_step = ""

        def progress(done: int, total: int, message: str) -> None:
            nonlocal last_step
            if verbosity >= 1 and message != last_step:  # a step is said once
                self.stderr.write(f"[{done}/{total}] {message}")
            last_step = message

        def progress_detail(line: str) -> None:
            if verbosity >= 1:
                self.stderr.write(f"      {line}")

        try:
            serving.build_recommender_now(progress=progress, log=progress_detail)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        engine = serving.engine_get()
        meta = engine.meta
        if verbosity >= 1:
            self.stdout.write(
                f"Partner index ready: {engine.organisations} organisations from "
                f"{engine.projects} EU projects in {meta.get('seconds', 0):.1f} s "
                f"(reading {meta.get('read_seconds', 0):.1f} s, ranker "
                f"{meta.get('ranker_seconds', 0):.1f} s"
                f"{' from cache' if meta.get('ranker_from_cache') else ''}, "
                f"index {meta.get('index_seconds', 0):.1f} s)."
            )
