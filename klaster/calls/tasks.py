"""Background work of the calls: the check and the import of an uploaded file of national or
regional calls. The huey consumer imports every app's `tasks` module, which is how these job
handlers get registered in the worker."""

from klaster.calls.imports import calls_import_apply, calls_import_check
from klaster.jobs.registry import Progress, job_handler
from klaster.jobs.services import upload_drop, upload_get

CALLS_CHECK_JOB = "calls.import_check"
CALLS_IMPORT_JOB = "calls.import"


@job_handler(CALLS_CHECK_JOB)
def run_calls_check_job(job, progress: Progress) -> dict:
    """The preview's dry run. Parameters: the upload token."""
    upload = upload_get(token=job.parameters["token"], owner=job.created_by)
    try:
        report = calls_import_check(
            data=upload.read(), filename=upload.filename, editor=job.created_by, progress=progress
        )
    except Exception:
        upload_drop(token=upload.token)
        raise
    if not report.ok:
        # A rejected file is never imported: keep no copy of it.
        upload_drop(token=upload.token)
    return report.as_dict()


@job_handler(CALLS_IMPORT_JOB)
def run_calls_import_job(job, progress: Progress) -> dict:
    """The import, all-or-nothing (row errors fail the job with the report's summary).
    Parameters: the upload token and the calls' source (national or regional)."""
    upload = upload_get(token=job.parameters["token"], owner=job.created_by)
    try:
        report = calls_import_apply(
            data=upload.read(),
            filename=upload.filename,
            source=job.parameters["source"],
            editor=job.created_by,
            progress=progress,
        )
    finally:
        # Imported or refused, the file has served: a refused one is uploaded again corrected.
        upload_drop(token=upload.token)
    return report.as_dict()
