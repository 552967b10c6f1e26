"""`klaster consortium propose`: an eligible, explained consortium for a project idea.

    klaster consortium propose --history <CORDIS zip or folder> [--h2020 <csv.gz>]
        --idea <idea.json> --rules <rule-set name> --size <n> --out <out.json>
        [--cache <dir>] [--seed 0] [--time-limit 1.0]

idea.json: {"title", "objective", "keywords", "topic", "call", "funding_scheme", "coordinator",
"pinned": [], "excluded": []}. out.json: {"partners": [{"organisation_id", "name", "country",
"activity_type", "sme", "role", "reasons"}], "eligible", "missing"}, the coordinator first.
Bad input stops the run with the field named, a non-zero exit, and no output file.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from klaster.consortia.proposals import proposal_as_json, write_json_atomically
from klaster.consortia.selectors import cluster_member_pics
from klaster.core.consortium.candidates import UnknownOrganisationError, propose_for_idea
from klaster.core.consortium.ideas import IdeaFormatError, parse_idea
from klaster.core.consortium.rules import RuleSetError, load_rule_set
from klaster.core.consortium.selection import SelectionError
from klaster.core.cordis_files import CordisFormatError, files_checksum, read_history
from klaster.core.partners.engine import build_recommender
from klaster.core.partners.ranker import RankerSettings
from klaster.partners.serving import cache_dir

# Tests swap in a lighter fitting; the command itself always uses the engine's defaults.
RANKER_SETTINGS: dict = {}
# The last recommender built in this process, so repeated calls (tests, a shell) reuse it.
_last_recommender: dict = {}


class Command(BaseCommand):
    help = "Consortium builder: `propose` chooses an eligible consortium for a project idea."
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        propose = actions.add_parser("propose", help="propose a consortium for one idea")
        propose.add_argument("--history", required=True, help="CORDIS Horizon zip or folder")
        propose.add_argument("--h2020", help="Horizon 2020 participations (csv.gz)")
        propose.add_argument("--idea", required=True, help="the idea, a JSON object")
        propose.add_argument("--rules", required=True, help="rule set, e.g. horizon-ria")
        propose.add_argument(
            "--size", required=True, type=int, help="partners, coordinator included"
        )
        propose.add_argument("--out", required=True, help="where to write the consortium (JSON)")
        propose.add_argument("--cache", help="folder for the fitted ranker (default var/partners)")
        propose.add_argument("--seed", type=int, default=0, help="seed of fitting and solving")
        propose.add_argument(
            "--time-limit", type=float, default=1.0, help="solver budget in seconds (default 1)"
        )

    def handle(self, *args, **options):
        self.verbosity = options.get("verbosity", 1)
        if options["action"] == "propose":
            self.propose(options)

    def log(self, line: str) -> None:
        if self.verbosity >= 1:
            self.stderr.write(line)

    def propose(self, options) -> None:
        size = options["size"]
        if size < 1:
            raise CommandError("--size must be at least 1")
        try:
            rules = load_rule_set(options["rules"])
        except RuleSetError as exc:
            raise CommandError(str(exc)) from None
        idea_path = Path(options["idea"])
        try:
            idea = parse_idea(json.loads(idea_path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise CommandError(f"cannot read {idea_path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{idea_path} is not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"{idea_path} is not valid JSON: {exc}") from None
        except IdeaFormatError as exc:
            raise CommandError(f"{idea_path}: {exc}") from None
        out_path = Path(options["out"])
        if not out_path.parent.is_dir():
            raise CommandError(f"no folder {out_path.parent} to write {out_path.name} into")
        settings = RankerSettings(seed=options["seed"], **RANKER_SETTINGS)
        cache_folder = str(options.get("cache") or cache_dir())
        try:
            checksum = files_checksum(options["history"], options.get("h2020"))
            key = (checksum, settings, cache_folder)
            if key not in _last_recommender:
                history = read_history(options["history"], options.get("h2020"))
                _last_recommender.clear()
                _last_recommender[key], _ = build_recommender(
                    history, data_checksum=checksum, cache_dir=cache_folder, settings=settings,
                    log=self.log,
                )  # fmt: skip
        except CordisFormatError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"cannot read the history: {exc}") from None
        recommender = _last_recommender[key]
        try:
            proposal = propose_for_idea(
                recommender,
                idea,
                rules,
                size,
                cluster_members=cluster_member_pics(),
                seed=options["seed"],
                time_limit=options["time_limit"],
            )
        except (UnknownOrganisationError, SelectionError) as exc:
            raise CommandError(f"{idea_path}: {exc}") from None
        for note in proposal.notes:
            self.log(str(note))
        write_json_atomically(out_path, proposal_as_json(proposal))
        verdict = (
            "eligible"
            if proposal.eligible
            else "not eligible: " + "; ".join(map(str, proposal.missing))
        )
        self.log(f"wrote {len(proposal.partners)} partners to {out_path} ({verdict})")
