"""Background work of the track record. The huey consumer imports every app's `tasks` module,
which is how the CORDIS import job handler gets registered in the worker."""

from pathlib import Path

from klaster.jobs.registry import job_handler
from klaster.trackrecord import services

CORDIS_IMPORT_JOB = "trackrecord.cordis_import"


@job_handler(CORDIS_IMPORT_JOB)
def run_cordis_import_job(job, progress) -> dict:
    """Import the files named in the job, then link organisations to the cluster's."""
    parameters = job.parameters
    try:
        result = services.cordis_import(
            cordis_path=parameters.get("cordis_path"),
            h2020_path=parameters.get("h2020_path"),
            h2020_programme_parts=parameters.get("h2020_programme_parts"),
            user=job.created_by,
            progress=progress,
        )
    finally:
        if parameters.get("delete_after"):  # uploads from the staff page
            for key in ("cordis_path", "h2020_path"):
                if parameters.get(key):
                    Path(parameters[key]).unlink(missing_ok=True)
    outcome = result.as_dict()
    linking = services.organisations_link(progress=progress)
    outcome["linking"] = linking
    outcome["summary"] = result.summary() + " " + services.linking_summary(linking)
    return outcome
