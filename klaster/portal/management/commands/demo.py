"""`klaster demo`: load the demo cluster into the configured database, then exit.

Idempotent: a second run adds nothing (it only tops up what is missing, e.g. this year's fees).
Migrations are the caller's job (`klaster migrate` first).
"""

from django.core.management.base import BaseCommand
from django.utils import translation

from klaster.calls.demo import load_demo_calls
from klaster.consortia.demo import build_demo_idea, build_demo_partner_clusters
from klaster.events.demo import build_demo_events
from klaster.members.demo import DEFAULT_SEED, DEMO_LOGINS, build_demo_cluster
from klaster.members.models import Membership, Organisation
from klaster.trackrecord.demo import demo_cooperation_log, demo_cordis_load


class Command(BaseCommand):
    help = (
        "Load a generated demo cluster with the composition of Mazovia Cluster ICT "
        "(idempotent) and print one login per role."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Seed of the generator; the same seed gives the same cluster (default %(default)s).",
        )

    def handle(self, *args, **options):
        cordis = demo_cordis_load(seed=options["seed"])  # real CORDIS members first
        report = build_demo_cluster(seed=options["seed"])
        cooperation_entries = demo_cooperation_log(seed=options["seed"])
        events = build_demo_events(seed=options["seed"])
        calls = load_demo_calls()
        partner_clusters, partner_organisations = build_demo_partner_clusters()
        ideas = build_demo_idea(editor_username=DEMO_LOGINS[1][1])
        self._report(report, cordis, cooperation_entries, events, calls, ideas,
                     partner_clusters, partner_organisations)  # fmt: skip

    # The console speaks English, as the other commands do (the data stays as loaded): labels of
    # kinds and statuses and the import's summary would otherwise come in the site's Polish.
    @translation.override("en")
    def _report(
        self, report, cordis, cooperation_entries, events, calls, ideas,
        partner_clusters, partner_organisations,
    ):  # fmt: skip
        write = self.stdout.write
        kind_labels = dict(Organisation.Kind.choices)
        status_labels = dict(Membership.Status.choices)

        total = sum(report.organisations_by_kind.values())
        write(
            f"Demo cluster ready in {report.seconds:.1f} s: {total} organisations "
            f"({report.created_organisations} added now), {report.smes} SMEs, "
            f"{report.people} contact people, {report.fees_created} fees added now."
        )
        for kind, count in report.organisations_by_kind.items():
            write(f"  {str(kind_labels[kind]):<45} {count:>5}")
        memberships = ", ".join(
            f"{status_labels[status]}: {count}"
            for status, count in sorted(report.memberships_by_status.items())
        )
        write(f"Memberships: {memberships}")
        write(
            f"CORDIS: {cordis.created_organisations} Mazowieckie organisations added now as members "
            f"(demo: public CORDIS record; {cordis.region_organisations} in the extract); "
            f"{cooperation_entries} cooperation-log entries added now. {cordis.import_summary}"
        )
        write(
            f"Demo brokerage day: {events.participants} participants, {events.requests} meeting "
            f"requests, {events.meetings} meetings scheduled (/events/)."
        )
        write(f"Funding calls: {calls.created} real EU topics added now (/calls/).")
        write(
            f"Partner clusters abroad (demo, ESCP-4x, ESCP-4i, EAI): {partner_clusters} added now "
            f"with {partner_organisations} organisations (admin)."
        )
        write(f"Consortium ideas (demo): {ideas} added now for {DEMO_LOGINS[1][1]} (/consortia/).")
        write("")
        write("Demo logins (one per role):")
        for login in report.logins:
            of = f"  ({login.organisation})" if login.organisation else ""
            write(f"  {login.role:<14} {login.username:<12} / {login.password}{of}")
