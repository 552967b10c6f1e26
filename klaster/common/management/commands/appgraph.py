from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from klaster.common.appgraph import app_graph, report


class Command(BaseCommand):
    help = (
        "Print which apps import which, and the cycles, upward imports, private names and "
        "management-command modules of other apps that break the layers. Exits 1 on any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--root",
            type=Path,
            default=Path(settings.BASE_DIR),
            help="the project root of the checkout to read (default: this one)",
        )
        parser.add_argument(
            "--sites", action="store_true", help="also list each import: file, line, module"
        )

    def handle(self, *args, root, sites, **options):
        if not (root / "klaster").is_dir():
            raise CommandError(f"no klaster package under {root}")
        graph = app_graph(root)
        self.stdout.write(report(graph, sites=sites))
        if graph.problems():
            raise CommandError("the imports above break the app layers")
