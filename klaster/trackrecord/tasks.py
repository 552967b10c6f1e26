"""Background work of the track record. The huey consumer imports every app's `tasks` module,
which is how the CORDIS import job handler gets registered in the worker."""

import contextlib

from huey.contrib.djhuey import db_task

from klaster.jobs.registry import JobKind, JobWords, job_handler
from klaster.jobs.services import upload_as_file, upload_drop, upload_get
from klaster.trackrecord import importer, selectors, services


def cordis_import_summary(result: dict) -> str:
    """The finished import told again in the reader's language (the stored summary speaks the
    language of whoever started it)."""
    summary = importer.import_summary(result)
    if result.get("linking"):
        summary += " " + services.linking_summary(result["linking"])
    return summary


@job_handler(JobKind.CORDIS_IMPORT, words=JobWords(summary=cordis_import_summary))
def run_cordis_import_job(job, progress) -> dict:
    """Import the files named in the job (paths from the command line, or uploads from the
    staff page, dropped once read), then link organisations to the cluster's."""
    parameters = job.parameters
    with contextlib.ExitStack() as files:
        paths = {}
        for name in ("cordis", "h2020"):
            if parameters.get(f"{name}_upload"):
                upload = upload_get(token=parameters[f"{name}_upload"], owner=job.created_by)
                paths[name] = files.enter_context(upload_as_file(upload))
            else:
                paths[name] = parameters.get(f"{name}_path")
        try:
            result = services.cordis_import(
                cordis_path=paths["cordis"],
                h2020_path=paths["h2020"],
                h2020_programme_parts=parameters.get("h2020_programme_parts"),
                user=job.created_by,
                progress=progress,
            )
        finally:
            for name in ("cordis", "h2020"):
                if parameters.get(f"{name}_upload"):
                    upload_drop(token=parameters[f"{name}_upload"])
    outcome = result.as_dict()
    linking = services.organisations_link(progress=progress)
    outcome["linking"] = linking
    outcome["summary"] = cordis_import_summary(outcome)
    return outcome


@db_task()
def network_summary_compute(user_id: int, filters: dict, key: str) -> None:
    """The network figures for one viewer scope and filters, computed off the web workers."""
    selectors.network_summary_computed(user_id=user_id, filters=filters, key=key)
