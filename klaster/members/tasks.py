"""Background work of the member registry. The huey consumer imports every app's `tasks`
module, which is how the import and import-check job handlers get registered in the worker."""

from klaster.imports import uploads
from klaster.jobs.registry import JobKind, Progress, job_handler
from klaster.members.imports import importer_for


@job_handler(JobKind.MEMBERS_IMPORT)
def run_import_job(job, progress: Progress) -> dict:
    """Import organisations or people (all rows or none) from an upload or a path."""
    return uploads.run_import_job(job, progress, importer_for=importer_for)


@job_handler(JobKind.MEMBERS_IMPORT_CHECK)
def run_import_check_job(job, progress: Progress) -> dict:
    """The preview's dry run of an uploaded file of organisations or people."""
    return uploads.run_check_job(job, progress, importer_for=importer_for)
