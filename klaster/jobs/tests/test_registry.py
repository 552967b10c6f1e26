"""Every kind of job is named once, in the registry, with the function that runs it and the
page that shows what it made; the rest of the code says `JobKind.…`, never the bare string."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from klaster.jobs.models import Job
from klaster.jobs.registry import KINDS, JobKind, handler_for, job_handler, result_url_for

KLASTER = Path(__file__).resolve().parents[2]
REGISTRY = KLASTER / "jobs" / "registry.py"


def test_every_kind_has_its_spec_and_the_function_it_names_runs_it():
    assert set(KINDS) == set(JobKind)
    for kind, spec in KINDS.items():
        handler = handler_for(kind)
        assert f"{handler.__module__}.{handler.__qualname__}" == spec.task
        # Every result page is a real page of the site.
        assert spec.result_url.split(":")[0] and ":" in spec.result_url


def test_a_function_other_than_the_one_the_registry_names_is_refused():
    def impostor(job, progress):
        return {}

    with pytest.raises(ImproperlyConfigured, match="run_import_job"):
        job_handler(JobKind.MEMBERS_IMPORT)(impostor)
    assert handler_for(JobKind.MEMBERS_IMPORT).__name__ == "run_import_job"


def test_a_jobs_result_page_comes_from_its_kind_and_parameters():
    assert result_url_for(JobKind.MEMBERS_IMPORT, {}) == reverse("members:directory")
    assert result_url_for(JobKind.CALLS_IMPORT_CHECK, {"token": "abc"}) == reverse(
        "calls:import_preview", args=["abc"]
    )
    assert result_url_for(JobKind.EVENT_SCHEDULE, {"event_id": 7}) == reverse(
        "events:manage", args=[7]
    )
    # A kind outside the registry, or parameters that name no page, have no result page.
    assert result_url_for("test.other", {}) == ""
    assert result_url_for(JobKind.EVENT_SCHEDULE, {}) == ""


@pytest.mark.django_db
def test_a_finished_jobs_page_links_to_its_result_page(coordinator, client_for):
    job = Job.objects.create(
        kind=JobKind.CALLS_IMPORT, title="Import", created_by=coordinator,
        status=Job.Status.SUCCEEDED, result={"summary": "Gotowe"},
    )  # fmt: skip

    page = client_for(coordinator).get(reverse("jobs:detail", args=[job.pk])).content.decode()

    assert f'href="{reverse("calls:list")}" role="button"' in page
    assert job.kind_label == str(JobKind.CALLS_IMPORT.label)


def bare_kinds(text: str) -> list[str]:
    """The job kinds spelled out as string literals in `text`."""
    spelled = "|".join(re.escape(kind.value) for kind in JobKind)
    return re.findall(rf"""["']({spelled})["']""", text)


def test_the_search_for_bare_kinds_finds_them():
    assert bare_kinds('Job.objects.filter(kind="calls.import")') == ["calls.import"]
    assert bare_kinds("{% if job.kind == 'events.schedule' %}") == ["events.schedule"]
    assert bare_kinds("kind=JobKind.CALLS_IMPORT, 'calls.import_checks'") == []


def test_no_code_outside_the_registry_spells_a_kind_of_job():
    found = []
    for path in sorted(KLASTER.rglob("*")):
        if path.suffix not in (".py", ".html") or path == REGISTRY:
            continue
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found += [f"{path.relative_to(KLASTER)}: {kind}" for kind in bare_kinds(path.read_text())]
    assert found == []
