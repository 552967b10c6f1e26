"""`klaster bench <name> ...`: the project's benchmarks, each printing its figures.

A benchmark is a module with `help: str`, `add_arguments(parser)` and `run(options, out)`,
where `out` is a callable that prints one line. Benchmarks live next to what they measure.
"""

import importlib

from django.core.management.base import BaseCommand

BENCHMARKS = {
    "network": "klaster.trackrecord.benchmarks",
    "directory": "klaster.demo.benchmarks",
    "partners": "klaster.partners.benchmarks",
    "scheduler": "klaster.events.benchmarks",
    "consortium": "klaster.consortia.benchmarks",
    "load": "klaster.portal.benchmarks",
    "marketplace": "klaster.marketplace.benchmarks",
}


class Command(BaseCommand):
    help = "Run a benchmark and print its figures: " + ", ".join(sorted(BENCHMARKS))
    requires_system_checks = []

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="benchmark", required=True)
        for name, module_path in BENCHMARKS.items():
            module = importlib.import_module(module_path)
            subparser = subparsers.add_parser(name, help=module.help)
            module.add_arguments(subparser)

    def handle(self, *args, **options):
        module = importlib.import_module(BENCHMARKS[options["benchmark"]])
        module.run(options, lambda line="": self.stdout.write(str(line)))
