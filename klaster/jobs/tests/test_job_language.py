"""A background job speaks the language of the person who started it, whatever the worker's own
language: its progress, its summary and its failure are read by that person."""

import os
import subprocess
import sys

import pytest
from django.utils import translation
from django.utils.translation import gettext

from klaster.jobs.models import Job
from klaster.jobs.registry import job_handler
from klaster.jobs.selectors import job_with_progress
from klaster.jobs.services import job_create, job_run
from klaster.members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

seen_while_running: list[dict] = []


@job_handler("test:speaks")
def _speaking_handler(job, progress):
    progress(1, 2, gettext("Saving the schedule"))
    seen_while_running.append(job_with_progress(job_id=job.pk).__dict__.copy())
    progress(2, 2, gettext("Schedule saved"))
    return {"summary": gettext("Schedule saved")}


@job_handler("test:fails")
def _failing_handler(job, progress):
    raise ValueError(gettext("No such job."))


def _start(kind: str, language: str) -> Job:
    with translation.override(language):
        return job_create(kind=kind, title="t", parameters={}, user=UserFactory())


@pytest.mark.parametrize(
    ("language", "running", "saved"),
    [
        ("en", "Saving the schedule", "Schedule saved"),
        ("pl", "Zapisywanie harmonogramu", "Harmonogram zapisany"),
    ],
)
def test_the_job_reports_in_the_language_of_whoever_started_it(language, running, saved):
    job = _start("test:speaks", language)
    assert job.language == language
    seen_while_running.clear()
    # The worker has a language of its own (the cluster's, or another reader's request).
    worker_language = "pl" if language == "en" else "en"
    with translation.override(worker_language):
        finished = job_run(job_id=job.pk)
        assert translation.get_language() == worker_language  # given back after the job
    assert seen_while_running[0]["message"] == running
    assert finished.status == Job.Status.SUCCEEDED
    assert finished.message == saved
    assert finished.result == {"summary": saved}


def test_a_failure_is_told_in_the_starters_language():
    job = _start("test:fails", "en")
    with translation.override("pl"):
        failed = job_run(job_id=job.pk)
    assert failed.status == Job.Status.FAILED
    assert failed.error == "No such job."


def test_a_job_from_before_languages_were_kept_speaks_the_clusters_language(settings):
    job = _start("test:speaks", "en")
    Job.objects.filter(pk=job.pk).update(language="")
    with translation.override("en"):
        finished = job_run(job_id=job.pk)
    assert finished.message == "Harmonogram zapisany"  # settings.LANGUAGE_CODE is Polish
    assert settings.LANGUAGE_CODE == "pl"


def test_every_process_knows_every_kind_of_job_and_its_words():
    # A new process that imports no tasks module itself, like a web worker showing a job page.
    code = (
        "import django; django.setup()\n"
        "from klaster.jobs.registry import handler_for, words_for\n"
        "kinds = ['partners.build-index', 'members.import', 'trackrecord.cordis_import',\n"
        "         'calls.import', 'events.schedule']\n"
        "print(all(callable(handler_for(kind)) for kind in kinds),\n"
        "      words_for('partners.build-index') is not None)"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "klaster.web.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment
    )
    assert result.stdout.split() == ["True", "True"], result.stderr
