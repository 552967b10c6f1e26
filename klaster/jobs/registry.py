"""Every kind of background job, named once: its label, the function that does the work, and the
page that shows what came of it.

`JobKind` is the only place a kind is spelled; code everywhere else says `JobKind.CALLS_IMPORT`,
never "calls.import". `KINDS` tells for each kind the task function (by its dotted name: this
app sits below the domain apps and does not import them) and the URL name of its result page.
The domain app's `tasks` module binds the function with `@job_handler(JobKind.…)`, which checks
it is the one the registry names, so the table cannot drift from the code.

A handler takes the Job and a `progress(done, total, message)` callable and returns a JSON-able
result dict; raising an exception marks the job failed with its message.

A job speaks the language of whoever started it (see `services.job_run`). A kind that many
people follow at once, such as the shared partner index build, also registers `JobWords`, so
that each reader gets its title, step and summary in their own language.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

Progress = Callable[[int, int, str], None]
Handler = Callable[[Any, Progress], dict]


class JobKind(models.TextChoices):
    CORDIS_IMPORT = "trackrecord.cordis_import", _("Import of CORDIS projects")
    MEMBERS_IMPORT = "members.import", _("Import of organisations or people")
    MEMBERS_IMPORT_CHECK = "members.import_check", _("Check of a file of organisations or people")
    CALLS_IMPORT = "calls.import", _("Import of funding calls")
    CALLS_IMPORT_CHECK = "calls.import_check", _("Check of a file of funding calls")
    PARTNER_INDEX_BUILD = "partners.build-index", _("Build of the partner index")
    EVENT_SCHEDULE = "events.schedule", _("Schedule of a brokerage event")
    EVENT_ANNOUNCE = "events.announce", _("Agendas of a brokerage event sent")
    MARKETPLACE_IMPORT = "marketplace.import", _("Import of marketplace profiles")
    MARKETPLACE_IMPORT_CHECK = (
        "marketplace.import_check",
        _("Check of a file of marketplace profiles"),
    )


@dataclass(frozen=True)
class KindSpec:
    """How a kind of job runs and where its outcome is seen. `result_url` is a URL name;
    `url_parameters` are the job parameters that fill its arguments, in order."""

    task: str
    result_url: str
    url_parameters: tuple[str, ...] = ()


KINDS: dict[JobKind, KindSpec] = {
    JobKind.CORDIS_IMPORT: KindSpec(
        task="klaster.trackrecord.tasks.run_cordis_import_job", result_url="trackrecord:import"
    ),
    JobKind.MEMBERS_IMPORT: KindSpec(
        task="klaster.members.tasks.run_import_job", result_url="members:directory"
    ),
    JobKind.MEMBERS_IMPORT_CHECK: KindSpec(
        task="klaster.members.tasks.run_import_check_job",
        result_url="members:import_preview",
        url_parameters=("token",),
    ),
    JobKind.CALLS_IMPORT: KindSpec(
        task="klaster.calls.tasks.run_calls_import_job", result_url="calls:list"
    ),
    JobKind.CALLS_IMPORT_CHECK: KindSpec(
        task="klaster.calls.tasks.run_calls_check_job",
        result_url="calls:import_preview",
        url_parameters=("token",),
    ),
    JobKind.PARTNER_INDEX_BUILD: KindSpec(
        task="klaster.partners.tasks.run_partner_index_build", result_url="partners:find"
    ),
    JobKind.EVENT_SCHEDULE: KindSpec(
        task="klaster.events.tasks.run_schedule_job",
        result_url="events:manage",
        url_parameters=("event_id",),
    ),
    JobKind.EVENT_ANNOUNCE: KindSpec(
        task="klaster.events.tasks.run_announce_job",
        result_url="events:manage",
        url_parameters=("event_id",),
    ),
    JobKind.MARKETPLACE_IMPORT: KindSpec(
        task="klaster.marketplace.tasks.run_profiles_import_job", result_url="marketplace:list"
    ),
    JobKind.MARKETPLACE_IMPORT_CHECK: KindSpec(
        task="klaster.marketplace.tasks.run_profiles_check_job",
        result_url="marketplace:import_preview",
        url_parameters=("token",),
    ),
}


@dataclass(frozen=True)
class JobWords:
    """A kind of job in the reader's words: lazy translations, said when a page shows them."""

    title: Any = None
    steps: Mapping[int, Any] = field(default_factory=dict)  # progress `done` -> the step
    summary: Callable[[dict], str] | None = None  # the job's result -> its summary


_HANDLERS: dict[str, Handler] = {}
_WORDS: dict[str, JobWords] = {}


def job_handler(kind: str, *, words: JobWords | None = None) -> Callable[[Handler], Handler]:
    """Bind the function that runs jobs of `kind`; for a kind of the registry it must be the
    function `KINDS` names (kinds outside it serve tests and one-off tools)."""

    def register(function: Handler) -> Handler:
        spec = KINDS.get(kind)
        name = f"{function.__module__}.{function.__qualname__}"
        if spec is not None and spec.task != name:
            raise ImproperlyConfigured(
                f"Jobs of kind {kind!r} are run by {spec.task} (klaster/jobs/registry.py), "
                f"not by {name}."
            )
        _HANDLERS[kind] = function
        if words is not None:
            _WORDS[kind] = words
        return function

    return register


def words_for(kind: str) -> JobWords | None:
    return _WORDS.get(kind)


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"No handler registered for background jobs of kind {kind!r}") from None


def result_url_for(kind: str, parameters: Mapping[str, Any]) -> str:
    """The address of the page that shows what a job of `kind` made, or "" if it has none (a
    kind outside the registry, or parameters that no longer name a page)."""
    spec = KINDS.get(kind)
    if spec is None:
        return ""
    try:
        return reverse(spec.result_url, args=[parameters[name] for name in spec.url_parameters])
    except (KeyError, NoReverseMatch):
        return ""
