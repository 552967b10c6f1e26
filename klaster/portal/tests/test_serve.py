"""`klaster serve`: threaded web workers, and a task worker that yields the CPU to pages."""

import pytest
from django.core.management import call_command

from klaster.portal.management.commands import serve


class FakeProcess:
    started: list = []

    def __init__(self, command, **options):
        self.command, self.options = command, options
        FakeProcess.started.append(self)

    def wait(self, timeout=None):
        return 0

    def terminate(self):
        pass


@pytest.fixture
def started(monkeypatch, settings):
    settings.HUEY = {**settings.HUEY, "immediate": False}
    FakeProcess.started = []
    monkeypatch.setattr(serve.subprocess, "Popen", FakeProcess)
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: None)  # collectstatic
    monkeypatch.setattr(serve.signal, "signal", lambda *args: None)
    return FakeProcess.started


def _option(command, name):
    return command[command.index(name) + 1]


def test_web_server_runs_threaded_workers_sized_from_the_environment(started, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("WEB_THREADS", "8")

    # The defaults are read when the command's arguments are declared.
    call_command("serve", "--port", "8123")

    gunicorn = next(p.command for p in started if "gunicorn" in p.command)
    assert _option(gunicorn, "--worker-class") == "gthread"
    assert _option(gunicorn, "--workers") == "5"
    assert _option(gunicorn, "--threads") == "8"
    assert _option(gunicorn, "--bind") == "127.0.0.1:8123"


def test_task_worker_starts_at_a_lower_cpu_priority(started):
    call_command("serve")

    worker = next(p for p in started if "run_huey" in p.command)
    assert worker.options["preexec_fn"] is serve._lower_priority


def test_workers_link_to_the_port_served_when_no_site_url_is_set(started, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)

    call_command("serve", "--port", "8100")

    assert {p.options["env"]["SITE_URL"] for p in started} == {"http://127.0.0.1:8100"}
    assert {p.options["env"]["PORT"] for p in started} == {"8100"}


def test_workers_keep_the_public_address_when_one_is_set(started, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://klaster.example")

    call_command("serve", "--port", "8100")

    assert {p.options["env"]["SITE_URL"] for p in started} == {"https://klaster.example"}
