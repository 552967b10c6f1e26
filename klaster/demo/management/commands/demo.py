"""`klaster demo`: load the demo cluster into the configured database, then exit.

Idempotent: a second run adds nothing (it only tops up what is missing, e.g. this year's fees).
Migrations are the caller's job (`klaster migrate` first).
"""

from django.core.management.base import BaseCommand
from django.utils import translation

from klaster.demo.planning import DEFAULT_SEED
from klaster.demo.services import DemoSummary, demo_load
from klaster.members.models import Membership, Organisation


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
        self._report(demo_load(seed=options["seed"]))

    # The console speaks English, as the other commands do (the data stays as loaded): labels of
    # kinds and statuses and the import's summary would otherwise come in the site's Polish.
    @translation.override("en")
    def _report(self, summary: DemoSummary):
        report, cordis, events = summary.cluster, summary.cordis, summary.events
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
            f"{summary.cooperation_entries} cooperation-log entries added now. "
            f"{cordis.import_summary}"
        )
        write(
            f"Demo brokerage day: {events.participants} participants, {events.requests} meeting "
            f"requests, {events.meetings} meetings scheduled (/events/)."
        )
        write(f"Funding calls: {summary.calls.created} real EU topics added now (/calls/).")
        write(
            "Partner clusters abroad (demo, ESCP-4x, ESCP-4i, EAI): "
            f"{summary.partner_clusters} added now "
            f"with {summary.partner_organisations} organisations (admin)."
        )
        write(
            f"Consortium ideas (demo): {summary.ideas} added now for {summary.ideas_editor} "
            "(/consortia/)."
        )
        market = summary.marketplace
        statuses = ", ".join(f"{status}: {n}" for status, n in market.profiles_by_status.items())
        write(
            f"Marketplace (demo): {market.profiles} profiles ({statuses}), "
            f"{market.interests} expressions of interest (/marketplace/)."
        )
        write("")
        write("Demo logins (one per role):")
        for login in report.logins:
            of = f"  ({login.organisation})" if login.organisation else ""
            write(f"  {login.role:<14} {login.username:<12} / {login.password}{of}")
