"""Background work of the marketplace: the check and the import of an uploaded file of
profiles. The huey consumer imports every app's `tasks` module, which is how these job
handlers get registered in the worker."""

from klaster.imports import uploads
from klaster.jobs.registry import JobKind, Progress, job_handler
from klaster.marketplace.imports import importer_for


@job_handler(JobKind.MARKETPLACE_IMPORT_CHECK)
def run_profiles_check_job(job, progress: Progress) -> dict:
    """The preview's dry run of an uploaded file of profiles."""
    return uploads.run_check_job(job, progress, importer_for=importer_for)


@job_handler(JobKind.MARKETPLACE_IMPORT)
def run_profiles_import_job(job, progress: Progress) -> dict:
    """The import of profiles (all rows or none), from an upload or a path."""
    return uploads.run_import_job(job, progress, importer_for=importer_for)
