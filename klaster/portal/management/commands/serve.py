"""`klaster serve [--port N]`: the production web server (gunicorn) and the task worker.

Static files are collected first and served by whitenoise. With REDIS_URL set, workers may
run on other machines instead (`klaster run_huey`); pass --no-worker there.

Gunicorn runs threaded workers (gthread): WEB_CONCURRENCY processes of WEB_THREADS threads
each, so a slow request (an export, a large page) holds one thread, not a whole worker, and
the directory keeps answering. The task worker runs at a lower CPU priority: heavy background
work (the network figures, imports, the partner index) yields to the pages people wait for.
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from klaster.web.env import served_site_url

TASK_WORKER_NICENESS = 10


def _lower_priority() -> None:
    os.nice(TASK_WORKER_NICENESS)


class Command(BaseCommand):
    help = "Run the web server (gunicorn + whitenoise) and the background task worker."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3"))
        )
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start a background task worker here (workers run elsewhere).",
        )

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        # Links in e-mails and iCal (SITE_URL) point at the address served here unless the
        # operator set the public one: a demo on --port 8100 must not send links to 8000.
        environment = {**os.environ, "PORT": str(options["port"])}
        if not environment.get("SITE_URL", "").strip():
            environment["SITE_URL"] = served_site_url(options["host"], options["port"])
        children: list[subprocess.Popen] = []
        if not options["no_worker"] and not settings.HUEY.get("immediate"):
            children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "klaster.cli", "run_huey", "--quiet"],
                    preexec_fn=_lower_priority,
                    env=environment,
                )
            )
        gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "klaster.web.wsgi:application",
                "--bind",
                f"{options['host']}:{options['port']}",
                "--workers",
                str(options["workers"]),
                "--worker-class",
                "gthread",
                "--threads",
                str(options["threads"]),
                "--access-logfile",
                "-",
                "--timeout",
                "120",
                "--preload",
            ],
            env=environment,
        )
        children.append(gunicorn)
        self.stdout.write(
            f"Klaster is at http://{options['host']}:{options['port']}/ (Ctrl+C stops)"
        )

        def stop(_signum, _frame):
            for child in children:
                child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            gunicorn.wait()
        finally:
            stop(None, None)
            for child in children:
                child.wait(timeout=30)
