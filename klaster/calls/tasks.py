"""Background work of the calls: the check and the import of an uploaded file of national or
regional calls. The huey consumer imports every app's `tasks` module, which is how these job
handlers get registered in the worker."""

from klaster.calls.imports import importer_for
from klaster.imports import uploads
from klaster.jobs.registry import JobKind, Progress, job_handler


@job_handler(JobKind.CALLS_IMPORT_CHECK)
def run_calls_check_job(job, progress: Progress) -> dict:
    """The preview's dry run of an uploaded file of calls."""
    return uploads.run_check_job(job, progress, importer_for=importer_for)


@job_handler(JobKind.CALLS_IMPORT)
def run_calls_import_job(job, progress: Progress) -> dict:
    """The import of national or regional calls (all rows or none), from an upload or a path."""
    return uploads.run_import_job(job, progress, importer_for=importer_for)
