"""`klaster partners batch`: rank partners for a file of project ideas, from CORDIS files.

    klaster partners batch --history <CORDIS zip or folder> [--h2020 <csv.gz>]
        --queries <in.jsonl> --out <out.jsonl> [--k 50] [--cache <dir>] [--seed 0]

Each output line is {"project_id": ..., "partners": [organisationID, ...]}, best first,
coordinator excluded, k entries. Needs no database. Bad input stops the run with the file and
line named, a non-zero exit, and no output file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from klaster.core.cordis_files import CordisFormatError, files_checksum, read_history
from klaster.core.partners.engine import build_recommender
from klaster.core.partners.queries import QueryFormatError, read_queries
from klaster.core.partners.ranker import RankerSettings
from klaster.partners.serving import cache_dir


class Command(BaseCommand):
    help = "Partner recommendation: `batch` ranks partners for a JSON-lines file of ideas."
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        batch = actions.add_parser("batch", help="rank partners for every idea of a file")
        batch.add_argument("--history", required=True, help="CORDIS Horizon zip or folder")
        batch.add_argument("--h2020", help="Horizon 2020 participations (csv.gz)")
        batch.add_argument("--queries", required=True, help="ideas, one JSON object a line")
        batch.add_argument("--out", required=True, help="where to write the ranked partners")
        batch.add_argument("--k", type=int, default=50, help="partners per idea (default 50)")
        batch.add_argument("--cache", help="folder for the fitted ranker (default var/partners)")
        batch.add_argument("--seed", type=int, default=0, help="seed of the ranker's fitting")

    def handle(self, *args, **options):
        if options["action"] == "batch":
            self.batch(options)

    def log(self, line: str) -> None:
        if self.verbosity >= 1:
            self.stderr.write(line)

    def batch(self, options) -> None:
        self.verbosity = options.get("verbosity", 1)
        k = options["k"]
        if k < 1:
            raise CommandError("--k must be at least 1")
        queries_path = Path(options["queries"])
        try:
            with open(queries_path, encoding="utf-8") as stream:
                queries = read_queries(stream, source=str(queries_path))
        except OSError as exc:
            raise CommandError(f"cannot read {queries_path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{queries_path} is not UTF-8 text") from None
        except QueryFormatError as exc:
            raise CommandError(str(exc)) from None
        try:
            history = read_history(options["history"], options.get("h2020"))
            checksum = files_checksum(options["history"], options.get("h2020"))
        except CordisFormatError as exc:
            raise CommandError(str(exc)) from None
        recommender, timings = build_recommender(
            history,
            data_checksum=checksum,
            cache_dir=options.get("cache") or cache_dir(),
            settings=RankerSettings(seed=options["seed"]),
            log=self.log,
        )
        self.log(
            f"ranker {'loaded from cache' if timings.ranker_from_cache else 'fitted'} in "
            f"{timings.ranker_seconds:.1f} s; index built in {timings.index_seconds:.1f} s"
        )
        out_path = Path(options["out"])
        # Written aside and moved into place, so a failed run leaves no partial output.
        if not out_path.parent.is_dir():
            raise CommandError(f"no folder {out_path.parent} to write {out_path.name} into")
        handle, partial = tempfile.mkstemp(
            prefix=".partners-", suffix=".jsonl", dir=out_path.parent
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                for query in queries:
                    ranked = recommender.rank(query, k)
                    partners = [r.organisation_id for r in ranked]
                    stream.write(json.dumps({"project_id": query.project_id, "partners": partners}))
                    stream.write("\n")
            os.replace(partial, out_path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        self.log(f"wrote {len(queries)} rankings to {out_path}")
